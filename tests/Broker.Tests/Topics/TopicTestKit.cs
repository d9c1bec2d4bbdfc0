using System.Collections.Concurrent;
using System.Threading.Channels;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Short forms the topic tests share: attribute sets, publish options, and a delegate that records what reaches it.</summary>
internal static class TopicTestKit
{
    public static Dictionary<string, MessageAttributeValue> Attributes(params (string Name, string Value)[] pairs)
    {
        var attributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal);
        foreach ((string name, string value) in pairs)
        {
            attributes[name] = value;
        }

        return attributes;
    }

    public static PublishOptions With(params (string Name, string Value)[] pairs) => new() { Attributes = Attributes(pairs) };

    /// <summary>Subscribes a delegate that always throws, with <paramref name="retries"/> retries and no delay between them.</summary>
    public static Subscription SubscribeFailing(this ITopic<string> topic, string? deadLetterQueueName = null, int retries = 0)
        => topic.Subscribe(
            (_, _) => throw new InvalidOperationException("no"),
            o =>
            {
                o.DeadLetterQueueName = deadLetterQueueName;
                o.DeliveryPolicy = new DeliveryPolicy { NumRetries = retries, NumNoDelayRetries = retries };
            });

    /// <summary>Waits, bounded in real time, for the next dead letter.</summary>
    public static async Task<FailedDelivery<T>> NextDeadLetterAsync<T>(this IMessageQueue<FailedDelivery<T>> deadLetterQueue)
        => (await deadLetterQueue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).Bounded()).Single().Body;

    /// <summary>Receives everything visible now, deleting nothing.</summary>
    public static async Task<List<T>> DrainAsync<T>(this IMessageQueue<T> queue)
    {
        var bodies = new List<T>();
        while (true)
        {
            IReadOnlyList<ReceivedMessage<T>> batch = await queue.ReceiveNowAsync(10);
            if (batch.Count == 0)
            {
                return bodies;
            }

            foreach (ReceivedMessage<T> message in batch)
            {
                bodies.Add(message.Body);
            }
        }
    }
}

/// <summary>A broker whose string topic has one raw queue subscriber: the arrangement most publish tests share.</summary>
internal sealed class TopicWithQueue : IDisposable
{
    public TopicWithQueue(TimeProvider clock, Action<TopicOptions>? configureTopic = null)
    {
        Broker = new MessageBroker(clock);
        Topic = Broker.CreateTopic<string>("t", configureTopic);
        Queue = Broker.CreateQueue<string>("q");
        Subscription = Topic.Subscribe(Queue);
    }

    public MessageBroker Broker { get; }

    public ITopic<string> Topic { get; }

    public IMessageQueue<string> Queue { get; }

    public Subscription Subscription { get; }

    public void Deconstruct(out ITopic<string> topic, out IMessageQueue<string> queue)
    {
        topic = Topic;
        queue = Queue;
    }

    public void Dispose() => Broker.Dispose();
}

/// <summary>A delegate subscriber that records every delivery and lets a test await a number of them.</summary>
internal sealed class DeliveryRecorder<T>
{
    private readonly ConcurrentQueue<TopicMessage<T>> _seen = new();
    private readonly Channel<TopicMessage<T>> _arrivals = Channel.CreateUnbounded<TopicMessage<T>>();

    public IReadOnlyCollection<TopicMessage<T>> Seen => _seen;

    public int Count => _seen.Count;

    public ValueTask Handle(TopicMessage<T> message, CancellationToken cancellationToken)
    {
        _seen.Enqueue(message);
        _arrivals.Writer.TryWrite(message);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits, bounded in real time, until <paramref name="count"/> more deliveries have arrived.</summary>
    public async Task<List<TopicMessage<T>>> NextAsync(int count = 1)
    {
        var result = new List<TopicMessage<T>>(count);
        using var timeout = new CancellationTokenSource(QueueTestExtensions.Timeout);
        while (result.Count < count)
        {
            result.Add(await _arrivals.Reader.ReadAsync(timeout.Token));
        }

        return result;
    }
}
