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
