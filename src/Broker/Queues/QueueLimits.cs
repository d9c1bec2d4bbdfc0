namespace Broker.Queues;

/// <summary>The limits that queue operations enforce; most are those of Amazon SQS.</summary>
public static class QueueLimits
{
    /// <summary>The longest a received message can stay hidden, counted from its receive: 12 hours.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);

    /// <summary>The longest delay for a queue or a single message: 15 minutes.</summary>
    public static readonly TimeSpan MaxDeliveryDelay = TimeSpan.FromMinutes(15);

    /// <summary>The shortest retention period: 1 minute.</summary>
    public static readonly TimeSpan MinRetentionPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The longest retention period: 14 days.</summary>
    public static readonly TimeSpan MaxRetentionPeriod = TimeSpan.FromDays(14);

    /// <summary>The longest a receive may wait for messages: 20 seconds.</summary>
    public static readonly TimeSpan MaxReceiveWaitTime = TimeSpan.FromSeconds(20);

    /// <summary>The smallest configurable maximum message size: 1,024 bytes.</summary>
    public const int MinMaximumMessageSize = 1024;

    /// <summary>The most messages one receive returns: 10.</summary>
    public const int MaxReceiveMessages = 10;

    /// <summary>The most entries in one batch request: 10.</summary>
    public const int MaxBatchEntries = 10;

    /// <summary>The longest batch entry id: 80 characters.</summary>
    public const int MaxBatchEntryIdLength = 80;

    /// <summary>The longest queue name: 80 characters.</summary>
    public const int MaxQueueNameLength = 80;

    /// <summary>The highest dead-letter <see cref="RedrivePolicy.MaxReceiveCount"/>: 1,000.</summary>
    public const int MaxMaxReceiveCount = 1000;

    /// <summary>The highest rate of a message move task: 500 messages per second.</summary>
    public const int MaxMoveMessagesPerSecond = 500;
}
