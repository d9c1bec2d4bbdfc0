namespace Broker.Queues;

/// <summary>Counts a thread's deletes between two trims of a queue's retention lane.</summary>
/// <remarks>Outside the generic queue on purpose: code shared by every queue of a reference-type body reaches a thread-static
/// field of a generic type through a runtime lookup, and a non-generic one directly.</remarks>
internal static class LaneTrimCountdown
{
    [ThreadStatic]
    private static int t_remaining;

    /// <summary>Counts one delete on this thread.</summary>
    /// <param name="interval">How many deletes to count between two trims.</param>
    /// <returns><see langword="true"/> once every <paramref name="interval"/> deletes, when it is time to trim.</returns>
    public static bool Tick(int interval)
    {
        if (--t_remaining >= 0)
        {
            return false;
        }

        t_remaining = interval;
        return true;
    }
}
