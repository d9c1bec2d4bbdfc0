using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Broker.Topics.Filtering;

/// <summary>Evaluates a key's conditions against the leaf values of a JSON body property, flattening arrays.</summary>
/// <remarks>
/// String values are unescaped from the document's UTF-8 bytes into a stack or pooled buffer, so evaluation does not
/// allocate. A string that is not valid UTF-8 matches no condition on values. Objects are not leaves: they match no condition and do not count as present for <c>exists</c>, and
/// neither do <c>null</c> nor an empty array.
/// </remarks>
internal static class JsonBodyValues
{
    private const int StackLimit = 256;

    public static bool Matches(ConditionSet conditions, bool found, JsonElement value)
    {
        if (!found)
        {
            return conditions.MatchesAbsent;
        }

        bool hasValue = false;
        if (MatchesLeaves(conditions, value, ref hasValue))
        {
            return true;
        }

        return hasValue ? conditions.MatchesPresent : conditions.MatchesAbsent;
    }

    private static bool MatchesLeaves(ConditionSet conditions, JsonElement value, ref bool hasValue)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                hasValue = true;
                return conditions.MatchesPresent || (conditions.HasValueConditions && MatchesString(conditions, value));
            case JsonValueKind.Number:
                hasValue = true;
                return conditions.MatchesPresent
                    || (value.TryGetDouble(out double number) && conditions.MatchesValue(FilterValue.FromNumber(number)));
            case JsonValueKind.True:
                hasValue = true;
                return conditions.MatchesPresent || conditions.MatchesValue(FilterValue.FromLiteral(FilterValueKind.True));
            case JsonValueKind.False:
                hasValue = true;
                return conditions.MatchesPresent || conditions.MatchesValue(FilterValue.FromLiteral(FilterValueKind.False));
            case JsonValueKind.Null:
                return conditions.MatchesValue(FilterValue.FromLiteral(FilterValueKind.Null));
            case JsonValueKind.Array:
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (MatchesLeaves(conditions, item, ref hasValue))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool MatchesString(ConditionSet conditions, JsonElement value)
    {
        // The raw value is the quoted, possibly escaped JSON token; never longer in UTF-16 code units than in bytes.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        char[]? rented = null;
        Span<char> chars = raw.Length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            var reader = new Utf8JsonReader(raw);
            reader.Read();
            int length = reader.CopyString(chars);
            return conditions.MatchesValue(FilterValue.FromString(chars[..length]));
        }
        catch (InvalidOperationException)
        {
            return false; // invalid UTF-8 in the body: no text to compare
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
