namespace Broker.Benchmarks.Support;

/// <summary>A clock the floor benchmarks read, as a struct type parameter so the read is inlined.</summary>
public interface IFloorClock
{
    /// <summary>Reads the clock.</summary>
    /// <returns>The time, in the clock's own unit.</returns>
    static abstract long Read();
}
