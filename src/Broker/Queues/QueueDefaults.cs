namespace Broker.Queues;

/// <summary>The default values of <see cref="QueueOptions"/>, the same as Amazon SQS's.</summary>
public static class QueueDefaults
{
    /// <summary>The default visibility timeout: 30 seconds.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default delivery delay: none.</summary>
    public static readonly TimeSpan DeliveryDelay = TimeSpan.Zero;

    /// <summary>The default retention period: 4 days.</summary>
    public static readonly TimeSpan RetentionPeriod = TimeSpan.FromDays(4);

    /// <summary>The default receive wait time: none (short polling).</summary>
    public static readonly TimeSpan ReceiveWaitTime = TimeSpan.Zero;

    /// <summary>The default maximum message size: 1 MiB (1,048,576 bytes).</summary>
    public const int MaximumMessageSize = 1024 * 1024;

    /// <summary>The default dead-letter <see cref="RedrivePolicy.MaxReceiveCount"/>: 10.</summary>
    public const int MaxReceiveCount = 10;
}
