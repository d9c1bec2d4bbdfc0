namespace Broker.Queues;

/// <summary>The SQS rules for queue names: 1 to 80 letters, digits, hyphens and underscores, case-sensitive;
/// a FIFO queue's name ends in <c>.fifo</c>, which counts toward the 80.</summary>
internal static class QueueNames
{
    public const string FifoSuffix = ".fifo";

    public static bool IsFifo(string name) => name.EndsWith(FifoSuffix, StringComparison.Ordinal);

    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "A queue name must not be empty.";
        }

        if (name.Length > QueueLimits.MaxQueueNameLength)
        {
            return $"The queue name '{name}' is {name.Length} characters long; the limit is {QueueLimits.MaxQueueNameLength}.";
        }

        ReadOnlySpan<char> stem = IsFifo(name) ? name.AsSpan(0, name.Length - FifoSuffix.Length) : name;
        if (stem.IsEmpty)
        {
            return $"The queue name '{name}' needs at least one character before '{FifoSuffix}'.";
        }

        foreach (char c in stem)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return $"The queue name '{name}' may contain only letters, digits, '-' and '_' (and end in '{FifoSuffix}' for a FIFO queue).";
            }
        }

        return null;
    }

    public static void ThrowIfInvalid(string? name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        string? error = Validate(name);
        if (error is not null)
        {
            throw new ArgumentException(error, paramName);
        }
    }
}
