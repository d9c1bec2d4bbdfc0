namespace Broker.Benchmarks.Support;

/// <summary>The coarse clock: milliseconds, moving in steps of the kernel's tick.</summary>
public readonly struct CoarseClock : IFloorClock
{
    /// <inheritdoc />
    public static long Read() => Environment.TickCount64;
}
