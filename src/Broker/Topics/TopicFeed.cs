namespace Broker.Topics;

/// <summary>What every topic feed has whatever its body type: how many publishes it took.</summary>
/// <remarks>Subscriptions keep their counts in the non-generic <see cref="SubscriptionRuntime"/>, which reads this.</remarks>
internal abstract class TopicFeed
{
    /// <summary>Written only under the derived feed's gate, with a release store.</summary>
    private protected long _count;

    /// <summary>Gets the publishes the feed took; fixed once it is sealed.</summary>
    public long Count => Volatile.Read(ref _count);
}
