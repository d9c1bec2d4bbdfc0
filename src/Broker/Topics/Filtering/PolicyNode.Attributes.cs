using System.Globalization;
using Broker.Messages;

namespace Broker.Topics.Filtering;

internal sealed partial class PolicyNode
{
    private const string StringArrayDataType = "String.Array";

    /// <summary>Evaluates this object against message attributes.</summary>
    /// <param name="attributes">The attributes of the message.</param>
    /// <param name="hasAttributes">Whether the message has any attribute at all; SNS never matches <c>exists: false</c> on a message without attributes.</param>
    public bool MatchesAttributes(IReadOnlyDictionary<string, MessageAttributeValue> attributes, bool hasAttributes)
    {
        foreach (KeyRule key in Keys)
        {
            attributes.TryGetValue(key.Name, out MessageAttributeValue? attribute);
            if (!MatchesAttribute(key.Conditions!, attribute, hasAttributes))
            {
                return false;
            }
        }

        foreach (PolicyNode[] group in OrGroups)
        {
            if (!AnyMatchesAttributes(group, attributes, hasAttributes))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyMatchesAttributes(PolicyNode[] alternatives, IReadOnlyDictionary<string, MessageAttributeValue> attributes, bool hasAttributes)
    {
        foreach (PolicyNode alternative in alternatives)
        {
            if (alternative.MatchesAttributes(attributes, hasAttributes))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAttribute(ConditionSet conditions, MessageAttributeValue? attribute, bool hasAttributes)
    {
        // SNS ignores Binary attributes: to a policy they are as good as absent.
        if (attribute is null || attribute.Type == MessageAttributeType.Binary)
        {
            return conditions.MatchesAbsent && hasAttributes;
        }

        string text = attribute.StringValue!;
        if (attribute.Type == MessageAttributeType.Number)
        {
            return conditions.MatchesPresent
                || (conditions.HasValueConditions
                    && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                    && conditions.MatchesValue(FilterValue.FromNumber(number)));
        }

        if (string.Equals(attribute.DataType, StringArrayDataType, StringComparison.Ordinal))
        {
            return StringArrayAttribute.Matches(conditions, text, hasAttributes);
        }

        return conditions.MatchesPresent || conditions.MatchesValue(FilterValue.FromString(text));
    }
}
