using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class StringOperatorTests
{
    [Theory]
    [InlineData("baseball", true)]
    [InlineData("basketball", true)]
    [InlineData("bas", true)]
    [InlineData("Baseball", false)]
    [InlineData("ba", false)]
    [InlineData("rugby", false)]
    public void Matches_Prefix_MatchesStringsStartingWithIt(string value, bool expected)
    {
        var policy = AttributePolicy("""{"customer_interests": [{"prefix": "bas"}]}""");

        bool matches = policy.MatchesAttribute("customer_interests", Text(value));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_PrefixAgainstNumberAttribute_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"price": [{"prefix": "1"}]}""");

        bool matches = policy.MatchesAttribute("price", Number("100"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_EmptyPrefix_MatchesAnyString()
    {
        var policy = AttributePolicy("""{"name": [{"prefix": ""}]}""");

        bool matches = policy.MatchesAttribute("name", Text("anything"));

        matches.Should().BeTrue();
    }

    [Theory]
    [InlineData("baseball", true)]
    [InlineData("ball", true)]
    [InlineData("football", true)]
    [InlineData("BALL", false)]
    [InlineData("balls", false)]
    [InlineData("all", false)]
    public void Matches_Suffix_MatchesStringsEndingWithIt(string value, bool expected)
    {
        var policy = AttributePolicy("""{"customer_interests": [{"suffix": "ball"}]}""");

        bool matches = policy.MatchesAttribute("customer_interests", Text(value));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"source": "rugby"}""", true)]
    [InlineData("""{"source": "RUGBY"}""", true)]
    [InlineData("""{"source": "rugby "}""", false)]
    [InlineData("""{"source": "rugb"}""", false)]
    public void Matches_SuffixInBody_MatchesStringProperty(string body, bool expected)
    {
        var policy = BodyPolicy("""{"source": [{"suffix": "gby"}, {"suffix": "GBY"}]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("rugby", true)]
    [InlineData("RUGBY", true)]
    [InlineData("RuGbY", true)]
    [InlineData("rugby2", false)]
    [InlineData("rugb", false)]
    public void Matches_EqualsIgnoreCase_IgnoresCaseOnly(string value, bool expected)
    {
        var policy = AttributePolicy("""{"sport": [{"equals-ignore-case": "Rugby"}]}""");

        bool matches = policy.MatchesAttribute("sport", Text(value));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_EqualsIgnoreCaseWithNonAsciiLetters_IgnoresTheirCase()
    {
        var policy = AttributePolicy("""{"city": [{"equals-ignore-case": "ÉCOLE"}]}""");

        bool matches = policy.MatchesAttribute("city", Text("école"));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_StringOperatorsAgainstStringArray_MatchWhenAnyElementMatches()
    {
        var policy = AttributePolicy("""{"tags": [{"prefix": "env:"}]}""");

        bool matches = policy.MatchesAttribute("tags", StringArray("""["team:a", "env:prod"]"""));
        bool none = policy.MatchesAttribute("tags", StringArray("""["team:a", "tier:gold"]"""));

        matches.Should().BeTrue();
        none.Should().BeFalse();
    }
}
