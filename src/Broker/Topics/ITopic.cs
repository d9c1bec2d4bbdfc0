namespace Broker.Topics;

/// <summary>The operations every topic has, whatever its body type.</summary>
public interface ITopic
{
    /// <summary>Gets the topic's name.</summary>
    string Name { get; }

    /// <summary>Gets the type of the topic's message bodies.</summary>
    Type BodyType { get; }

    /// <summary>Lists the topic's subscriptions, in the order they were made.</summary>
    /// <returns>The subscriptions.</returns>
    IReadOnlyList<Subscription> ListSubscriptions();

    /// <summary>Removes a subscription. Messages it had accepted but not delivered are dropped.</summary>
    /// <param name="subscriptionId">The subscription's id.</param>
    /// <returns><see langword="true"/> if the subscription existed. When the task completes, no delivery of the subscription is
    /// running and none will start; a delegate that is running is cancelled and awaited.</returns>
    ValueTask<bool> UnsubscribeAsync(string subscriptionId);
}
