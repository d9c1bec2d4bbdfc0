namespace Broker.Hosting.HealthChecks;

/// <summary>Thresholds of a queue health check; a check reports the worst state any threshold reaches. Unset thresholds are not checked.</summary>
/// <remarks>Counts must be at least 1 and ages positive, and a degraded threshold must not exceed its unhealthy one;
/// <c>AddBrokerQueue</c> rejects other values.</remarks>
public sealed class QueueHealthOptions
{
    /// <summary>Gets or sets the number of waiting messages (visible and delayed) from which the queue is degraded.</summary>
    public long? DegradedDepth { get; set; }

    /// <summary>Gets or sets the number of waiting messages (visible and delayed) from which the queue is unhealthy.</summary>
    public long? UnhealthyDepth { get; set; }

    /// <summary>Gets or sets the age of the oldest message from which the queue is degraded.</summary>
    public TimeSpan? DegradedOldestMessageAge { get; set; }

    /// <summary>Gets or sets the age of the oldest message from which the queue is unhealthy.</summary>
    public TimeSpan? UnhealthyOldestMessageAge { get; set; }

    /// <summary>Gets or sets the number of messages in the queue's dead-letter queue (from its redrive policy) from which the queue is degraded.</summary>
    public long? DegradedDeadLetterCount { get; set; }

    /// <summary>Gets or sets the number of messages in the queue's dead-letter queue from which the queue is unhealthy.</summary>
    public long? UnhealthyDeadLetterCount { get; set; }
}
