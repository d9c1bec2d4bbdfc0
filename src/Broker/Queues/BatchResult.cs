namespace Broker.Queues;

/// <summary>The per-entry outcome of a batch request. Check <see cref="Failed"/>: a batch succeeds entry by entry.</summary>
/// <typeparam name="TSuccess">What a successful entry reports.</typeparam>
public sealed class BatchResult<TSuccess>
{
    internal BatchResult(IReadOnlyList<TSuccess> successful, IReadOnlyList<BatchResultErrorEntry> failed)
    {
        Successful = successful;
        Failed = failed;
    }

    /// <summary>Gets the entries that succeeded.</summary>
    public IReadOnlyList<TSuccess> Successful { get; }

    /// <summary>Gets the entries that failed, with their reasons.</summary>
    public IReadOnlyList<BatchResultErrorEntry> Failed { get; }
}
