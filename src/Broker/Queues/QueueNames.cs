namespace Broker.Queues;

/// <summary>The SQS rules for queue names: 1 to 80 letters, digits, hyphens and underscores, case-sensitive.</summary>
internal static class QueueNames
{
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

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return $"The queue name '{name}' may contain only letters, digits, '-' and '_'.";
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
