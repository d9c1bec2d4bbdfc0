using System.Runtime.InteropServices;

namespace Broker.Scheduling;

/// <summary>What producers change on a <see cref="TimerQueue{TEntry}"/>'s in-order lane, on cache lines no other object
/// shares; see <see cref="TimerHeapState"/> for why.</summary>
[StructLayout(LayoutKind.Explicit)]
internal sealed class TimerLaneState
{
    private const int Padding = 128;

    /// <summary>The due time of the lane's last entry; entries are appended in due order.</summary>
    [FieldOffset(Padding)]
    public long LastDue = long.MinValue;

    /// <summary>Lane schedules left until the next check for stale entries.</summary>
    [FieldOffset(Padding + 8)]
    public int SchedulesToCheck;

    /// <summary>The lane's lock; placed as <see cref="TimerHeapState.Gate"/> is.</summary>
    [FieldOffset((2 * Padding) + 16)]
    public SpinGate Gate = new();
}
