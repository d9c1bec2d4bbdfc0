using System.Collections.ObjectModel;
using System.Text;

namespace Broker.Messages;

/// <summary>The SQS rules for message attribute names, counts and sizes.</summary>
internal static class MessageAttributeRules
{
    public const int MaxAttributes = 10;
    public const int MaxNameLength = 256;
    public const int MaxTypeLength = 256;

    public static IReadOnlyDictionary<string, MessageAttributeValue> Empty { get; } =
        ReadOnlyDictionary<string, MessageAttributeValue>.Empty;

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>Validates the attributes and returns an immutable copy with the number of bytes they count toward the message size.</summary>
    /// <returns>The error, or <see langword="null"/> when the attributes are valid.</returns>
    /// <remarks>Small enough to be inlined, so the usual message without attributes costs no call.</remarks>
    public static string? TryCopy(
        IReadOnlyDictionary<string, MessageAttributeValue>? attributes,
        out IReadOnlyDictionary<string, MessageAttributeValue> copy,
        out int size)
    {
        if (attributes is null)
        {
            copy = Empty;
            size = 0;
            return null;
        }

        return TryCopyGiven(attributes, out copy, out size);
    }

    private static string? TryCopyGiven(
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        out IReadOnlyDictionary<string, MessageAttributeValue> copy,
        out int size)
    {
        copy = Empty;
        size = 0;
        if (attributes.Count == 0)
        {
            return null;
        }

        if (attributes.Count > MaxAttributes)
        {
            return $"A message may carry at most {MaxAttributes} attributes; {attributes.Count} were given.";
        }

        var result = new Dictionary<string, MessageAttributeValue>(attributes.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, MessageAttributeValue> pair in attributes)
        {
            string? error = ValidateName(pair.Key);
            if (error is not null)
            {
                return error;
            }

            if (pair.Value is null)
            {
                return $"The attribute '{pair.Key}' has no value.";
            }

            size += Encoding.UTF8.GetByteCount(pair.Key) + pair.Value.Size;
            result.Add(pair.Key, pair.Value);
        }

        copy = result;
        return null;
    }

    public static string? ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "An attribute name must not be empty.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"The attribute name '{name[..32]}...' is {name.Length} characters long; the limit is {MaxNameLength}.";
        }

        foreach (char c in name)
        {
            if (!IsNameChar(c))
            {
                return $"The attribute name '{name}' may contain only letters, digits, '_', '-' and '.'.";
            }
        }

        if (name[0] == '.' || name[^1] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return $"The attribute name '{name}' must not start or end with '.' or contain '..'.";
        }

        if (name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase))
        {
            return $"The attribute name '{name}' uses a reserved prefix ('AWS.' or 'Amazon.').";
        }

        return null;
    }
}
