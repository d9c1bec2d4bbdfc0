namespace Broker.Queues;

/// <summary>Packs a message's lifecycle state and its receive generation into one <see cref="long"/> so both change by a single compare-and-swap.</summary>
/// <remarks>The generation is the number of receives so far; a receipt handle carries the generation of its receive,
/// so a handle from an older receive cannot touch a newer one.</remarks>
internal static class MessageState
{
    public const long Delayed = 0;
    public const long Ready = 1;
    public const long InFlight = 2;
    public const long Deleted = 3;

    private const int KindBits = 2;
    private const long KindMask = (1 << KindBits) - 1;

    public static long Make(long kind, long generation) => (generation << KindBits) | kind;

    public static long Kind(long state) => state & KindMask;

    public static long Generation(long state) => state >> KindBits;
}
