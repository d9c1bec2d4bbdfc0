using System.Text;
using System.Text.Json;
using Broker.Messages;
using Broker.Topics.Filtering;

namespace Broker.Tests.Topics.Filtering;

internal static class FilterTestData
{
    public static FilterPolicy AttributePolicy(string json) => FilterPolicy.Parse(json);

    public static FilterPolicy BodyPolicy(string json) => FilterPolicy.Parse(json, FilterPolicyScope.MessageBody);

    public static Dictionary<string, MessageAttributeValue> Attributes(params (string Name, MessageAttributeValue Value)[] pairs)
    {
        var attributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal);
        foreach ((string name, MessageAttributeValue value) in pairs)
        {
            attributes.Add(name, value);
        }

        return attributes;
    }

    public static MessageAttributeValue Text(string value) => MessageAttributeValue.FromString(value);

    public static MessageAttributeValue Number(string value) => MessageAttributeValue.FromNumber(value);

    public static MessageAttributeValue StringArray(string json) => MessageAttributeValue.FromString(json, "Array");

    /// <summary>Evaluates an attribute policy against a single attribute.</summary>
    public static bool MatchesAttribute(this FilterPolicy policy, string name, MessageAttributeValue value)
        => policy.Matches(Attributes((name, value)));

    /// <summary>Evaluates a body policy through both body overloads and checks they agree.</summary>
    public static bool MatchesBody(this FilterPolicy policy, string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        bool fromElement = policy.Matches(document.RootElement);
        bool fromUtf8 = policy.Matches(Encoding.UTF8.GetBytes(json));
        fromUtf8.Should().Be(fromElement, "both body overloads must agree for {0}", json);
        return fromElement;
    }

    public static string ParseError(string json, FilterPolicyScope scope = FilterPolicyScope.MessageAttributes)
    {
        Action parse = () => FilterPolicy.Parse(json, scope);
        return parse.Should().Throw<ArgumentException>().Which.Message;
    }
}
