namespace Broker.Topics;

/// <summary>How many publishes offered their message to one set of a topic's subscriptions: counted once per publish for
/// the whole set, instead of once per subscription, which would cost every publish an atomic add per subscription.</summary>
/// <remarks>
/// When the subscriptions change, the topic seals the old set's tally, which fixes its count, and each of the set's
/// subscriptions adds that count to the messages it has accepted. A publisher that read the old set and counts after the
/// seal learns that its publish is not in the sealed count, and has each subscription it offers to count it instead: no
/// publish is counted twice or missed.
/// </remarks>
internal sealed class PublishTally
{
    private const long SealedFlag = 1L << 62;
    private long _count;

    /// <summary>Counts one publish.</summary>
    /// <returns><see langword="false"/> when the tally was sealed first, so the publish is not in its sealed count.</returns>
    public bool TryCount() => (Interlocked.Increment(ref _count) & SealedFlag) == 0;

    /// <summary>Gets the publishes counted so far; read only while the tally is not sealed.</summary>
    public long Count => Volatile.Read(ref _count) & ~SealedFlag;

    /// <summary>Fixes the count: every later <see cref="TryCount"/> returns <see langword="false"/>.</summary>
    /// <returns>The publishes counted before the seal.</returns>
    public long Seal() => Interlocked.Or(ref _count, SealedFlag) & ~SealedFlag;
}
