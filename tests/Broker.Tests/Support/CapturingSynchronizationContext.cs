namespace Broker.Tests.Support;

/// <summary>A synchronization context that records what is posted to it and never runs it, like a UI thread that is busy.
/// Library code that awaits with <c>ConfigureAwait(false)</c> never posts here.</summary>
public sealed class CapturingSynchronizationContext : SynchronizationContext
{
    private int _posted;

    public int Posted => Volatile.Read(ref _posted);

    public override void Post(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posted);

    public override void Send(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posted);

    /// <summary>Runs <paramref name="action"/> with this context installed on the current thread.</summary>
    public T Run<T>(Func<T> action)
    {
        SynchronizationContext? previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return action();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
