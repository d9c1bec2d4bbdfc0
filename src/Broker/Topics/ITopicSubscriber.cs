namespace Broker.Topics;

/// <summary>An endpoint a topic delivers to. Queues and delegates are built in; other packages (webhooks) add their own.</summary>
/// <typeparam name="T">The topic's body type.</typeparam>
/// <remarks>
/// The topic calls <see cref="DeliverAsync"/> off the publisher's path, retries it per the subscription's
/// <see cref="DeliveryPolicy"/> when it throws, and dead-letters the message when every retry failed. Throw
/// <see cref="SubscriberDeliveryException"/> to skip the retries (a permanent failure) or to ask for a specific delay.
/// </remarks>
public interface ITopicSubscriber<T>
{
    /// <summary>Gets the kind of endpoint, such as <c>queue</c>, <c>delegate</c> or <c>https</c> (SNS <c>Protocol</c>).</summary>
    string Protocol { get; }

    /// <summary>Gets a description of the endpoint: a queue's name, a URL (SNS <c>Endpoint</c>). Must not contain secrets.</summary>
    string Endpoint { get; }

    /// <summary>Gets a value indicating whether the endpoint receives the body as published rather than the envelope.</summary>
    bool RawMessageDelivery => false;

    /// <summary>Gets a value indicating whether the endpoint takes messages now.</summary>
    /// <value>The default is <see langword="true"/>. An endpoint that must first confirm the subscription (as SNS HTTP endpoints do)
    /// returns <see langword="false"/> until then; messages published meanwhile are not accepted for it, not even counted.</value>
    bool IsActive => true;

    /// <summary>Called once when the subscriber is subscribed, before any message can reach it.</summary>
    /// <param name="context">The subscription and the broker's clock and JSON settings.</param>
    /// <remarks>The default does nothing. Called outside the topic's lock; should only store what it needs and return. A throw
    /// cancels the subscription and reaches the caller of <c>Subscribe</c>.</remarks>
    void OnSubscribed(SubscriberContext context)
    {
    }

    /// <summary>Delivers one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancelled when the subscription is removed or the broker shuts down.</param>
    /// <returns>A task that completes when the endpoint has accepted the message.</returns>
    ValueTask DeliverAsync(TopicMessage<T> message, CancellationToken cancellationToken);
}
