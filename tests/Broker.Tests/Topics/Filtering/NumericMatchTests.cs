using Broker.Messages;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class NumericMatchTests
{
    [Theory]
    [InlineData("301.5", true)]
    [InlineData("3.015e2", true)]
    [InlineData("3015E-1", true)]
    [InlineData("301.50000", true)]
    [InlineData("301.51", false)]
    [InlineData("301", false)]
    public void Matches_NumericEquals_ComparesByValue(string value, bool expected)
    {
        var policy = AttributePolicy("""{"price_usd": [{"numeric": ["=", 301.5]}]}""");

        bool matches = policy.MatchesAttribute("price_usd", Number(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("<", "9.99999", true)]
    [InlineData("<", "10", false)]
    [InlineData("<=", "10", true)]
    [InlineData("<=", "10.00001", false)]
    [InlineData(">", "10.00001", true)]
    [InlineData(">", "10", false)]
    [InlineData(">=", "10", true)]
    [InlineData(">=", "9.99999", false)]
    [InlineData("=", "10", true)]
    [InlineData("=", "1e1", true)]
    [InlineData("=", "10.00001", false)]
    public void Matches_SingleComparison_HonoursBoundary(string op, string value, bool expected)
    {
        var policy = AttributePolicy($$"""{"n": [{"numeric": ["{{op}}", 10]}]}""");

        bool matches = policy.MatchesAttribute("n", Number(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("0.00001", true)]
    [InlineData("75", true)]
    [InlineData("150", true)]
    [InlineData("150.00001", false)]
    [InlineData("-1", false)]
    public void Matches_OpenClosedRange_IncludesOnlyUpperBound(string value, bool expected)
    {
        var policy = AttributePolicy("""{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}""");

        bool matches = policy.MatchesAttribute("price_usd", Number(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("100", true)]
    [InlineData("199.99999", true)]
    [InlineData("200", false)]
    [InlineData("99.99999", false)]
    public void Matches_ClosedOpenRange_IncludesOnlyLowerBound(string value, bool expected)
    {
        var policy = AttributePolicy("""{"price": [{"numeric": [">=", 100, "<", 200]}]}""");

        bool matches = policy.MatchesAttribute("price", Number(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("-5", true)]
    [InlineData("-0.00001", true)]
    [InlineData("0", false)]
    [InlineData("-0", false)]
    public void Matches_LessThanZero_MatchesOnlyNegativeNumbers(string value, bool expected)
    {
        var policy = AttributePolicy("""{"balance": [{"numeric": ["<", 0]}]}""");

        bool matches = policy.MatchesAttribute("balance", Number(value));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_NumberBeyondPolicyRangeInMessage_StillCompares()
    {
        var policy = AttributePolicy("""{"size": [{"numeric": [">", 1000000000]}]}""");

        bool matches = policy.MatchesAttribute("size", Number("1e100"));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_NumberFromDecimalFactory_ComparesByValue()
    {
        var policy = AttributePolicy("""{"price": [{"numeric": ["=", 0.1]}]}""");

        bool matches = policy.MatchesAttribute("price", MessageAttributeValue.FromNumber(0.1m));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_NumericAgainstStringAttribute_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"price": [{"numeric": [">", 0]}]}""");

        bool matches = policy.MatchesAttribute("price", Text("5"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_SeveralRangesForOneKey_MatchesAnyOfThem()
    {
        var policy = AttributePolicy("""{"price": [{"numeric": [">=", 100, "<=", 200]}, {"numeric": [">", 300]}]}""");

        bool low = policy.MatchesAttribute("price", Number("150"));
        bool gap = policy.MatchesAttribute("price", Number("250"));
        bool high = policy.MatchesAttribute("price", Number("301"));

        low.Should().BeTrue();
        gap.Should().BeFalse();
        high.Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"price": 210.75}""", true)]
    [InlineData("""{"price": 2.1075e2}""", true)]
    [InlineData("""{"price": 99}""", false)]
    [InlineData("""{"price": "210.75"}""", false)]
    [InlineData("""{"price": [5, 210.75]}""", true)]
    [InlineData("""{"price": 1e400}""", false)]
    public void Matches_NumericInBody_MatchesJsonNumbersOnly(string body, bool expected)
    {
        var policy = BodyPolicy("""{"price": [{"numeric": [">=", 100]}]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""["1", 2]""", true)]
    [InlineData("""["2"]""", false)]
    [InlineData("""[1, 3]""", false)]
    public void Matches_NumberElementsOfStringArray_CompareNumerically(string array, bool expected)
    {
        var policy = AttributePolicy("""{"codes": [2]}""");

        bool matches = policy.MatchesAttribute("codes", StringArray(array));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_PolicyNumberAtLimit_IsAccepted()
    {
        var policy = AttributePolicy("""{"n": [{"numeric": [">=", -1000000000, "<=", 1e9]}]}""");

        bool matches = policy.MatchesAttribute("n", Number("-1000000000"));

        matches.Should().BeTrue();
    }
}
