using Broker.Queues;

namespace Broker.Topics;

/// <summary>The SNS rules for topic names: 1 to 256 letters, digits, hyphens and underscores; FIFO names end in <c>.fifo</c>.</summary>
internal static class TopicNames
{
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "A topic name must not be empty.";
        }

        if (name.Length > TopicLimits.MaxTopicNameLength)
        {
            return $"The topic name '{name[..32]}...' is {name.Length} characters long; the limit is {TopicLimits.MaxTopicNameLength}.";
        }

        ReadOnlySpan<char> stem = QueueNames.IsFifo(name) ? name.AsSpan(0, name.Length - QueueNames.FifoSuffix.Length) : name;
        if (stem.IsEmpty)
        {
            return $"The topic name '{name}' needs at least one character before '{QueueNames.FifoSuffix}'.";
        }

        foreach (char c in stem)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return $"The topic name '{name}' may contain only letters, digits, '-' and '_' (and end in '{QueueNames.FifoSuffix}' for a FIFO topic).";
            }
        }

        return null;
    }

    public static void ThrowIfInvalid(string? name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (Validate(name) is { } error)
        {
            throw new ArgumentException(error, paramName);
        }
    }
}
