using System.Text;
using Broker.Topics.Filtering;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class FilterPolicyLimitsTests
{
    [Fact]
    public void Parse_FiveKeys_Succeeds()
    {
        var policy = AttributePolicy("""{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"]}""");

        policy.Matches(Attributes(("a", Text("1")), ("b", Text("1")), ("c", Text("1")), ("d", Text("1")), ("e", Text("1")))).Should().BeTrue();
    }

    [Fact]
    public void Parse_SixKeys_Throws()
    {
        string message = ParseError("""{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}""");

        message.Should().Contain("6 keys").And.Contain("limit is 5");
    }

    [Fact]
    public void Parse_BodyPolicyWithManyNestedKeysUnderFewTopLevelKeys_Succeeds()
    {
        bool ok = FilterPolicy.TryParse(
            """{"detail": {"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}}""",
            FilterPolicyScope.MessageBody,
            out _,
            out string? error);

        ok.Should().BeTrue(error);
    }

    [Fact]
    public void Parse_OrAlternativesEachWithinKeyLimit_Succeeds()
    {
        bool ok = FilterPolicy.TryParse(
            """{"a": ["1"], "b": ["1"], "$or": [{"c": ["1"], "d": ["1"], "e": ["1"]}, {"f": ["1"], "g": ["1"]}]}""",
            FilterPolicyScope.MessageAttributes,
            out _,
            out string? error);

        ok.Should().BeTrue(error);
    }

    [Fact]
    public void Parse_OrAlternativeExceedingKeyLimit_Throws()
    {
        string message = ParseError("""{"a": ["1"], "b": ["1"], "$or": [{"c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}, {"g": ["1"]}]}""");

        message.Should().Contain("6 keys");
    }

    [Fact]
    public void Parse_ExactlyMaxCombinations_Succeeds()
    {
        // 5 x 5 x 6 = 150
        string json = $$"""{"a": {{Values(5)}}, "b": {{Values(5)}}, "c": {{Values(6)}}}""";

        bool ok = FilterPolicy.TryParse(json, FilterPolicyScope.MessageAttributes, out _, out string? error);

        ok.Should().BeTrue(error);
    }

    [Fact]
    public void Parse_OneCombinationTooMany_Throws()
    {
        // 151 values in one array
        string message = ParseError($$"""{"a": {{Values(151)}}}""");

        message.Should().Contain("too complex").And.Contain("151 value combinations").And.Contain("limit is 150");
    }

    [Fact]
    public void Parse_ProductOfArraysAboveLimit_Throws()
    {
        // 5 x 5 x 7 = 175
        string message = ParseError($$"""{"a": {{Values(5)}}, "b": {{Values(5)}}, "c": {{Values(7)}}}""");

        message.Should().Contain("175 value combinations");
    }

    [Fact]
    public void Parse_NestedArrays_MultiplyLengthByDepth()
    {
        // 4 values at depth 3 and 3 values at depth 2: (4 x 3) x (3 x 2) = 72 is fine; one more value at depth 3 gives
        // (5 x 3) x (3 x 2) = 90, and a third top-level key with 2 values doubles it to 180.
        string fine = "{\"key_a\": {\"key_b\": {\"key_c\": " + Values(4) + "}}, \"key_d\": {\"key_e\": " + Values(3) + "}}";
        string tooMany = "{\"key_a\": {\"key_b\": {\"key_c\": " + Values(5) + "}}, \"key_d\": {\"key_e\": " + Values(3) + "}, \"key_f\": " + Values(2) + "}";

        bool ok = FilterPolicy.TryParse(fine, FilterPolicyScope.MessageBody, out _, out string? error);
        string message = ParseError(tooMany, FilterPolicyScope.MessageBody);

        ok.Should().BeTrue(error);
        message.Should().Contain("180 value combinations");
    }

    [Fact]
    public void Parse_OrAlternatives_AddTheirCombinations()
    {
        // 2 x (75 + 1) = 152 > 150, while 2 x (74 + 1) = 150 is allowed
        string tooMany = $$"""{"x": {{Values(2)}}, "$or": [{"a": {{Values(75)}}}, {"b": ["1"]}]}""";
        string fine = $$"""{"x": {{Values(2)}}, "$or": [{"a": {{Values(74)}}}, {"b": ["1"]}]}""";

        string message = ParseError(tooMany);
        bool ok = FilterPolicy.TryParse(fine, FilterPolicyScope.MessageAttributes, out _, out string? error);

        message.Should().Contain("152 value combinations");
        ok.Should().BeTrue(error);
    }

    [Fact]
    public void Parse_PolicyOfMaximumSize_Succeeds()
    {
        string json = PolicyOfSize(FilterPolicyLimits.MaxPolicySize);

        bool ok = FilterPolicy.TryParse(json, FilterPolicyScope.MessageAttributes, out _, out string? error);

        ok.Should().BeTrue(error);
    }

    [Fact]
    public void Parse_PolicyOneByteTooLarge_Throws()
    {
        string json = PolicyOfSize(FilterPolicyLimits.MaxPolicySize + 1);

        string message = ParseError(json);

        message.Should().Contain("262145 bytes").And.Contain("limit is 262144");
    }

    [Fact]
    public void Parse_PolicySizeCountsUtf8Bytes_NotCharacters()
    {
        // 'é' is two bytes in UTF-8: half as many characters as the limit already reach it.
        string prefix = "{\"a\": [\"";
        string suffix = "\"]}";
        string json = prefix + new string('é', ((FilterPolicyLimits.MaxPolicySize - prefix.Length - suffix.Length) / 2) + 1) + suffix;

        string message = ParseError(json);

        message.Should().Contain("the limit is 262144 bytes");
    }

    private static string Values(int count)
    {
        var builder = new StringBuilder("[");
        for (int i = 0; i < count; i++)
        {
            builder.Append(i == 0 ? "\"v" : ", \"v").Append(i).Append('"');
        }

        return builder.Append(']').ToString();
    }

    private static string PolicyOfSize(int bytes)
    {
        string prefix = "{\"a\": [\"";
        string suffix = "\"]}";
        string json = prefix + new string('x', bytes - prefix.Length - suffix.Length) + suffix;
        Encoding.UTF8.GetByteCount(json).Should().Be(bytes);
        return json;
    }
}
