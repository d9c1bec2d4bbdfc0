namespace Broker.Queues;

/// <summary>Collects a batch request's outcomes, entry by entry, into a <see cref="BatchResult{TSuccess}"/>.</summary>
/// <remarks>A batch that fully succeeds, the usual case, costs one array of the batch's size: no list around it, and no list
/// of failures, which is made only for a first failure. A mutable struct: keep it in a local and do not copy it.</remarks>
/// <typeparam name="TSuccess">What a successful entry reports.</typeparam>
internal struct BatchOutcomes<TSuccess>
{
    private readonly TSuccess[] _successful;
    private int _successCount;
    private List<BatchResultErrorEntry>? _failed;

    /// <summary>Initializes a new instance of the <see cref="BatchOutcomes{TSuccess}"/> struct.</summary>
    /// <param name="entries">The number of entries in the batch.</param>
    public BatchOutcomes(int entries)
    {
        _successful = new TSuccess[entries];
    }

    public void Succeeded(TSuccess outcome) => _successful[_successCount++] = outcome;

    public void Failed(BatchResultErrorEntry failure) => (_failed ??= []).Add(failure);

    /// <summary>Makes the result, successes in the order of their entries.</summary>
    public readonly BatchResult<TSuccess> ToResult()
        => new(
            _successCount == _successful.Length ? _successful : _successful.AsSpan(0, _successCount).ToArray(),
            _failed is null ? [] : _failed);
}
