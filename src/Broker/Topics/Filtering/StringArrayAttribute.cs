using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Broker.Topics.Filtering;

/// <summary>Evaluates conditions against a <c>String.Array</c> attribute, whose text is a JSON array, element by element.</summary>
/// <remarks>
/// The text is read with <see cref="Utf8JsonReader"/> over a stack or pooled buffer, so nothing is allocated per message.
/// Nested arrays are flattened and objects inside the array are skipped. Text that is not one well-formed JSON array
/// matches nothing, not even <c>exists</c>.
/// </remarks>
internal static class StringArrayAttribute
{
    private const int StackLimit = 512;

    public static bool Matches(ConditionSet conditions, string json, bool hasAttributes)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(json.Length);
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        Span<byte> bytes = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        int byteCount = Encoding.UTF8.GetBytes(json, bytes);
        Span<char> chars = byteCount <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(byteCount));
        try
        {
            return MatchesElements(conditions, bytes[..byteCount], chars, hasAttributes);
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
        }
    }

    private static bool MatchesElements(ConditionSet conditions, ReadOnlySpan<byte> utf8, Span<char> chars, bool hasAttributes)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        bool hasValue = false;
        bool matched = false;
        while (reader.Read())
        {
            // After a match keep reading, so that text which is not one well-formed JSON array never matches.
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    hasValue = true;
                    matched = matched
                        || conditions.MatchesPresent
                        || (conditions.HasValueConditions && conditions.MatchesValue(FilterValue.FromString(chars[..reader.CopyString(chars)])));
                    break;
                case JsonTokenType.Number:
                    hasValue = true;
                    matched = matched
                        || conditions.MatchesPresent
                        || (reader.TryGetDouble(out double number) && conditions.MatchesValue(FilterValue.FromNumber(number)));
                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    hasValue = true;
                    matched = matched
                        || conditions.MatchesPresent
                        || conditions.MatchesValue(FilterValue.FromLiteral(reader.TokenType == JsonTokenType.True ? FilterValueKind.True : FilterValueKind.False));
                    break;
                case JsonTokenType.Null:
                    matched = matched || conditions.MatchesValue(FilterValue.FromLiteral(FilterValueKind.Null));
                    break;
                case JsonTokenType.StartObject:
                    reader.Skip();
                    break;
                default:
                    break; // array brackets: nested arrays are flattened
            }
        }

        if (matched)
        {
            return true;
        }

        return hasValue ? conditions.MatchesPresent : conditions.MatchesAbsent && hasAttributes;
    }
}
