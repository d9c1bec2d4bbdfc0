using System.Text.Json;

namespace Broker.Topics.Filtering;

internal sealed partial class PolicyNode
{
    /// <summary>Evaluates this object against one level of a JSON body.</summary>
    /// <param name="element">The JSON object at this level; any other kind (including <see cref="JsonValueKind.Undefined"/>) means every key is missing.</param>
    public bool MatchesBody(JsonElement element)
    {
        bool isObject = element.ValueKind == JsonValueKind.Object;
        foreach (KeyRule key in Keys)
        {
            JsonElement child = default;
            bool found = isObject && element.TryGetProperty(key.Name, out child);
            bool matched = key.Nested is { } nested
                ? MatchesNested(nested, child)
                : JsonBodyValues.Matches(key.Conditions!, found, child);
            if (!matched)
            {
                return false;
            }
        }

        foreach (PolicyNode[] group in OrGroups)
        {
            if (!AnyMatchesBody(group, element))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyMatchesBody(PolicyNode[] alternatives, JsonElement element)
    {
        foreach (PolicyNode alternative in alternatives)
        {
            if (alternative.MatchesBody(element))
            {
                return true;
            }
        }

        return false;
    }

    // An array under a nested policy object is tried element by element, so all the keys of the nested object must
    // hold within one element; an empty array is treated like a missing property.
    private static bool MatchesNested(PolicyNode nested, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return nested.MatchesBody(value);
        }

        bool any = false;
        foreach (JsonElement item in value.EnumerateArray())
        {
            any = true;
            if (MatchesNested(nested, item))
            {
                return true;
            }
        }

        return !any && nested.MatchesBody(default);
    }
}
