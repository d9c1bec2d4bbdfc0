namespace Broker.Queues;

/// <summary>The settings of a queue, fixed when the queue is created.</summary>
public sealed class QueueOptions
{
    /// <summary>Gets or sets how long a received message stays hidden from other receivers.</summary>
    /// <value>The default is 30 seconds; the allowed range is 0 to 12 hours.</value>
    /// <remarks>If the message is neither deleted nor made visible before then, it becomes visible again.</remarks>
    public TimeSpan VisibilityTimeout { get; set; } = QueueDefaults.VisibilityTimeout;

    /// <summary>Gets or sets how long a newly sent message stays invisible before it can be received.</summary>
    /// <value>The default is zero; the allowed range is 0 to 15 minutes. A per-message delay overrides it.</value>
    public TimeSpan DeliveryDelay { get; set; } = QueueDefaults.DeliveryDelay;

    /// <summary>Gets or sets how long a message is kept, counted from when it was sent, before it is deleted.</summary>
    /// <value>The default is 4 days; the allowed range is 1 minute to 14 days.</value>
    /// <remarks>Messages in flight expire too, and a receipt handle for an expired message no longer works.</remarks>
    public TimeSpan MessageRetentionPeriod { get; set; } = QueueDefaults.RetentionPeriod;

    /// <summary>Gets or sets how long a receive waits for messages when the caller does not say.</summary>
    /// <value>The default is zero (return at once); the allowed range is 0 to 20 seconds.</value>
    public TimeSpan ReceiveWaitTime { get; set; } = QueueDefaults.ReceiveWaitTime;

    /// <summary>Gets or sets the largest message accepted, in bytes: the body plus attribute names, types and values.</summary>
    /// <value>The default is 1,048,576 (1 MiB); the allowed range is 1,024 to <see cref="int.MaxValue"/>.</value>
    /// <remarks>A string body counts as its UTF-8 bytes and a byte body as its length; other body types count as zero.</remarks>
    public int MaximumMessageSize { get; set; } = QueueDefaults.MaximumMessageSize;

    /// <summary>Gets or sets the dead-letter policy.</summary>
    /// <value>The default is <see langword="null"/>: messages are never dead-lettered.</value>
    public RedrivePolicy? RedrivePolicy { get; set; }

    /// <summary>Gets or sets the most messages the queue stores at once (visible, in flight and delayed).</summary>
    /// <value>The default is <see langword="null"/>: unbounded, as SQS. When set, it must be at least 1.</value>
    /// <remarks>Messages moved in by dead-lettering are always accepted, even past the capacity, so none is lost; they count
    /// toward the capacity like any other, so sends wait or fail until the queue is back under it.</remarks>
    public int? Capacity { get; set; }

    /// <summary>Gets or sets whether a FIFO queue derives a missing de-duplication id from the body: the SHA-256 of its bytes
    /// (a string's UTF-8, a byte body as is, any other type as its System.Text.Json serialization). Attributes do not count.</summary>
    /// <value>The default is <see langword="false"/>. FIFO queues only.</value>
    public bool ContentBasedDeduplication { get; set; }

    /// <summary>Gets or sets where a FIFO queue looks for duplicates.</summary>
    /// <value>The default is <see cref="DeduplicationScope.Queue"/>. FIFO queues only.</value>
    public DeduplicationScope DeduplicationScope { get; set; } = DeduplicationScope.Queue;

    /// <summary>Gets or sets what a send does when the queue is at <see cref="Capacity"/>.</summary>
    /// <value>The default is <see cref="QueueFullMode.Wait"/>.</value>
    public QueueFullMode FullMode { get; set; } = QueueFullMode.Wait;

    /// <summary>Sets the dead-letter policy.</summary>
    /// <param name="deadLetterQueueName">The dead-letter queue's name; it must exist when this queue is created.</param>
    /// <param name="maxReceiveCount">How many receives a message gets before it is moved; 1 to 1,000.</param>
    /// <returns>These options, for chaining.</returns>
    public QueueOptions DeadLetter(string deadLetterQueueName, int maxReceiveCount = QueueDefaults.MaxReceiveCount)
    {
        RedrivePolicy = new RedrivePolicy { DeadLetterQueueName = deadLetterQueueName, MaxReceiveCount = maxReceiveCount };
        return this;
    }

    internal QueueOptions Clone() => new()
    {
        VisibilityTimeout = VisibilityTimeout,
        DeliveryDelay = DeliveryDelay,
        MessageRetentionPeriod = MessageRetentionPeriod,
        ReceiveWaitTime = ReceiveWaitTime,
        MaximumMessageSize = MaximumMessageSize,
        RedrivePolicy = RedrivePolicy is null
            ? null
            : new RedrivePolicy { DeadLetterQueueName = RedrivePolicy.DeadLetterQueueName, MaxReceiveCount = RedrivePolicy.MaxReceiveCount },
        Capacity = Capacity,
        FullMode = FullMode,
        ContentBasedDeduplication = ContentBasedDeduplication,
        DeduplicationScope = DeduplicationScope,
    };

    internal bool HasSameSettings(QueueOptions other)
        => VisibilityTimeout == other.VisibilityTimeout
            && DeliveryDelay == other.DeliveryDelay
            && MessageRetentionPeriod == other.MessageRetentionPeriod
            && ReceiveWaitTime == other.ReceiveWaitTime
            && MaximumMessageSize == other.MaximumMessageSize
            && RedrivePolicy?.DeadLetterQueueName == other.RedrivePolicy?.DeadLetterQueueName
            && RedrivePolicy?.MaxReceiveCount == other.RedrivePolicy?.MaxReceiveCount
            && Capacity == other.Capacity
            && FullMode == other.FullMode
            && ContentBasedDeduplication == other.ContentBasedDeduplication
            && DeduplicationScope == other.DeduplicationScope;
}
