namespace Broker.Hosting.HealthChecks;

/// <summary>Checks <see cref="QueueHealthOptions"/>, reporting every problem at once.</summary>
internal static class QueueHealthOptionsValidator
{
    public static IReadOnlyList<string> Validate(QueueHealthOptions options)
    {
        var errors = new List<string>();
        CheckPair(errors, nameof(QueueHealthOptions.DegradedDepth), options.DegradedDepth, nameof(QueueHealthOptions.UnhealthyDepth), options.UnhealthyDepth, 1L);
        CheckPair(errors, nameof(QueueHealthOptions.DegradedOldestMessageAge), options.DegradedOldestMessageAge, nameof(QueueHealthOptions.UnhealthyOldestMessageAge), options.UnhealthyOldestMessageAge, TimeSpan.FromTicks(1));
        CheckPair(errors, nameof(QueueHealthOptions.DegradedDeadLetterCount), options.DegradedDeadLetterCount, nameof(QueueHealthOptions.UnhealthyDeadLetterCount), options.UnhealthyDeadLetterCount, 1L);
        return errors;
    }

    public static void ThrowIfInvalid(QueueHealthOptions options, string paramName)
    {
        IReadOnlyList<string> errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid queue health thresholds: " + string.Join(" ", errors), paramName);
        }
    }

    // A threshold below the minimum is reached by an idle, empty queue, so it could never report healthy.
    private static void CheckPair<TValue>(List<string> errors, string degradedName, TValue? degraded, string unhealthyName, TValue? unhealthy, TValue minimum)
        where TValue : struct, IComparable<TValue>
    {
        if (degraded is { } d && d.CompareTo(minimum) < 0)
        {
            errors.Add($"{degradedName} is {d}; it must be at least {minimum}.");
        }

        if (unhealthy is { } u && u.CompareTo(minimum) < 0)
        {
            errors.Add($"{unhealthyName} is {u}; it must be at least {minimum}.");
        }

        if (degraded is { } dd && unhealthy is { } uu && dd.CompareTo(uu) > 0)
        {
            errors.Add($"{degradedName} ({dd}) must not exceed {unhealthyName} ({uu}).");
        }
    }
}
