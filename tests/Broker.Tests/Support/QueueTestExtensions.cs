using Broker.Messages;
using Broker.Queues;

namespace Broker.Tests.Support;

/// <summary>Short forms for the steps most queue tests repeat.</summary>
public static class QueueTestExtensions
{
    /// <summary>The bound on every await that could hang if the code under test is broken.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<QueueCounts> CountsAsync(this IMessageQueue queue)
    {
        QueueAttributes attributes = await queue.GetAttributesAsync();
        return new QueueCounts(
            attributes.ApproximateNumberOfMessages,
            attributes.ApproximateNumberOfMessagesNotVisible,
            attributes.ApproximateNumberOfMessagesDelayed);
    }

    /// <summary>Receives without waiting and requires exactly one message.</summary>
    public static async Task<ReceivedMessage<T>> ReceiveSingleAsync<T>(this IMessageQueue<T> queue, TimeSpan? visibilityTimeout = null)
    {
        IReadOnlyList<ReceivedMessage<T>> messages = await queue.ReceiveAsync(1, TimeSpan.Zero, visibilityTimeout);
        messages.Should().ContainSingle("a visible message was expected");
        return messages[0];
    }

    /// <summary>Receives without waiting.</summary>
    public static async Task<IReadOnlyList<ReceivedMessage<T>>> ReceiveNowAsync<T>(this IMessageQueue<T> queue, int maxMessages = 1, TimeSpan? visibilityTimeout = null)
        => await queue.ReceiveAsync(maxMessages, TimeSpan.Zero, visibilityTimeout);

    public static async Task<MessageId> SendOneAsync<T>(this IMessageQueue<T> queue, T body, SendOptions? options = null)
        => (await queue.SendAsync(body, options)).MessageId;

    public static Task<T> Bounded<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);

    public static Task Bounded(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Bounded(this Task task) => task.WaitAsync(Timeout);
}
