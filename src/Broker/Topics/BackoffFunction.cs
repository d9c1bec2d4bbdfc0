namespace Broker.Topics;

/// <summary>How retry delays grow from <see cref="DeliveryPolicy.MinDelay"/> to <see cref="DeliveryPolicy.MaxDelay"/> during the back-off phase.</summary>
/// <remarks>With N back-off retries, retry i (1 to N) waits MinDelay + (MaxDelay - MinDelay) × g(i/N), where g(x) is
/// x for linear, x² for arithmetic (slow start), (2^(N·x) - 1)/(2^N - 1) for geometric (doubling steps), and for exponential
/// the delay is MinDelay × (MaxDelay/MinDelay)^(i/N), a constant ratio between retries.</remarks>
public enum BackoffFunction
{
    /// <summary>Equal steps from the minimum to the maximum delay.</summary>
    Linear,

    /// <summary>Steps that grow steadily: small at first, larger later.</summary>
    Arithmetic,

    /// <summary>Steps that double each retry.</summary>
    Geometric,

    /// <summary>A constant ratio between consecutive delays.</summary>
    Exponential,
}
