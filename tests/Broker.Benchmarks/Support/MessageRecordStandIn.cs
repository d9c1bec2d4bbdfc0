namespace Broker.Benchmarks.Support;

/// <summary>The least a queue with visibility timeouts keeps per message, for the floor benchmarks: a new object per
/// message, with a state the consumer changes by compare-and-swap and times stamped from the clock; 96 bytes, the size
/// of Broker's stored message.</summary>
/// <param name="body">The body.</param>
/// <param name="sentAt">The send time, in clock ticks.</param>
public sealed class MessageRecordStandIn(Order body, long sentAt)
{
    private const long Ready = 1;
    private const long InFlight = 2;

    private long _state = Ready;

    /// <summary>Gets the body.</summary>
    public Order Body { get; } = body;

    /// <summary>Gets the attributes; none here, as in the benchmarks' messages.</summary>
    public object? Attributes { get; }

    /// <summary>Gets the queue the message belongs to; none here.</summary>
    public object? Queue { get; }

    /// <summary>Gets the send time, in clock ticks.</summary>
    public long SentAt { get; } = sentAt;

    /// <summary>Gets the message's number.</summary>
    public long Sequence { get; } = sentAt;

    /// <summary>Gets when the current receive's visibility ends, in clock ticks.</summary>
    public long VisibleAt { get; private set; }

    /// <summary>Gets when the current receive happened, in clock ticks.</summary>
    public long ReceivedAt { get; private set; }

    /// <summary>Gets when the first receive happened, in clock ticks.</summary>
    public long FirstReceivedAt { get; private set; }

    /// <summary>Gets flags a queue keeps; none here.</summary>
    public int Flags { get; }

    /// <summary>Takes the message for a receive at <paramref name="now"/>, as a queue does: one compare-and-swap, then the times.</summary>
    /// <param name="now">The receive time, in clock ticks.</param>
    /// <param name="visibilityTicks">The visibility timeout, in clock ticks.</param>
    /// <returns><see langword="true"/> if this call took it.</returns>
    public bool TryReceive(long now, long visibilityTicks)
    {
        if (Interlocked.CompareExchange(ref _state, InFlight, Ready) != Ready)
        {
            return false;
        }

        ReceivedAt = now;
        VisibleAt = now + visibilityTicks;
        if (FirstReceivedAt == 0)
        {
            FirstReceivedAt = now;
        }

        return true;
    }
}
