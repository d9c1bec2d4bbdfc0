using System.Text.Json;

namespace Broker.Topics;

/// <summary>What a topic tells an <see cref="ITopicSubscriber{T}"/> when it is subscribed: its subscription and the broker's
/// clock and JSON settings.</summary>
public sealed class SubscriberContext
{
    internal SubscriberContext(Subscription subscription, TimeProvider timeProvider, JsonSerializerOptions jsonSerializerOptions)
    {
        Subscription = subscription;
        TimeProvider = timeProvider;
        JsonSerializerOptions = jsonSerializerOptions;
    }

    /// <summary>Gets the subscription the subscriber now belongs to.</summary>
    public Subscription Subscription { get; }

    /// <summary>Gets the broker's clock, for timestamps and timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the broker's JSON settings, for subscribers that must turn bodies into bytes.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; }
}
