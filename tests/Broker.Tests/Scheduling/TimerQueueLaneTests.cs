using Broker.Scheduling;
using Broker.Tests.Support;

namespace Broker.Tests.Scheduling;

/// <summary>The in-order lane of <see cref="TimerQueue{TEntry}"/>: entries that come in slightly out of order fire late, never early.</summary>
public sealed class TimerQueueLaneTests : IDisposable
{
    private static readonly long s_millisecond = TimeSpan.TicksPerMillisecond;

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingHandler _handler = new();
    private readonly TimerQueue<string> _timers;

    public TimerQueueLaneTests()
    {
        _timers = new TimerQueue<string>(new QueueClock(_time), _handler);
    }

    [Fact]
    public void ScheduleInOrder_DueSlightlyBeforeTheLastEntry_FiresWithTheLastEntryNotBefore()
    {
        _timers.ScheduleInOrder("later", 10 * s_millisecond);
        _timers.ScheduleInOrder("raced", (10 * s_millisecond) - (s_millisecond / 2));

        _time.Advance(TimeSpan.FromTicks((10 * s_millisecond) - 1));
        string[] beforeLast = [.. _handler.Fired];
        _time.Advance(TimeSpan.FromTicks(1));

        beforeLast.Should().BeEmpty();
        _handler.Fired.Should().Equal("later", "raced");
    }

    [Fact]
    public void ScheduleInOrder_DueWellBeforeTheLastEntry_FiresAtItsOwnTime()
    {
        _timers.ScheduleInOrder("later", 10 * s_millisecond);
        _timers.ScheduleInOrder("dead letter", 2 * s_millisecond);

        _time.Advance(TimeSpan.FromTicks(2 * s_millisecond));
        string[] atEarlier = [.. _handler.Fired];
        _time.Advance(TimeSpan.FromTicks(8 * s_millisecond));

        atEarlier.Should().Equal("dead letter");
        _handler.Fired.Should().Equal("dead letter", "later");
    }

    [Fact]
    public void ScheduleInOrder_Locked_WithTheGateHeld_ArmsTheTimerForAnEmptyLaneAndSendsAnEarlierEntryToTheHeap()
    {
        using (_timers.Gate.Enter())
        {
            _timers.ScheduleInOrder_Locked("first", 10 * s_millisecond);
            _timers.ScheduleInOrder_Locked("dead letter", 2 * s_millisecond);
        }

        _time.Advance(TimeSpan.FromTicks(2 * s_millisecond));
        string[] atEarlier = [.. _handler.Fired];
        _time.Advance(TimeSpan.FromTicks(8 * s_millisecond));

        atEarlier.Should().Equal("dead letter");
        _handler.Fired.Should().Equal("dead letter", "first");
        _timers.Gate.IsHeld.Should().BeFalse();
    }

    public void Dispose() => _timers.Dispose();

    private sealed class RecordingHandler : ITimerEntryHandler<string>
    {
        public List<string> Fired { get; } = [];

        public long InOrderLiveEntryBound => 16;

        public long HeapLiveEntryBound => 16;

        public void OnInOrderSchedule_Locked(in string entry)
        {
        }

        public bool IsLive(in string entry) => true;

        public bool Fire_Locked(in string entry)
        {
            Fired.Add(entry);
            return false;
        }

        public void AfterFire(List<string> fired)
        {
        }
    }
}
