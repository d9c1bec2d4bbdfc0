using System.Diagnostics;
using Broker.Scheduling;

namespace Broker.Tests.Scheduling;

public sealed class QueueClockTests
{
    private static readonly TimeSpan s_halfReuse = TimeSpan.FromTicks(QueueClock.WallClockReuse / 2);

    private readonly SteppableClock _time = new();

    [Fact]
    public void Now_SystemClock_IsTheStopwatchTimeSinceTheClockWasMade()
    {
        long beforeMade = Stopwatch.GetTimestamp();
        var clock = new QueueClock(TimeProvider.System);
        long afterMade = Stopwatch.GetTimestamp();
        SpinUntilStopwatchPasses(afterMade, TimeSpan.FromMilliseconds(2));

        long beforeRead = Stopwatch.GetTimestamp();
        long now = clock.Now;
        long afterRead = Stopwatch.GetTimestamp();

        // The clock's origin was read between beforeMade and afterMade, and its reading between beforeRead and afterRead;
        // one tick either way for the rounding of either conversion.
        now.Should().BeInRange(
            Stopwatch.GetElapsedTime(afterMade, beforeRead).Ticks - 1,
            Stopwatch.GetElapsedTime(beforeMade, afterRead).Ticks + 1);
    }

    [Fact]
    public void Now_SystemClock_NeverGoesBack()
    {
        var clock = new QueueClock(TimeProvider.System);
        long previous = clock.Now;
        for (int i = 0; i < 100_000; i++)
        {
            long now = clock.Now;
            now.Should().BeGreaterThanOrEqualTo(previous);
            previous = now;
        }
    }

    [Fact]
    public void UtcTicksAt_ReusedReading_AddsTheMonotonicTimeElapsedSince()
    {
        var clock = new QueueClock(_time, reuseWallClock: true);
        long first = clock.UtcTicksAt(clock.Now);

        _time.Advance(s_halfReuse);

        clock.UtcTicksAt(clock.Now).Should().Be(first + s_halfReuse.Ticks);
    }

    [Fact]
    public void UtcTicksAt_WallClockStepped_ShowsTheStepOnceTheReadingIsAMillisecondOld()
    {
        var clock = new QueueClock(_time, reuseWallClock: true);
        clock.UtcTicksAt(clock.Now);
        _time.StepWallClock(TimeSpan.FromHours(1));

        _time.Advance(s_halfReuse);
        long withinReuse = clock.UtcTicksAt(clock.Now);
        _time.Advance(s_halfReuse);
        long afterReuse = clock.UtcTicksAt(clock.Now);

        withinReuse.Should().Be(_time.GetUtcNow().UtcTicks - s_halfReuse.Ticks - TimeSpan.FromHours(1).Ticks);
        afterReuse.Should().Be(_time.GetUtcNow().UtcTicks);
    }

    [Fact]
    public void UtcTicksAt_OtherProviderByDefault_ReadsTheWallClockEveryTime()
    {
        var clock = new QueueClock(_time);
        clock.UtcTicksAt(clock.Now);

        _time.StepWallClock(TimeSpan.FromHours(1));

        clock.UtcTicksAt(clock.Now).Should().Be(_time.GetUtcNow().UtcTicks);
    }

    [Fact]
    public void UtcTicksAt_TimeOlderThanTheReading_ReadsTheWallClock()
    {
        var clock = new QueueClock(_time, reuseWallClock: true);
        long earlier = clock.Now;
        _time.Advance(TimeSpan.FromTicks(QueueClock.WallClockReuse));
        clock.UtcTicksAt(clock.Now);
        _time.StepWallClock(TimeSpan.FromHours(1));

        clock.UtcTicksAt(earlier).Should().Be(_time.GetUtcNow().UtcTicks);
    }

    [Fact]
    public void UtcTicksAt_SystemClock_AgreesWithTheSystemClock()
    {
        var clock = new QueueClock(TimeProvider.System);
        clock.UtcTicksAt(clock.Now);

        long before = TimeProvider.System.GetUtcNow().UtcTicks;
        long derived = clock.UtcTicksAt(clock.Now);
        long after = TimeProvider.System.GetUtcNow().UtcTicks;

        // The system clock may be slewed meanwhile, by far less than a millisecond.
        derived.Should().BeInRange(before - QueueClock.WallClockReuse, after + QueueClock.WallClockReuse);
    }

    [Fact]
    public void Now_CountsFromCreation()
    {
        _time.Advance(TimeSpan.FromDays(3));
        var clock = new QueueClock(_time);

        _time.Advance(TimeSpan.FromSeconds(5));

        clock.Now.Should().Be(TimeSpan.FromSeconds(5).Ticks);
    }

    /// <summary>Spins until the stopwatch is <paramref name="span"/> past <paramref name="from"/>, so a reading of the system
    /// clock differs from its origin by more than the tolerance of a comparison.</summary>
    private static void SpinUntilStopwatchPasses(long from, TimeSpan span)
    {
        while (Stopwatch.GetElapsedTime(from) < span)
        {
            Thread.SpinWait(16);
        }
    }
}
