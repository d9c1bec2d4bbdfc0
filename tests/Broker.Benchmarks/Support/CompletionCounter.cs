namespace Broker.Benchmarks.Support;

/// <summary>Counts deliveries down to zero and completes a task then, so a benchmark can await "all delivered" for
/// peers that push to handlers (topics, Dataflow, MassTransit).</summary>
public sealed class CompletionCounter
{
    private int _remaining;
    private TaskCompletionSource _done = NewSource();

    /// <summary>Gets a task that completes when <see cref="Signal"/> has been called as often as the last <see cref="Reset"/> asked.</summary>
    public Task Task => _done.Task;

    /// <summary>Starts a new count; call before any delivery of the next round can happen.</summary>
    /// <param name="expected">How many signals complete the round.</param>
    public void Reset(int expected)
    {
        _done = NewSource();
        Volatile.Write(ref _remaining, expected);
    }

    /// <summary>Records one delivery.</summary>
    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
