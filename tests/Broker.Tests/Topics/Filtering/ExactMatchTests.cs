using Broker.Messages;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class ExactMatchTests
{
    [Theory]
    [InlineData("rugby", true)]
    [InlineData("tennis", true)]
    [InlineData("Rugby", false)]
    [InlineData("rugby ", false)]
    [InlineData("baseball", false)]
    public void Matches_ExactStringsInAttribute_MatchesAnyListedValueCaseSensitively(string value, bool expected)
    {
        var policy = AttributePolicy("""{"customer_interests": ["rugby", "tennis"]}""");

        bool matches = policy.MatchesAttribute("customer_interests", Text(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("300", true)]
    [InlineData("3.0e2", true)]
    [InlineData("300.000", true)]
    [InlineData("300.00001", false)]
    [InlineData("-300", false)]
    public void Matches_BareNumberAgainstNumberAttribute_ComparesNumerically(string value, bool expected)
    {
        var policy = AttributePolicy("""{"price": [300]}""");

        bool matches = policy.MatchesAttribute("price", Number(value));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_BareNumberAgainstStringAttribute_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"price": [300]}""");

        bool matches = policy.MatchesAttribute("price", Text("300"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_StringValueAgainstNumberAttribute_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"price": ["300"]}""");

        bool matches = policy.MatchesAttribute("price", Number("300"));

        matches.Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"flag": true}""", true)]
    [InlineData("""{"flag": false}""", false)]
    [InlineData("""{"flag": "true"}""", false)]
    [InlineData("""{"flag": null}""", false)]
    public void Matches_TrueLiteralInBody_MatchesOnlyJsonTrue(string body, bool expected)
    {
        var policy = BodyPolicy("""{"flag": [true]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"flag": false}""", true)]
    [InlineData("""{"flag": true}""", false)]
    [InlineData("""{"flag": 0}""", false)]
    public void Matches_FalseLiteralInBody_MatchesOnlyJsonFalse(string body, bool expected)
    {
        var policy = BodyPolicy("""{"flag": [false]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"owner": null}""", true)]
    [InlineData("""{"owner": "null"}""", false)]
    [InlineData("""{}""", false)]
    public void Matches_NullLiteralInBody_MatchesOnlyAPresentJsonNull(string body, bool expected)
    {
        var policy = BodyPolicy("""{"owner": [null]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""[true, "x"]""", true)]
    [InlineData("""["true"]""", false)]
    public void Matches_TrueLiteralAgainstStringArray_MatchesJsonTrueElement(string array, bool expected)
    {
        var policy = AttributePolicy("""{"flags": [true]}""");

        bool matches = policy.MatchesAttribute("flags", StringArray(array));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_TrueLiteralAgainstStringAttribute_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"encrypted": [true]}""");

        bool matches = policy.MatchesAttribute("encrypted", Text("true"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_EscapedStringInPolicy_ComparesUnescapedText()
    {
        var policy = AttributePolicy("""{"quote": ["say \"hi\"\\now \u00e9"]}""");

        bool matches = policy.MatchesAttribute("quote", Text("say \"hi\"\\now é"));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_SeveralKeys_RequiresEveryKeyToMatch()
    {
        var policy = AttributePolicy("""{"store": ["example_corp"], "event": ["order_placed"]}""");

        bool both = policy.Matches(Attributes(("store", Text("example_corp")), ("event", Text("order_placed"))));
        bool one = policy.Matches(Attributes(("store", Text("example_corp")), ("event", Text("order_cancelled"))));

        both.Should().BeTrue();
        one.Should().BeFalse();
    }

    [Fact]
    public void Matches_AttributesNotNamedByPolicy_AreIgnored()
    {
        var policy = AttributePolicy("""{"store": ["example_corp"]}""");

        bool matches = policy.Matches(Attributes(("store", Text("example_corp")), ("other", MessageAttributeValue.FromNumber(1))));

        matches.Should().BeTrue();
    }
}
