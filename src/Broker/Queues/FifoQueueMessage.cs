using Broker.Messages;

namespace Broker.Queues;

/// <summary>A stored message of a FIFO queue: a queue message plus its group, de-duplication id and sequence number.</summary>
internal sealed class FifoQueueMessage<T> : QueueMessage<T>
{
    public readonly FifoGroup<T> Group;
    private readonly string _deduplicationId;
    private readonly string _sequenceNumber;

    public FifoQueueMessage(
        InMemoryQueue<T> queue,
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        MessageId id,
        long sentUtcTicks,
        string? deadLetterSourceQueue,
        FifoGroup<T> group,
        string deduplicationId,
        string sequenceNumber,
        long state)
        : base(queue, body, attributes, id, sentUtcTicks, deadLetterSourceQueue, messageGroupId: null, state)
    {
        Group = group;
        _deduplicationId = deduplicationId;
        _sequenceNumber = sequenceNumber;
    }

    /// <summary>Gets the group's id, read from the group rather than stored again in every message.</summary>
    public override string MessageGroupId => Group.Id;

    public override string DeduplicationId => _deduplicationId;

    public override string SequenceNumber => _sequenceNumber;
}
