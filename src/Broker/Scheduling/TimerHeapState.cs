using System.Runtime.InteropServices;

namespace Broker.Scheduling;

/// <summary>What receivers and the timer change on a <see cref="TimerQueue{TEntry}"/>'s heap side, on cache lines no other
/// object shares.</summary>
/// <remarks>Producers change the lane for every send and receivers the heap side for every receive; on shared cache lines
/// each change takes the line from the other core. Padding on both sides of the fields keeps neighbouring objects off
/// their lines; x64 processors fetch lines in pairs, hence 128 bytes. Not generic, since the runtime refuses explicit
/// layout on generic types.</remarks>
[StructLayout(LayoutKind.Explicit)]
internal sealed class TimerHeapState
{
    private const int Padding = 128;

    /// <summary>The due time the timer is armed for; <see cref="long.MaxValue"/> when it is not armed.</summary>
    [FieldOffset(Padding)]
    public long ArmedFor = long.MaxValue;

    /// <summary>Heap schedules left until the next check for stale entries.</summary>
    [FieldOffset(Padding + 8)]
    public int SchedulesToCheck;

    [FieldOffset(Padding + 12)]
    public bool Disposed;

    /// <summary>The gate that serializes scheduling on the heap with firing; placed a padding's width after the fields above,
    /// which it thereby keeps apart from the next object.</summary>
    [FieldOffset((2 * Padding) + 16)]
    public SpinGate Gate = new();
}
