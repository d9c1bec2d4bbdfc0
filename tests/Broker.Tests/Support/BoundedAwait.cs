namespace Broker.Tests.Support;

/// <summary>Bounds awaits in tests so that a broker bug that never completes an operation fails the test instead of hanging it.</summary>
internal static class BoundedAwait
{
    /// <summary>The longest any single queue operation may take in a test, long polls included.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(10);

    public static Task<T> Bounded<T>(this ValueTask<T> task, CancellationToken cancellationToken = default)
        => task.AsTask().WaitAsync(OperationTimeout, cancellationToken);

    public static Task Bounded(this ValueTask task, CancellationToken cancellationToken = default)
        => task.AsTask().WaitAsync(OperationTimeout, cancellationToken);

    public static Task Bounded(this Task task, CancellationToken cancellationToken = default)
        => task.WaitAsync(OperationTimeout, cancellationToken);

    public static Task<T> Bounded<T>(this Task<T> task, CancellationToken cancellationToken = default)
        => task.WaitAsync(OperationTimeout, cancellationToken);
}
