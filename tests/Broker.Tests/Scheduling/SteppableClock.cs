namespace Broker.Tests.Scheduling;

/// <summary>A clock whose wall-clock time and monotonic timestamp move separately, as the system clock's do when it is stepped.</summary>
internal sealed class SteppableClock : TimeProvider
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private TimeSpan _elapsed;
    private TimeSpan _step;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => s_start + _elapsed + _step;

    public override long GetTimestamp() => _elapsed.Ticks;

    /// <summary>Lets time pass: both clocks move.</summary>
    public void Advance(TimeSpan delta) => _elapsed += delta;

    /// <summary>Sets the wall clock alone, as an administrator or a time service does.</summary>
    public void StepWallClock(TimeSpan delta) => _step += delta;
}
