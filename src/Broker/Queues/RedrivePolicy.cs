namespace Broker.Queues;

/// <summary>Where a queue moves messages that were received too many times without being deleted.</summary>
public sealed class RedrivePolicy
{
    /// <summary>Gets or sets the name of the dead-letter queue. It must exist and have the same body type.</summary>
    public string DeadLetterQueueName { get; set; } = string.Empty;

    /// <summary>Gets or sets how many times a message may be received before it is moved to the dead-letter queue.</summary>
    /// <value>The default is 10; the allowed range is 1 to 1,000. With 3, a message is processed at most 3 times.</value>
    public int MaxReceiveCount { get; set; } = QueueDefaults.MaxReceiveCount;
}
