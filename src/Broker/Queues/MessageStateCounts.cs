namespace Broker.Queues;

/// <summary>A queue's exact message counts per state, kept as counts of state changes.</summary>
/// <remarks>
/// Counting each change once (from one state to another) instead of decrementing one count and incrementing another
/// makes a change cost one interlocked add instead of two; a state's count is what went into it minus what left it.
/// Every change has its own cache line, so a producer storing messages and a consumer receiving and deleting them do
/// not write the same line, nor the queue object's lines that both read. Two changes are counted under a lock their
/// writers hold anyway, without an atomic operation: storing a message (the lane lock, taken to append its retention
/// entry) and receiving one (the timer gate, taken to schedule its visibility timeout). Every other change counts with an
/// interlocked add, and a counter is only ever changed one way. Counts read while changes are under way may
/// be off by those changes (Count clamps at zero); they are exact once the changes settle.
/// </remarks>
internal sealed class MessageStateCounts
{
    /// <summary>Longs per cache line: each counter is alone on its line.</summary>
    private const int Stride = 8;

    /// <summary>The "from" row of a message that has just been stored.</summary>
    private const int Stored = 4;

    private const int States = 4;

    private readonly long[] _changes = new long[(Stored + 1) * States * Stride];

    /// <summary>Counts a new message stored in <paramref name="kind"/>, for a caller holding the lock under which every such
    /// count is made (the timer queue's lane lock), so no atomic operation is needed.</summary>
    public void Add_Locked(long kind) => Increment_Locked(Index(Stored, kind));

    /// <summary>Counts a message received, from ready to in flight, for a caller holding the timer gate, under which every
    /// such count is made.</summary>
    public void Receive_Locked() => Increment_Locked(Index(MessageState.Ready, MessageState.InFlight));

    /// <summary>Counts a message moving from <paramref name="from"/> to <paramref name="to"/>; a change within one state counts nothing.</summary>
    public void Move(long from, long to)
    {
        if (from != to)
        {
            Interlocked.Increment(ref _changes[Index(from, to)]);
        }
    }

    /// <summary>Gets the number of messages in <paramref name="kind"/>, at least zero.</summary>
    public long Count(long kind) => Math.Max(0, RawCount(kind));

    /// <summary>Gets the number of messages in <paramref name="kind"/> as counted, without clamping, so a drift below zero shows.</summary>
    public long RawCount(long kind)
    {
        long count = Volatile.Read(ref _changes[Index(Stored, kind)]);
        for (long other = 0; other < States; other++)
        {
            if (other != kind)
            {
                count += Volatile.Read(ref _changes[Index(other, kind)]) - Volatile.Read(ref _changes[Index(kind, other)]);
            }
        }

        return count;
    }

    private static int Index(long from, long to) => (int)((from * States) + to) * Stride;

    /// <summary>Adds one to a counter only ever changed under one lock: read, then a volatile write, which no reader sees torn.</summary>
    private void Increment_Locked(int index)
    {
        ref long counter = ref _changes[index];
        Volatile.Write(ref counter, counter + 1);
    }
}
