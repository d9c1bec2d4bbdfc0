namespace Broker.Messages;

/// <summary>What a receiver sees of a stored message. A backend's stored message derives from it, so a
/// <see cref="ReceivedMessage{T}"/> can refer to it instead of copying every field on each receive.</summary>
/// <remarks>Everything here is fixed once the message is stored, except <see cref="FirstReceiveUtcTicks"/>, which is set
/// once, before the first receive returns.</remarks>
internal abstract class MessageRecord<T> : IReceiptToken
{
    public readonly T Body;
    public readonly IReadOnlyDictionary<string, MessageAttributeValue> Attributes;
    public readonly MessageId Id;
    public readonly long SentUtcTicks;
    public readonly string? DeadLetterSourceQueue;
    public readonly string? MessageGroupId;

    public long FirstReceiveUtcTicks;

    /// <summary>The W3C traceparent of the span that sent the message, so its consumers can join the trace.</summary>
    public string? TraceParent;

    protected MessageRecord(
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        MessageId id,
        long sentUtcTicks,
        string? deadLetterSourceQueue,
        string? messageGroupId)
    {
        Body = body;
        Attributes = attributes;
        Id = id;
        SentUtcTicks = sentUtcTicks;
        DeadLetterSourceQueue = deadLetterSourceQueue;
        MessageGroupId = messageGroupId;
    }

    public virtual string? DeduplicationId => null;

    public virtual string? SequenceNumber => null;

    public abstract string FormatHandle(long generation);
}
