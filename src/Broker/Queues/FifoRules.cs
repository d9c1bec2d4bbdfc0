namespace Broker.Queues;

/// <summary>The SQS rules for FIFO ids (group, de-duplication and receive attempt): 1 to 128 letters, digits and ASCII punctuation.</summary>
internal static class FifoRules
{
    public const int MaxIdLength = 128;

    /// <summary>The de-duplication window and the receive-attempt window: 5 minutes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <returns>The problem with <paramref name="id"/>, or <see langword="null"/> when it is absent or valid.</returns>
    /// <remarks>Small enough to be inlined, so the usual absent id costs no call.</remarks>
    public static string? Check(string? id, string name) => id is null ? null : CheckPresent(id, name);

    private static string? CheckPresent(string id, string name)
    {
        if (id.Length is 0 or > MaxIdLength)
        {
            return $"The {name} is {id.Length} characters long; it must be 1 to {MaxIdLength}.";
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !(c is >= '!' and <= '/' or >= ':' and <= '@' or >= '[' and <= '`' or >= '{' and <= '~'))
            {
                return $"The {name} '{id}' may contain only letters, digits and ASCII punctuation.";
            }
        }

        return null;
    }
}
