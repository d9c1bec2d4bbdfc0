using Broker.Messages;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class ExistsTests
{
    [Fact]
    public void Matches_ExistsTrueWithAttributePresent_Matches()
    {
        var policy = AttributePolicy("""{"store": [{"exists": true}]}""");

        bool matches = policy.MatchesAttribute("store", Text("fans"));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_ExistsTrueWithAttributeMissing_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"store": [{"exists": true}]}""");

        bool matches = policy.MatchesAttribute("customer_interests", StringArray("""["baseball"]"""));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_ExistsTrueWithNumberAttribute_Matches()
    {
        var policy = AttributePolicy("""{"price": [{"exists": true}]}""");

        bool matches = policy.MatchesAttribute("price", Number("0"));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_ExistsFalseWithAttributeMissing_Matches()
    {
        var policy = AttributePolicy("""{"store": [{"exists": false}]}""");

        bool matches = policy.MatchesAttribute("customer_interests", StringArray("""["baseball"]"""));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_ExistsFalseWithAttributePresent_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"store": [{"exists": false}]}""");

        bool matches = policy.MatchesAttribute("store", Text("fans"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_ExistsFalseWithNoAttributesAtAll_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"store": [{"exists": false}]}""");

        bool matches = policy.Matches(Attributes());

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_ExistsWithBinaryAttribute_TreatsItAsAbsent()
    {
        var present = AttributePolicy("""{"blob": [{"exists": true}]}""");
        var absent = AttributePolicy("""{"blob": [{"exists": false}]}""");
        var attributes = Attributes(("blob", MessageAttributeValue.FromBinary([1, 2, 3])));

        bool presentMatches = present.Matches(attributes);
        bool absentMatches = absent.Matches(attributes);

        presentMatches.Should().BeFalse();
        absentMatches.Should().BeTrue();
    }

    [Theory]
    [InlineData("[]", false)]
    [InlineData("[null]", false)]
    [InlineData("""["a"]""", true)]
    public void Matches_ExistsTrueWithStringArray_RequiresANonNullElement(string array, bool expected)
    {
        var policy = AttributePolicy("""{"tags": [{"exists": true}]}""");

        bool matches = policy.MatchesAttribute("tags", StringArray(array));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"store": "fans"}""", true)]
    [InlineData("""{"store": 0}""", true)]
    [InlineData("""{"store": false}""", true)]
    [InlineData("""{"store": ""}""", true)]
    [InlineData("""{"store": ["x"]}""", true)]
    [InlineData("""{"store": null}""", false)]
    [InlineData("""{"store": []}""", false)]
    [InlineData("""{"store": {"id": 1}}""", false)]
    [InlineData("""{"other": "fans"}""", false)]
    public void Matches_ExistsTrueInBody_RequiresANonNullLeafValue(string body, bool expected)
    {
        var policy = BodyPolicy("""{"store": [{"exists": true}]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"other": "fans"}""", true)]
    [InlineData("""{}""", true)]
    [InlineData("""{"store": null}""", true)]
    [InlineData("""{"store": {"id": 1}}""", true)]
    [InlineData("""{"store": "fans"}""", false)]
    public void Matches_ExistsFalseInBody_MatchesWithoutALeafValue(string body, bool expected)
    {
        var policy = BodyPolicy("""{"store": [{"exists": false}]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_ExistsFalseUnderMissingParentObject_Matches()
    {
        var policy = BodyPolicy("""{"detail": {"c-count": [{"exists": false}]}}""");

        bool matches = policy.MatchesBody("""{"source": "aws.ec2"}""");

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_ExistsTrueAndFalseTogether_MatchesEverything()
    {
        var policy = AttributePolicy("""{"store": [{"exists": true}, {"exists": false}]}""");

        bool present = policy.MatchesAttribute("store", Text("fans"));
        bool missing = policy.MatchesAttribute("other", Text("fans"));

        present.Should().BeTrue();
        missing.Should().BeTrue();
    }
}
