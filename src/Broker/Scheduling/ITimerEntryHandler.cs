namespace Broker.Scheduling;

/// <summary>Decides what a due entry of a <see cref="TimerQueue{TEntry}"/> means.</summary>
/// <typeparam name="TEntry">The entry type.</typeparam>
internal interface ITimerEntryHandler<TEntry>
{
    /// <summary>Gets an upper bound on the number of live entries scheduled in order (<see cref="TimerQueue{TEntry}.ScheduleInOrder"/>),
    /// used to decide when their stale entries are worth compacting.</summary>
    long InOrderLiveEntryBound { get; }

    /// <summary>Gets an upper bound on the number of live entries scheduled in any order (<see cref="TimerQueue{TEntry}.Schedule"/>),
    /// used to decide when their stale entries are worth compacting.</summary>
    long HeapLiveEntryBound { get; }

    /// <summary>Called under the lane's lock for every entry scheduled in order, before it is placed; these calls never run at
    /// once, so the handler may count what the entries stand for without an atomic operation.</summary>
    void OnInOrderSchedule_Locked(in TEntry entry);

    /// <summary>Tells whether the entry still means something; stale entries are dropped.</summary>
    bool IsLive(in TEntry entry);

    /// <summary>Acts on a due entry while the timer queue's gate is held; returns <see langword="true"/> if
    /// <see cref="AfterFire"/> must be called for it once the gate is released.</summary>
    bool Fire_Locked(in TEntry entry);

    /// <summary>Finishes the work of fired entries outside the gate (channel writes, releasing capacity).</summary>
    void AfterFire(List<TEntry> fired);
}
