namespace Broker.Benchmarks.Queues;

/// <summary>Counts what the consumers of one invocation have taken and releases the ones still long-polling once all is taken.</summary>
/// <param name="expected">How many messages the invocation moves.</param>
public sealed class ConsumerProgress(int expected) : IDisposable
{
    private readonly CancellationTokenSource _done = new();
    private int _taken;

    /// <summary>Gets a token cancelled once every message has been taken, to end the other consumers' waits.</summary>
    public CancellationToken Done => _done.Token;

    /// <summary>Adds a consumer's messages.</summary>
    /// <param name="count">How many it took.</param>
    /// <returns><see langword="true"/> when all messages have been taken, so the consumer should stop.</returns>
    public bool Add(int count)
    {
        int taken = Interlocked.Add(ref _taken, count);
        if (taken >= expected)
        {
            _done.Cancel();
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _done.Dispose();
}
