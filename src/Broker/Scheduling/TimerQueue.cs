using System.Diagnostics;

namespace Broker.Scheduling;

/// <summary>The one timer structure of a queue: visibility expiry, delays and retention share a single
/// <see cref="ITimer"/> from the injected <see cref="TimeProvider"/>; entries in any order go to a min-heap, entries
/// whose due times only grow (retention) to a first-in first-out lane beside it.</summary>
/// <typeparam name="TEntry">The entry type.</typeparam>
/// <remarks>
/// Entries are never searched for: when the thing they were scheduled for changes (a message is deleted or its
/// visibility changed), the entry goes stale and is dropped when it comes due, or earlier when stale entries
/// outnumber live ones and the heap or lane is rebuilt; each is compacted against the handler's bound for its own kind of
/// entry, so a backlog of messages waiting to be received does not keep deleted messages' visibility entries (and with
/// them the messages) alive. Scheduling costs O(log n) at worst and O(1) for the usual ever-later due times; compaction
/// is O(n) and amortized over at least n stale entries.
/// Time is the queue's <see cref="QueueClock.Now"/>, ticks since the queue was created read from the monotonic
/// timestamp, so wall-clock changes do not move expiries.
/// The in-order lane has its own lock, so producers scheduling retention do not contend with receivers scheduling
/// visibility timeouts on the heap's gate, and appending to it costs O(1). An entry due before the lane's last one
/// goes to an overflow heap under the gate instead, so the lane stays sorted. Firing takes all three in due order. Both locks are
/// <see cref="SpinGate"/>s, which are not reentrant. Lock order: the gate, then the lane's lock; nothing takes the gate
/// while holding the lane's lock.
/// </remarks>
internal sealed class TimerQueue<TEntry> : IDisposable
{
    private const int CompactionSlack = 1024;

    /// <summary>How far, in ticks, an in-order entry may be due before the lane's last one and still go to the lane.</summary>
    private const long LaneReorderTolerance = TimeSpan.TicksPerMillisecond;

    // Declared, and so allocated, in this order: each padded state object keeps the heap and the lane, which the other
    // side's threads never write, off the cache lines of the objects around them.
    private readonly TimerHeapState _heapState = new();
    private readonly PriorityQueue<TEntry, long> _heap = new();

    /// <summary>In-order entries due before the lane's last one (a dead letter keeps its first sent time); under the gate.</summary>
    /// <remarks>Kept apart from <see cref="_heap"/> so each is compacted against its own bound of live entries.</remarks>
    private readonly PriorityQueue<TEntry, long> _laneOverflow = new();
    private readonly TimerLaneState _laneState = new();
    private readonly Queue<(TEntry Entry, long Due)> _lane = new();
    private readonly QueueClock _clock;
    private readonly ITimerEntryHandler<TEntry> _handler;
    private readonly ITimer _timer;
    private List<(TEntry, long)>? _compactionBuffer;

