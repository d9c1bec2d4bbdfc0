namespace Broker.Messages;

/// <summary>A message as handed to a consumer by one receive.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <remarks>A received message is a snapshot of that receive; it is a value, so keeping it allocates nothing.</remarks>
public readonly struct ReceivedMessage<T>
{
    internal ReceivedMessage(
        MessageId messageId,
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        ReceiptHandle receiptHandle,
        int receiveCount,
        DateTimeOffset sentTimestamp,
        DateTimeOffset firstReceiveTimestamp,
        string? deadLetterSourceQueue,
        string? messageGroupId = null,
        string? messageDeduplicationId = null,
        string? sequenceNumber = null,
        string? traceParent = null)
    {
        MessageId = messageId;
        Body = body;
        Attributes = attributes;
        ReceiptHandle = receiptHandle;
        ReceiveCount = receiveCount;
        SentTimestamp = sentTimestamp;
        FirstReceiveTimestamp = firstReceiveTimestamp;
        DeadLetterSourceQueue = deadLetterSourceQueue;
        MessageGroupId = messageGroupId;
        MessageDeduplicationId = messageDeduplicationId;
        SequenceNumber = sequenceNumber;
        TraceParent = traceParent;
    }

    /// <summary>Gets the id the message was given when it was sent.</summary>
    public MessageId MessageId { get; }

    /// <summary>Gets the body, the same object the producer sent.</summary>
    public T Body { get; }

    /// <summary>Gets the message attributes; empty when the message has none.</summary>
    public IReadOnlyDictionary<string, MessageAttributeValue> Attributes { get; }

    /// <summary>Gets the handle of this receive, needed to delete the message or change its visibility.</summary>
    public ReceiptHandle ReceiptHandle { get; }

    /// <summary>Gets how many times the message has been received, this receive included (SQS <c>ApproximateReceiveCount</c>).</summary>
    public int ReceiveCount { get; }

    /// <summary>Gets when the message was sent (SQS <c>SentTimestamp</c>).</summary>
    /// <remarks>A message moved to a dead-letter queue keeps the time it was first sent.</remarks>
    public DateTimeOffset SentTimestamp { get; }

    /// <summary>Gets when the message was first received (SQS <c>ApproximateFirstReceiveTimestamp</c>).</summary>
    public DateTimeOffset FirstReceiveTimestamp { get; }

    /// <summary>Gets the name of the queue the message was dead-lettered from, if it was.</summary>
    /// <value>The source queue's name, or <see langword="null"/> for a message that was sent directly.</value>
    public string? DeadLetterSourceQueue { get; }

    /// <summary>Gets the message group the message was sent with.</summary>
    /// <value>The group id on a FIFO queue; on a standard queue the group id the producer passed, if any.</value>
    public string? MessageGroupId { get; }

    /// <summary>Gets the de-duplication id of a FIFO message: the one the producer passed, or the body's SHA-256 with content-based de-duplication.</summary>
    /// <value>The id; <see langword="null"/> on a standard queue.</value>
    public string? MessageDeduplicationId { get; }

    /// <summary>Gets the sequence number a FIFO queue gave the message; it increases with every send to the queue, so it is strictly increasing within a group.</summary>
    /// <value>A 20-digit decimal string that sorts as its number; <see langword="null"/> on a standard queue.</value>
    public string? SequenceNumber { get; }

    /// <summary>Gets the W3C <c>traceparent</c> of the span that sent the message, so processing can join the producer's trace.</summary>
    /// <value>The trace context; <see langword="null"/> when the sender was not traced.</value>
    public string? TraceParent { get; }
}
