namespace Broker.Benchmarks.Support;

/// <summary>The precise monotonic timestamp, which Broker's queues read.</summary>
public readonly struct PreciseClock : IFloorClock
{
    /// <inheritdoc />
    public static long Read() => TimeProvider.System.GetTimestamp();
}
