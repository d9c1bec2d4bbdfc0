using System.Diagnostics;

namespace Broker.Scheduling;

/// <summary>A queue's reading of its <see cref="TimeProvider"/>: monotonic ticks since the queue was created, and the
/// wall-clock time at such a tick.</summary>
/// <remarks>
/// Each clock read costs about as much as a quarter of a send, and a message needs both kinds: the monotonic time for its
/// timers and the wall-clock time for <c>SentTimestamp</c> and <c>ApproximateFirstReceiveTimestamp</c>. With the system
/// clock, a wall-clock reading is reused for <see cref="WallClockReuse"/>: the wall-clock time at a later tick is that
/// reading plus the monotonic time elapsed since. A step of the system clock therefore shows in the timestamps at most a
/// millisecond late, while a message pays for one clock read instead of two. Other providers (test clocks, which may move
/// their wall clock alone) are read for every wall-clock time.
/// The system clock's monotonic time is read from <see cref="Stopwatch.GetTimestamp"/> directly and converted with integer
/// arithmetic where its timestamps are nanoseconds or 100 ns ticks (as on Linux and macOS, and usually on Windows), which
/// saves the virtual call and the floating-point conversion of <see cref="TimeProvider.GetElapsedTime(long)"/>: a few
/// nanoseconds of a 28-32 ns read here.
/// </remarks>
internal sealed class QueueClock
{
    /// <summary>How long, in monotonic ticks, a wall-clock reading of the system clock stands for later ones.</summary>
    public const long WallClockReuse = TimeSpan.TicksPerMillisecond;

    private const long NanosecondsPerTick = 100;

    private readonly long _origin;
    private readonly long _reuseTicks;
    private readonly SystemTimestamps _systemTimestamps;
    private WallClockReading _reading;

    /// <summary>Initializes a new instance of the <see cref="QueueClock"/> class.</summary>
    /// <param name="time">The provider read.</param>
    /// <param name="reuseWallClock">Whether wall-clock readings are reused for <see cref="WallClockReuse"/>; <see langword="null"/>
    /// for the default, which reuses them with the system clock only.</param>
    public QueueClock(TimeProvider time, bool? reuseWallClock = null)
    {
        Time = time;
        _origin = time.GetTimestamp();
        _reuseTicks = (reuseWallClock ?? ReferenceEquals(time, TimeProvider.System)) ? WallClockReuse : 0;
        _systemTimestamps = !ReferenceEquals(time, TimeProvider.System) ? SystemTimestamps.None
            : Stopwatch.Frequency == TimeSpan.TicksPerSecond * NanosecondsPerTick ? SystemTimestamps.Nanoseconds
            : Stopwatch.Frequency == TimeSpan.TicksPerSecond ? SystemTimestamps.Ticks
            : SystemTimestamps.None;
        _reading = new WallClockReading(0, time.GetUtcNow().UtcTicks);
    }

    /// <summary>Gets the provider this clock reads.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the current time in ticks since the queue was created, from the monotonic timestamp.</summary>
    public long Now => _systemTimestamps switch
    {
        SystemTimestamps.Nanoseconds => (Stopwatch.GetTimestamp() - _origin) / NanosecondsPerTick,
        SystemTimestamps.Ticks => Stopwatch.GetTimestamp() - _origin,
        _ => Time.GetElapsedTime(_origin).Ticks,
    };

    /// <summary>Gets the wall-clock time, in UTC ticks, at <paramref name="now"/>, a value of <see cref="Now"/> read just before.</summary>
    /// <param name="now">The monotonic time the caller read.</param>
    /// <returns>The UTC ticks.</returns>
    public long UtcTicksAt(long now)
    {
        WallClockReading reading = Volatile.Read(ref _reading);
        long since = now - reading.Now;

        // Unsigned, so a reading newer than the caller's time (another thread refreshed it meanwhile) is not reused either.
        if ((ulong)since < (ulong)_reuseTicks)
        {
            return reading.UtcTicks + since;
        }

        long utcTicks = Time.GetUtcNow().UtcTicks;
        if (_reuseTicks > 0)
        {
            Volatile.Write(ref _reading, new WallClockReading(now, utcTicks));
        }

        return utcTicks;
    }

    /// <summary>What the system clock's timestamps count, when this clock reads them directly.</summary>
    private enum SystemTimestamps : byte
    {
        /// <summary>Not read directly: another provider, or timestamps of another frequency.</summary>
        None,

        /// <summary>Nanoseconds, a hundredth of a tick.</summary>
        Nanoseconds,

        /// <summary>Ticks of 100 ns.</summary>
        Ticks,
    }

    /// <summary>A wall-clock time and the monotonic time it was read at; replaced whole, so readers never see half of one.</summary>
    private sealed record WallClockReading(long Now, long UtcTicks);
}
