using Broker.Messages;

namespace Broker.Queues;

/// <summary>A stored message of an in-memory queue: its immutable content and its mutable lifecycle state.</summary>
internal class QueueMessage<T> : IReceiptToken
{
    public const int FlagIndexed = 1;
    public const int FlagHoldsPermit = 2;

    public readonly InMemoryQueue<T> Queue;
    public readonly T Body;
    public readonly IReadOnlyDictionary<string, MessageAttributeValue> Attributes;
    public readonly MessageId Id;
    public readonly long SentUtcTicks;
    public readonly string? DeadLetterSourceQueue;
    public readonly string? MessageGroupId;

    /// <summary>The state and generation; see <see cref="MessageState"/>. Changed only by compare-and-swap.</summary>
    public long State;

    public long FirstReceiveUtcTicks;

    /// <summary>When the current receive's visibility ends, in timer ticks. Written under the timer gate.</summary>
    public long VisibleAt;

    /// <summary>When the current receive happened, in timer ticks; the 12-hour visibility cap counts from it.</summary>
    public long ReceivedAt;

    public int Flags;

    /// <summary>The W3C traceparent of the span that sent the message, so its consumers can join the trace.</summary>
    public string? TraceParent;

    public QueueMessage(
        InMemoryQueue<T> queue,
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        MessageId id,
        long sentUtcTicks,
        string? deadLetterSourceQueue,
        string? messageGroupId,
        long state)
    {
        Queue = queue;
        Body = body;
        Attributes = attributes;
        Id = id;
        SentUtcTicks = sentUtcTicks;
        DeadLetterSourceQueue = deadLetterSourceQueue;
        MessageGroupId = messageGroupId;
        State = state;
    }

    public string FormatHandle(long generation) => Queue.FormatHandle(this, generation);
}
