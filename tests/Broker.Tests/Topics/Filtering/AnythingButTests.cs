using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class AnythingButTests
{
    [Theory]
    [InlineData("baseball", true)]
    [InlineData("football", true)]
    [InlineData("Rugby", true)]
    [InlineData("rugby", false)]
    [InlineData("tennis", false)]
    public void Matches_AnythingButStringList_MatchesValuesOutsideTheList(string value, bool expected)
    {
        var policy = AttributePolicy("""{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}""");

        bool matches = policy.MatchesAttribute("customer_interests", Text(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("order_placed", true)]
    [InlineData("order_cancelled", false)]
    public void Matches_AnythingButSingleString_MatchesEveryOtherValue(string value, bool expected)
    {
        var policy = AttributePolicy("""{"event": [{"anything-but": "order_cancelled"}]}""");

        bool matches = policy.MatchesAttribute("event", Text(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("101", true)]
    [InlineData("100.1", true)]
    [InlineData("100", false)]
    [InlineData("1.0e2", false)]
    [InlineData("500", false)]
    public void Matches_AnythingButNumberList_ComparesNumerically(string value, bool expected)
    {
        var policy = AttributePolicy("""{"price": [{"anything-but": [100, 500]}]}""");

        bool matches = policy.MatchesAttribute("price", Number(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("7", true)]
    [InlineData("42", false)]
    public void Matches_AnythingButSingleNumber_MatchesEveryOtherNumber(string value, bool expected)
    {
        var policy = AttributePolicy("""{"answer": [{"anything-but": 42}]}""");

        bool matches = policy.MatchesAttribute("answer", Number(value));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_AnythingButNumberListAgainstString_MatchesBecauseAStringIsNoListedNumber()
    {
        var policy = AttributePolicy("""{"price": [{"anything-but": [100]}]}""");

        bool matches = policy.MatchesAttribute("price", Text("100"));

        matches.Should().BeTrue();
    }

    [Theory]
    [InlineData("data-entry", true)]
    [InlineData("order_number", true)]
    [InlineData("order-", false)]
    [InlineData("order-cancelled", false)]
    public void Matches_AnythingButPrefix_MatchesStringsNotStartingWithIt(string value, bool expected)
    {
        var policy = AttributePolicy("""{"event": [{"anything-but": {"prefix": "order-"}}]}""");

        bool matches = policy.MatchesAttribute("event", Text(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("report.pdf", true)]
    [InlineData("report.txt", false)]
    [InlineData(".txt", false)]
    public void Matches_AnythingButSuffix_MatchesStringsNotEndingWithIt(string value, bool expected)
    {
        var policy = AttributePolicy("""{"file": [{"anything-but": {"suffix": ".txt"}}]}""");

        bool matches = policy.MatchesAttribute("file", Text(value));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_AnythingButWithMissingAttribute_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"event": [{"anything-but": "order_cancelled"}]}""");

        bool matches = policy.MatchesAttribute("other", Text("x"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_AnythingButCombinedWithExistsFalse_AlsoMatchesMissingAttribute()
    {
        var policy = AttributePolicy("""{"event": [{"anything-but": "order_cancelled"}, {"exists": false}]}""");

        bool missing = policy.MatchesAttribute("other", Text("x"));
        bool excluded = policy.MatchesAttribute("event", Text("order_cancelled"));

        missing.Should().BeTrue();
        excluded.Should().BeFalse();
    }

    [Theory]
    [InlineData("""["rugby", "baseball"]""", true)]
    [InlineData("""["rugby", "tennis"]""", false)]
    [InlineData("""["rugby"]""", false)]
    public void Matches_AnythingButAgainstStringArray_MatchesWhenAnyElementIsOutsideTheList(string array, bool expected)
    {
        var policy = AttributePolicy("""{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}""");

        bool matches = policy.MatchesAttribute("customer_interests", StringArray(array));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"state": "running"}""", true)]
    [InlineData("""{"state": "stopped"}""", false)]
    [InlineData("""{"state": null}""", false)]
    [InlineData("""{}""", false)]
    [InlineData("""{"state": ["stopped", "running"]}""", true)]
    public void Matches_AnythingButInBody_MatchesNonNullValuesOutsideTheList(string body, bool expected)
    {
        var policy = BodyPolicy("""{"state": [{"anything-but": ["stopped"]}]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }
}
