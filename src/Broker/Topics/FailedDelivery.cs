namespace Broker.Topics;

/// <summary>A message a subscription could not deliver, as its dead-letter queue receives it.</summary>
/// <typeparam name="T">The topic's body type.</typeparam>
/// <param name="Message">The message, as the subscriber would have seen it.</param>
/// <param name="SubscriptionId">The subscription that failed.</param>
/// <param name="Protocol">The subscription's kind of endpoint.</param>
/// <param name="Endpoint">The subscription's endpoint description.</param>
/// <param name="Reason">Why the last attempt failed.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="FailedAt">When the last attempt failed.</param>
public sealed record FailedDelivery<T>(
    TopicMessage<T> Message,
    string SubscriptionId,
    string Protocol,
    string Endpoint,
    string Reason,
    int Attempts,
    DateTimeOffset FailedAt);
