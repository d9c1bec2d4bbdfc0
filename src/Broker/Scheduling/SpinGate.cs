using System.Diagnostics.CodeAnalysis;

namespace Broker.Scheduling;

/// <summary>The lock of a timer queue's heap side or lane: entered with one atomic operation and left with a plain store.</summary>
/// <remarks>
/// A <see cref="Lock"/> takes an atomic operation to enter and another to leave (about 13 ns here, against about 5.5 ns
/// for this one), and every send and every receive enters one of these two locks. The price is that a waiter spins
/// instead of parking at once: it spins briefly, then yields, then sleeps a millisecond at a time (<see cref="SpinLock"/>).
/// That suits these locks, which are held for a few heap or lane operations, and only rarely for a pass over every entry
/// (firing a burst of expiries, a compaction, a purge). Not reentrant: code that already holds the gate must not enter it
/// again. A struct, so <c>lock</c> cannot be used on it by mistake; keep it in a field and reach it by reference.
/// </remarks>
internal struct SpinGate
{
    private SpinLock _lock;

    public SpinGate() => _lock = new SpinLock(enableThreadOwnerTracking: false);

    /// <summary>Gets a value indicating whether some thread holds the gate; for assertions.</summary>
    public readonly bool IsHeld => _lock.IsHeld;

    /// <summary>Enters the gate, waiting as long as it takes; dispose the scope to leave it.</summary>
    /// <returns>The scope that leaves the gate.</returns>
    [UnscopedRef]
    public Scope Enter()
    {
        bool taken = false;
        _lock.Enter(ref taken);
        return new Scope(ref _lock);
    }

    /// <summary>Leaves the gate when disposed, as a <c>using</c> statement does.</summary>
    public readonly ref struct Scope
    {
        private readonly ref SpinLock _lock;

        public Scope(ref SpinLock held) => _lock = ref held;

        /// <summary>Leaves the gate. Its store is a release, so the next holder sees every change made under the gate.</summary>
        public void Dispose() => _lock.Exit(useMemoryBarrier: false);
    }
}
