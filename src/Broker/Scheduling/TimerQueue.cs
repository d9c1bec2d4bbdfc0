using System.Diagnostics;

namespace Broker.Scheduling;

/// <summary>The one timer structure of a queue: visibility expiry, delays and retention share a min-heap and a single
/// <see cref="ITimer"/> from the injected <see cref="TimeProvider"/>.</summary>
/// <typeparam name="TEntry">The entry type.</typeparam>
/// <remarks>
/// Entries are never searched for: when the thing they were scheduled for changes (a message is deleted or its
/// visibility changed), the entry goes stale and is dropped when it comes due, or earlier when stale entries
/// outnumber live ones and the heap is rebuilt. Scheduling costs O(log n) at worst and O(1) for the usual
/// ever-later due times; compaction is O(n) and amortized over at least n stale entries.
/// Time is kept in ticks since the queue was created, read from the monotonic timestamp, so wall-clock changes do
/// not move expiries.
/// </remarks>
internal sealed class TimerQueue<TEntry> : IDisposable
{
    private const int CompactionSlack = 1024;

    private readonly Lock _gate = new();
    private readonly PriorityQueue<TEntry, long> _heap = new();
    private readonly TimeProvider _time;
    private readonly ITimerEntryHandler<TEntry> _handler;
    private readonly long _origin;
    private readonly ITimer _timer;
    private List<(TEntry, long)>? _compactionBuffer;
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public TimerQueue(TimeProvider time, ITimerEntryHandler<TEntry> handler)
    {
        _time = time;
        _handler = handler;
        _origin = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((TimerQueue<TEntry>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets the gate that serializes scheduling with firing; callers that must agree with the timer take it.</summary>
    public Lock Gate => _gate;

    /// <summary>Gets the current time in ticks since the queue was created.</summary>
    public long Now => _time.GetElapsedTime(_origin).Ticks;

    /// <summary>Gets the number of entries in the heap, stale ones included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _heap.Count;
            }
        }
    }

    public void Schedule(in TEntry entry, long dueTicks)
    {
        lock (_gate)
        {
            Schedule_Locked(entry, dueTicks);
        }
    }

    public void Schedule_Locked(in TEntry entry, long dueTicks)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        if (_disposed)
        {
            return;
        }

        if (_heap.Count > (2 * _handler.LiveEntryBound) + CompactionSlack)
        {
            Compact_Locked();
        }

        _heap.Enqueue(entry, dueTicks);
        if (dueTicks < _armedFor)
        {
            Arm_Locked(dueTicks);
        }
    }

    /// <summary>Finds the earliest due time among the entries <paramref name="match"/> accepts. O(n): for occasional reads such as
    /// health checks and gauges, not for per-message paths.</summary>
    /// <returns>The earliest due time, or <see langword="null"/> when no entry matches.</returns>
    public long? MinDue<TState>(Func<TEntry, TState, bool> match, TState state)
    {
        long? min = null;
        lock (_gate)
        {
            foreach ((TEntry entry, long due) in _heap.UnorderedItems)
            {
                if ((min is null || due < min) && match(entry, state))
                {
                    min = due;
                }
            }
        }

        return min;
    }

    /// <summary>Removes every entry and hands each to <paramref name="visit"/>; used by purge.</summary>
    public void Drain_Locked<TState>(Action<TEntry, TState> visit, TState state)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        foreach ((TEntry entry, long _) in _heap.UnorderedItems)
        {
            visit(entry, state);
        }

        _heap.Clear();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _heap.Clear();
        }

        _timer.Dispose();
    }

    private void OnTimer()
    {
        List<TEntry>? fired = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _armedFor = long.MaxValue;
            long now = Now;
            while (_heap.TryPeek(out TEntry? entry, out long due) && due <= now)
            {
                _heap.Dequeue();
                if (_handler.IsLive(entry) && _handler.Fire_Locked(entry))
                {
                    (fired ??= []).Add(entry);
                }
            }

            if (_heap.TryPeek(out _, out long next))
            {
                Arm_Locked(next);
            }
        }

        if (fired is not null)
        {
            _handler.AfterFire(fired);
        }
    }

    private void Arm_Locked(long dueTicks)
    {
        _armedFor = dueTicks;

        // Whole milliseconds, rounded up: system timers work in milliseconds, and one that fired a fraction early would re-arm
        // with a zero delay and spin until the due time. At least one millisecond, so a due time that has just passed still
        // fires through the timer, never inline under the gate.
        long delay = Math.Max(dueTicks - Now, 1);
        long milliseconds = (delay + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        _timer.Change(TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
    }

    private void Compact_Locked()
    {
        // The buffer is kept between compactions, so a busy queue that compacts often does not allocate for it each time.
        List<(TEntry, long)> live = _compactionBuffer ??= new List<(TEntry, long)>(_heap.Count / 2);
        foreach ((TEntry entry, long due) in _heap.UnorderedItems)
        {
            if (_handler.IsLive(entry))
            {
                live.Add((entry, due));
            }
        }

        _heap.Clear();
        _heap.EnqueueRange(live);
        live.Clear();
    }
}
