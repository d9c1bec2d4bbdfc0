namespace Broker.Messages;

/// <summary>A message as handed to a consumer by one receive.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <remarks>A received message is a small value (a reference to the stored message and the number of this receive), so
/// receiving copies nothing and keeping it allocates nothing. Every property describes this receive and never changes.</remarks>
public readonly struct ReceivedMessage<T>
{
    private readonly MessageRecord<T>? _record;
    private readonly long _generation;

    internal ReceivedMessage(MessageRecord<T> record, long generation)
    {
        _record = record;
        _generation = generation;
    }

    internal MessageRecord<T>? Record => _record;

    internal long Generation => _generation;

    /// <summary>Gets the id the message was given when it was sent.</summary>
    public MessageId MessageId => _record?.Id ?? default;

    /// <summary>Gets the body, the same object the producer sent.</summary>
    public T Body => _record is null ? default! : _record.Body;

    /// <summary>Gets the message attributes; empty when the message has none.</summary>
    public IReadOnlyDictionary<string, MessageAttributeValue> Attributes => _record?.Attributes ?? MessageAttributeRules.Empty;

    /// <summary>Gets the handle of this receive, needed to delete the message or change its visibility.</summary>
    public ReceiptHandle ReceiptHandle => _record is null ? default : new ReceiptHandle(_record, _generation);

    /// <summary>Gets how many times the message has been received, this receive included (SQS <c>ApproximateReceiveCount</c>).</summary>
    public int ReceiveCount => (int)_generation;

    /// <summary>Gets when the message was sent (SQS <c>SentTimestamp</c>).</summary>
    /// <remarks>A message moved to a dead-letter queue keeps the time it was first sent.</remarks>
    public DateTimeOffset SentTimestamp => new(_record?.SentUtcTicks ?? 0, TimeSpan.Zero);

    /// <summary>Gets when the message was first received (SQS <c>ApproximateFirstReceiveTimestamp</c>).</summary>
    public DateTimeOffset FirstReceiveTimestamp => new(_record?.FirstReceiveUtcTicks ?? 0, TimeSpan.Zero);

    /// <summary>Gets the name of the queue the message was dead-lettered from, if it was.</summary>
    /// <value>The source queue's name, or <see langword="null"/> for a message that was sent directly.</value>
    public string? DeadLetterSourceQueue => _record?.DeadLetterSourceQueue;

    /// <summary>Gets the message group the message was sent with.</summary>
    /// <value>The group id on a FIFO queue; on a standard queue the group id the producer passed, if any.</value>
    public string? MessageGroupId => _record?.MessageGroupId;

    /// <summary>Gets the de-duplication id of a FIFO message: the one the producer passed, or the body's SHA-256 with content-based de-duplication.</summary>
    /// <value>The id; <see langword="null"/> on a standard queue.</value>
    public string? MessageDeduplicationId => _record?.DeduplicationId;

    /// <summary>Gets the sequence number a FIFO queue gave the message; it increases with every send to the queue, so it is strictly increasing within a group.</summary>
    /// <value>A 20-digit decimal string that sorts as its number; <see langword="null"/> on a standard queue.</value>
    public string? SequenceNumber => _record?.SequenceNumber;

    /// <summary>Gets the W3C <c>traceparent</c> of the span that sent the message, so processing can join the producer's trace.</summary>
    /// <value>The trace context; <see langword="null"/> when the sender was not traced.</value>
    public string? TraceParent => _record?.TraceParent;
}