    public TimerQueue(QueueClock clock, ITimerEntryHandler<TEntry> handler)
    {
        _clock = clock;
        _handler = handler;
        _timer = clock.Time.CreateTimer(static state => ((TimerQueue<TEntry>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets the gate that serializes scheduling with firing; callers that must agree with the timer take it.</summary>
    public ref SpinGate Gate => ref _heapState.Gate;

    /// <summary>Gets the current time in ticks since the queue was created.</summary>
    public long Now => _clock.Now;

    /// <summary>Gets the number of entries in the heap and the in-order lane, stale ones included.</summary>
    public int Count
    {
        get
        {
            using (_heapState.Gate.Enter())
            {
                using (_laneState.Gate.Enter())
                {
                    return _heap.Count + _laneOverflow.Count + _lane.Count;
                }
            }
        }
    }

    public void Schedule(in TEntry entry, long dueTicks)
    {
        using (_heapState.Gate.Enter())
        {
            Schedule_Locked(entry, dueTicks);
        }
    }

    public void Schedule_Locked(in TEntry entry, long dueTicks)
    {
        Debug.Assert(_heapState.Gate.IsHeld);
        if (_heapState.Disposed)
        {
            return;
        }

        if (--_heapState.SchedulesToCheck < 0)
        {
            // Checked once per CompactionSlack entries: the live bound reads counters other threads write, which is too
            // dear for every entry, and at most that many more stale entries wait for the next check.
            _heapState.SchedulesToCheck = CompactionSlack;
            if (_heap.Count > (2 * _handler.HeapLiveEntryBound) + CompactionSlack)
            {
                Compact_Locked(_heap);
            }
        }

        Enqueue_Locked(_heap, entry, dueTicks);
    }

    /// <summary>Schedules an entry due at <paramref name="dueTicks"/>, in the in-order lane when that is not before the
    /// lane's last due time (the usual case for a fixed delay), in the overflow heap otherwise.</summary>
    /// <remarks>Takes the gate only when the lane was empty (to arm the timer) or the entry goes to the heap; callers that
    /// hold the gate call <see cref="ScheduleInOrder_Locked"/> instead, since the gate is not reentrant. Producers read the
    /// time before they take the lane's lock, so two of them may append in the other order than they read it: an entry due
    /// at most <see cref="LaneReorderTolerance"/> before the lane's last one is appended with that last due time instead,
    /// firing that much late, never early.</remarks>
    public void ScheduleInOrder(in TEntry entry, long dueTicks)
    {
        long due = dueTicks;
        bool appended = TryAppendToLane(entry, ref due, out bool wasEmpty);
        if (appended && !wasEmpty)
        {
            return; // The timer is armed for the lane's first entry or earlier already.
        }

        using (_heapState.Gate.Enter())
        {
            FinishInOrder_Locked(entry, due, appended);
        }
    }

    /// <summary>Does what <see cref="ScheduleInOrder"/> does, for a caller that holds the gate.</summary>
    public void ScheduleInOrder_Locked(in TEntry entry, long dueTicks)
    {
        Debug.Assert(_heapState.Gate.IsHeld);
        long due = dueTicks;
        bool appended = TryAppendToLane(entry, ref due, out bool wasEmpty);
        if (!appended || wasEmpty)
        {
            FinishInOrder_Locked(entry, due, appended);
        }
    }

    /// <summary>Appends an entry to the lane unless it is due too long before the lane's last one; may lift
    /// <paramref name="due"/> to that last due time (see <see cref="ScheduleInOrder"/>).</summary>
    private bool TryAppendToLane(in TEntry entry, ref long due, out bool wasEmpty)
    {
        using (_laneState.Gate.Enter())
        {
            _handler.OnInOrderSchedule_Locked(entry);
            if (due < _laneState.LastDue && _laneState.LastDue - due > LaneReorderTolerance)
            {
                wasEmpty = false;
                return false;
            }

            due = Math.Max(due, _laneState.LastDue);
            if (--_laneState.SchedulesToCheck < 0)
            {
                // As for the heap, checked once per CompactionSlack entries.
                _laneState.SchedulesToCheck = CompactionSlack;
                if (_lane.Count > (2 * _handler.InOrderLiveEntryBound) + CompactionSlack)
                {
                    CompactLane_Locked();
                }
            }

            wasEmpty = _lane.Count == 0;
            _lane.Enqueue((entry, due));
            _laneState.LastDue = due;
            return true;
        }
    }

    /// <summary>Arms the timer for an entry appended to an empty lane, or puts one the lane refused in the overflow heap.</summary>
    private void FinishInOrder_Locked(in TEntry entry, long due, bool appended)
    {
        if (_heapState.Disposed)
        {
            return;
        }

        if (appended)
        {
            if (due < _heapState.ArmedFor)
            {
                Arm_Locked(due);
            }

            return;
        }

        // Rare enough (dead letters, a producer held up for over a millisecond) to check the bound every time.
        if (_laneOverflow.Count > (2 * _handler.InOrderLiveEntryBound) + CompactionSlack)
        {
            Compact_Locked(_laneOverflow);
        }

        Enqueue_Locked(_laneOverflow, entry, due);
    }

    /// <summary>Drops stale entries from the front of the in-order lane, at most <paramref name="limit"/>, stopping at the first
    /// live one.</summary>
    /// <remarks>Messages are mostly deleted in about the order they were sent, so their stale retention entries gather at the
    /// lane's front; dropping them there lets the deleted messages be collected now instead of at the next compaction, which
    /// waits for more sends (or, once a burst is over, for the retention period).</remarks>
    /// <param name="limit">How many entries to drop at most.</param>
    public void TrimInOrderFront(int limit)
    {
        using (_laneState.Gate.Enter())
        {
            for (int dropped = 0; dropped < limit && _lane.TryPeek(out (TEntry Entry, long Due) first) && !_handler.IsLive(first.Entry); dropped++)
            {
                _lane.Dequeue();
            }
        }
    }

    /// <summary>Finds the earliest due time among the entries <paramref name="match"/> accepts. O(n): for occasional reads such as
    /// health checks and gauges, not for per-message paths.</summary>
    /// <returns>The earliest due time, or <see langword="null"/> when no entry matches.</returns>
    public long? MinDue<TState>(Func<TEntry, TState, bool> match, TState state)
    {
        long? min = null;
        using (_heapState.Gate.Enter())
        {
            foreach (PriorityQueue<TEntry, long> heap in (ReadOnlySpan<PriorityQueue<TEntry, long>>)[_heap, _laneOverflow])
            {
                foreach ((TEntry entry, long due) in heap.UnorderedItems)
                {
                    if ((min is null || due < min) && match(entry, state))
                    {
                        min = due;
                    }
                }
            }

            using (_laneState.Gate.Enter())
            {
                // The lane is sorted, so its first match is its earliest.
                foreach ((TEntry entry, long due) in _lane)
                {
                    if (min is not null && due >= min)
                    {
                        break;
                    }

                    if (match(entry, state))
                    {
                        min = due;
                        break;
                    }
                }
            }
        }

        return min;
    }

    /// <summary>Removes every entry and hands each to <paramref name="visit"/>; used by purge.</summary>
    public void Drain_Locked<TState>(Action<TEntry, TState> visit, TState state)
    {
        Debug.Assert(_heapState.Gate.IsHeld);
        foreach (PriorityQueue<TEntry, long> heap in (ReadOnlySpan<PriorityQueue<TEntry, long>>)[_heap, _laneOverflow])
        {
            foreach ((TEntry entry, long _) in heap.UnorderedItems)
            {
                visit(entry, state);
            }

            heap.Clear();
        }

        using (_laneState.Gate.Enter())
        {
            foreach ((TEntry entry, long _) in _lane)
            {
                visit(entry, state);
            }

            _lane.Clear();
        }
    }

    public void Dispose()
    {
        using (_heapState.Gate.Enter())
        {
            _heapState.Disposed = true;
            _heap.Clear();
            _laneOverflow.Clear();
            using (_laneState.Gate.Enter())
            {
                _lane.Clear();
            }
        }

        _timer.Dispose();
    }

    private void OnTimer()
    {
        List<TEntry>? fired = null;
        using (_heapState.Gate.Enter())
        {
            if (_heapState.Disposed)
            {
                return;
            }

            _heapState.ArmedFor = long.MaxValue;
            long now = Now;
            List<(TEntry Entry, long Due)>? laneDue = null;
            long laneNext = long.MaxValue;
            using (_laneState.Gate.Enter())
            {
                while (_lane.TryPeek(out (TEntry Entry, long Due) first) && first.Due <= now)
                {
                    (laneDue ??= []).Add(_lane.Dequeue());
                }

                if (_lane.TryPeek(out (TEntry Entry, long Due) next))
                {
                    laneNext = next.Due;
                }
            }

            // All in due order, as one heap would have fired them (on equal due times the heap first, the lane last).
            int lanePosition = 0;
            while (true)
            {
                TEntry entry;
                long heapDue = _heap.TryPeek(out TEntry? heapEntry, out long heapTop) && heapTop <= now ? heapTop : long.MaxValue;
                long overflowDue = _laneOverflow.TryPeek(out TEntry? overflowEntry, out long overflowTop) && overflowTop <= now ? overflowTop : long.MaxValue;
                long laneDueTime = laneDue is not null && lanePosition < laneDue.Count ? laneDue[lanePosition].Due : long.MaxValue;
                if (heapDue == long.MaxValue && overflowDue == long.MaxValue && laneDueTime == long.MaxValue)
                {
                    break;
                }

                if (heapDue <= overflowDue && heapDue <= laneDueTime)
                {
                    entry = heapEntry!;
                    _heap.Dequeue();
                }
                else if (overflowDue <= laneDueTime)
                {
                    entry = overflowEntry!;
                    _laneOverflow.Dequeue();
                }
                else
                {
                    entry = laneDue![lanePosition++].Entry;
                }

                if (_handler.IsLive(entry) && _handler.Fire_Locked(entry))
                {
                    (fired ??= []).Add(entry);
                }
            }

            long heapNext = _heap.TryPeek(out _, out long nextDue) ? nextDue : long.MaxValue;
            long overflowNext = _laneOverflow.TryPeek(out _, out long nextOverflowDue) ? nextOverflowDue : long.MaxValue;
            if (Math.Min(Math.Min(heapNext, overflowNext), laneNext) is long armFor and < long.MaxValue)
            {
                Arm_Locked(armFor);
            }
        }

        if (fired is not null)
        {
            _handler.AfterFire(fired);
        }
    }

    /// <summary>Puts an entry in one of the heaps and arms the timer for it if it is due before what the timer waits for.</summary>
    private void Enqueue_Locked(PriorityQueue<TEntry, long> heap, in TEntry entry, long dueTicks)
    {
        heap.Enqueue(entry, dueTicks);
        if (dueTicks < _heapState.ArmedFor)
        {
            Arm_Locked(dueTicks);
        }
    }

    private void Arm_Locked(long dueTicks)
    {
        _heapState.ArmedFor = dueTicks;

        // Whole milliseconds, rounded up: system timers work in milliseconds, and one that fired a fraction early would re-arm
        // with a zero delay and spin until the due time. At least one millisecond, so a due time that has just passed still
        // fires through the timer, never inline under the gate.
        long delay = Math.Max(dueTicks - Now, 1);
        long milliseconds = (delay + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        _timer.Change(TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Drops the lane's stale entries, keeping the live ones in order.</summary>
    private void CompactLane_Locked()
    {
        for (int remaining = _lane.Count; remaining > 0; remaining--)
        {
            (TEntry Entry, long Due) item = _lane.Dequeue();
            if (_handler.IsLive(item.Entry))
            {
                _lane.Enqueue(item);
            }
        }
    }

    private void Compact_Locked(PriorityQueue<TEntry, long> heap)
    {
        // The buffer is kept between compactions, so a busy queue that compacts often does not allocate for it each time.
        List<(TEntry, long)> live = _compactionBuffer ??= new List<(TEntry, long)>(heap.Count / 2);
        foreach ((TEntry entry, long due) in heap.UnorderedItems)
        {
            if (_handler.IsLive(entry))
            {
                live.Add((entry, due));
            }
        }

        heap.Clear();
        heap.EnqueueRange(live);
        live.Clear();
    }
}
