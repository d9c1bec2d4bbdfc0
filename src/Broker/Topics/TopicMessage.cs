using Broker.Messages;

namespace Broker.Topics;

/// <summary>A published message as subscribers see it: the SNS-style envelope, with the body as the object that was published.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <remarks>One instance is shared by every subscription of a publish, so it is immutable; bodies should be immutable too.</remarks>
public sealed class TopicMessage<T>
{
    internal TopicMessage(
        MessageId messageId,
        string topicName,
        T body,
        string? subject,
        DateTimeOffset timestamp,
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        string? messageGroupId,
        string? deduplicationId,
        string? sequenceNumber,
        string? traceParent = null)
    {
        TraceParent = traceParent;
        MessageId = messageId;
        TopicName = topicName;
        Body = body;
        Subject = subject;
        Timestamp = timestamp;
        Attributes = attributes;
        MessageGroupId = messageGroupId;
        DeduplicationId = deduplicationId;
        SequenceNumber = sequenceNumber;
    }

    /// <summary>Gets the envelope type, always <c>Notification</c> for a published message (SNS <c>Type</c>).</summary>
    public string Type => "Notification";

    /// <summary>Gets the id the publish returned; every subscription sees the same id, on every attempt.</summary>
    public MessageId MessageId { get; }

    /// <summary>Gets the name of the topic the message was published to (SNS <c>TopicArn</c>).</summary>
    public string TopicName { get; }

    /// <summary>Gets the body, the same object the publisher passed (SNS <c>Message</c>).</summary>
    public T Body { get; }

    /// <summary>Gets the subject the publisher passed, if any.</summary>
    public string? Subject { get; }

    /// <summary>Gets when the message was published.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the message attributes; empty when there are none.</summary>
    public IReadOnlyDictionary<string, MessageAttributeValue> Attributes { get; }

    /// <summary>Gets the message group of a FIFO topic's message; <see langword="null"/> on a standard topic.</summary>
    public string? MessageGroupId { get; }

    /// <summary>Gets the de-duplication id of a FIFO topic's message; <see langword="null"/> on a standard topic.</summary>
    public string? DeduplicationId { get; }

    /// <summary>Gets the sequence number a FIFO topic gave the message; <see langword="null"/> on a standard topic.</summary>
    public string? SequenceNumber { get; }

    /// <summary>Gets the W3C <c>traceparent</c> of the publish span, so deliveries and consumers join the publisher's trace.</summary>
    /// <value>The trace context; <see langword="null"/> when the publisher was not traced.</value>
    public string? TraceParent { get; }
}
