namespace Broker.Queues;

/// <summary>The SQS rules every batch request follows: 1 to 10 entries with distinct, well-formed ids.</summary>
internal static class BatchRules
{
    public static void Validate<TEntry>(IReadOnlyList<TEntry> entries, Func<TEntry, string> getId, string paramName)
        where TEntry : class
    {
        ArgumentNullException.ThrowIfNull(entries, paramName);
        if (entries.Count == 0)
        {
            throw new ArgumentException("The batch is empty (EmptyBatchRequest); it must have 1 to 10 entries.", paramName);
        }

        if (entries.Count > QueueLimits.MaxBatchEntries)
        {
            throw new ArgumentException(
                $"The batch has {entries.Count} entries (TooManyEntriesInBatchRequest); it must have 1 to {QueueLimits.MaxBatchEntries}.",
                paramName);
        }

        // At most ten ids: comparing each with those before it is cheaper than hashing them, and allocates nothing.
        for (int i = 0; i < entries.Count; i++)
        {
            TEntry entry = entries[i] ?? throw new ArgumentException($"Batch entry {i} is null.", paramName);
            string id = getId(entry);
            if (!IsValidId(id))
            {
                throw new ArgumentException(
                    $"The batch entry id '{id}' is invalid (InvalidBatchEntryId); it must be 1 to {QueueLimits.MaxBatchEntryIdLength} letters, digits, '-' and '_'.",
                    paramName);
            }

            for (int earlier = 0; earlier < i; earlier++)
            {
                if (string.Equals(getId(entries[earlier]), id, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The batch entry id '{id}' appears twice (BatchEntryIdsNotDistinct).", paramName);
                }
            }
        }
    }

    private static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > QueueLimits.MaxBatchEntryIdLength)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }
}
