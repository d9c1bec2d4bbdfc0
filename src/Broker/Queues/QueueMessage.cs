using Broker.Messages;

namespace Broker.Queues;

/// <summary>A stored message of an in-memory queue: its immutable content and its mutable lifecycle state.</summary>
internal class QueueMessage<T> : MessageRecord<T>
{
    public const int FlagIndexed = 1;
    public const int FlagHoldsPermit = 2;

    public readonly InMemoryQueue<T> Queue;

    /// <summary>The state and generation; see <see cref="MessageState"/>. Changed only by compare-and-swap.</summary>
    public long State;

    /// <summary>When the current receive's visibility ends, in timer ticks. Written under the timer gate.</summary>
    public long VisibleAt;

    /// <summary>When the current receive happened, in timer ticks; the 12-hour visibility cap counts from it.</summary>
    public long ReceivedAt;

    public int Flags;

    public QueueMessage(
        InMemoryQueue<T> queue,
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        MessageId id,
        long sentUtcTicks,
        string? deadLetterSourceQueue,
        string? messageGroupId,
        long state)
        : base(body, attributes, id, sentUtcTicks, deadLetterSourceQueue, messageGroupId)
    {
        Queue = queue;
        State = state;
    }

    public override string FormatHandle(long generation) => Queue.FormatHandle(this, generation);
}
