using Broker.Topics.Filtering;

namespace Broker.Topics;

/// <summary>The settings of one subscription.</summary>
public sealed class SubscriptionOptions
{
    /// <summary>Gets or sets the filter policy, an SNS-style JSON document; only matching messages are delivered.</summary>
    /// <value>The default is <see langword="null"/>: every message is delivered. The policy is validated and compiled when subscribing.</value>
    public string? FilterPolicy { get; set; }

    /// <summary>Gets or sets what the filter policy looks at: the message attributes or the JSON form of the body.</summary>
    /// <value>The default is <see cref="FilterPolicyScope.MessageAttributes"/>.</value>
    public FilterPolicyScope FilterPolicyScope { get; set; } = FilterPolicyScope.MessageAttributes;

    /// <summary>Gets or sets how failed deliveries are retried.</summary>
    /// <value>The default is <see langword="null"/>: the subscriber kind's default (for delegates and queues, 3 retries backing off
    /// exponentially from 1 to 20 seconds).</value>
    public DeliveryPolicy? DeliveryPolicy { get; set; }

    /// <summary>Gets or sets the name of a queue of <see cref="FailedDelivery{T}"/> that receives messages whose deliveries all failed.</summary>
    /// <value>The default is <see langword="null"/>: such messages are dropped after the last retry. The queue must exist when subscribing.</value>
    public string? DeadLetterQueueName { get; set; }

    /// <summary>Gets or sets how many deliveries of this subscription may run at once.</summary>
    /// <value>The default is 1: messages are delivered one at a time, in publish order. The allowed range is 1 to 64;
    /// above 1 the order is not kept.</value>
    public int MaxConcurrency { get; set; } = 1;

    internal SubscriptionOptions Clone() => new()
    {
        FilterPolicy = FilterPolicy,
        FilterPolicyScope = FilterPolicyScope,
        DeliveryPolicy = DeliveryPolicy?.Clone(),
        DeadLetterQueueName = DeadLetterQueueName,
        MaxConcurrency = MaxConcurrency,
    };
}
