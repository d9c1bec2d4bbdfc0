using Broker.Topics.Filtering;

namespace Broker.Topics;

/// <summary>A subscription of an endpoint to a topic: its identity, settings and delivery counts.</summary>
/// <remarks>Disposing the subscription unsubscribes it, as <see cref="ITopic.UnsubscribeAsync"/> does.</remarks>
public sealed class Subscription : IAsyncDisposable
{
    private readonly SubscriptionRuntime _runtime;

    internal Subscription(SubscriptionRuntime runtime)
    {
        _runtime = runtime;
    }

    /// <summary>Gets the subscription's id, unique within the process.</summary>
    public string Id => _runtime.Id;

    /// <summary>Gets the topic's name.</summary>
    public string TopicName => _runtime.Topic.Name;

    /// <summary>Gets the kind of endpoint: <c>queue</c>, <c>delegate</c>, or one added by another package such as <c>https</c>.</summary>
    public string Protocol => _runtime.Protocol;

    /// <summary>Gets a description of the endpoint: a queue's name, a delegate's method, a URL.</summary>
    public string Endpoint => _runtime.Endpoint;

    /// <summary>Gets a value indicating whether the endpoint receives the body as published (a queue of the body type) rather than the envelope.</summary>
    public bool RawMessageDelivery => _runtime.RawMessageDelivery;

    /// <summary>Gets the filter policy, or <see langword="null"/> when the subscription takes every message.</summary>
    public string? FilterPolicy => _runtime.Filter?.ToString();

    /// <summary>Gets what the filter policy looks at.</summary>
    public FilterPolicyScope FilterPolicyScope => _runtime.Filter?.Scope ?? FilterPolicyScope.MessageAttributes;

    /// <summary>Gets a value indicating whether the subscription has been removed.</summary>
    public bool IsRemoved => _runtime.IsRemoved;

    /// <summary>Gets the number of messages delivered.</summary>
    public long DeliveredCount => _runtime.Delivered;

    /// <summary>Gets the number of delivery attempts that failed, retried ones included.</summary>
    public long FailedAttemptCount => _runtime.FailedAttempts;

    /// <summary>Gets the number of messages sent to the subscription's dead-letter queue.</summary>
    public long DeadLetteredCount => _runtime.DeadLettered;

    /// <summary>Gets the number of messages dropped: every attempt failed and there was no dead-letter queue, or it refused them.</summary>
    public long DroppedCount => _runtime.Dropped;

    /// <summary>Gets the number of accepted messages not yet delivered, dead-lettered or dropped.</summary>
    public long PendingCount => _runtime.Pending;

    /// <summary>Unsubscribes; see <see cref="ITopic.UnsubscribeAsync"/>.</summary>
    /// <returns>A task that completes when no delivery of this subscription is running any more.</returns>
    public ValueTask DisposeAsync() => new(_runtime.Topic.UnsubscribeAsync(Id).AsTask());

    /// <inheritdoc />
    public override string ToString() => $"{Protocol}:{Endpoint} on {TopicName} ({Id})";
}
