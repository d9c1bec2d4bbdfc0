using Broker.Queues;

namespace Broker.Topics;

/// <summary>Delivers to a queue: the body as published (raw), or the whole <see cref="TopicMessage{T}"/> envelope.</summary>
/// <typeparam name="T">The topic's body type.</typeparam>
/// <typeparam name="TQueued">The queue's body type: <typeparamref name="T"/> or <see cref="TopicMessage{T}"/>.</typeparam>
/// <remarks>A deleted queue or a message the queue refuses (too large) is a permanent failure: no retry, straight to the
/// dead-letter queue, as SNS does for client-side errors. A full queue set to fail fast is retried.</remarks>
internal sealed class QueueSubscriber<T, TQueued>(IMessageQueue<TQueued> queue, Func<TopicMessage<T>, TQueued> select) : ITopicSubscriber<T>, IInlineSubscriber
{
    public string Protocol => "queue";

    public string Endpoint => queue.Name;

    public ValueTask DeliverAsync(TopicMessage<T> message, CancellationToken cancellationToken)
    {
        SendOptions? options = message.Attributes.Count == 0 && message.MessageGroupId is null
            ? null
            : new SendOptions { Attributes = message.Attributes, MessageGroupId = message.MessageGroupId, DeduplicationId = message.DeduplicationId };
        ValueTask<SendResult> send;
        try
        {
            send = queue.SendAsync(select(message), options, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or BrokerException)
        {
            return ValueTask.FromException(Translate(e));
        }

        if (send.IsCompletedSuccessfully)
        {
            _ = send.Result;
            return ValueTask.CompletedTask;
        }

        return AwaitAsync(send);
    }

    private static async ValueTask AwaitAsync(ValueTask<SendResult> send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or BrokerException)
        {
            throw Translate(e);
        }
    }

    private static SubscriberDeliveryException Translate(Exception e)
    {
        bool retryable = e is BrokerException { ErrorCode: BrokerErrorCode.QueueFull };
        return new SubscriberDeliveryException(e.Message, retryable, retryAfter: null, e);
    }
}
