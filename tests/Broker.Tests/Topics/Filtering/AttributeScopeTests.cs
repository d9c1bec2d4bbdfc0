using System.Text;
using Broker.Messages;
using Broker.Topics.Filtering;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class AttributeScopeTests
{
    private readonly FilterPolicy _interests = AttributePolicy("""{"customer_interests": ["rugby", "football", "baseball"]}""");

    [Theory]
    [InlineData("""["soccer", "rugby", "hockey"]""", true)]
    [InlineData("""["soccer", "hockey"]""", false)]
    [InlineData("""[]""", false)]
    [InlineData("""[["nested", ["baseball"]]]""", true)]
    [InlineData("""[{"name": "rugby"}, "hockey"]""", false)]
    public void Matches_StringArrayAttribute_MatchesWhenAnyElementMatches(string array, bool expected)
    {
        bool matches = _interests.MatchesAttribute("customer_interests", StringArray(array));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("rugby")]
    [InlineData("""{"a": "rugby"}""")]
    [InlineData("""["rugby" """)]
    [InlineData("""["hockey"] ["rugby"]""")]
    public void Matches_StringArrayThatIsNotAJsonArray_MatchesNothing(string text)
    {
        var exists = AttributePolicy("""{"customer_interests": [{"exists": true}, {"exists": false}, "rugby"]}""");

        bool matches = exists.MatchesAttribute("customer_interests", StringArray(text));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_StringArrayWithEscapedElement_ComparesUnescapedText()
    {
        bool matches = _interests.MatchesAttribute("customer_interests", StringArray("""["\u0072ugby"]"""));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_LargeStringArray_UsesPooledBuffersAndStillMatches()
    {
        var builder = new StringBuilder("[");
        for (int i = 0; i < 200; i++)
        {
            builder.Append("\"filler-value-").Append(i).Append("\",");
        }

        builder.Append('"').Append('x', 2000).Append("\",\"baseball\"]");

        bool matches = _interests.MatchesAttribute("customer_interests", StringArray(builder.ToString()));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_StringArrayTypeIsCaseSensitive_TreatsOtherSpellingAsPlainString()
    {
        var policy = AttributePolicy("""{"tags": ["a"]}""");

        bool matches = policy.MatchesAttribute("tags", MessageAttributeValue.FromString("""["a"]""", "array"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_CustomStringAndNumberTypes_UseTheirBaseType()
    {
        var policy = AttributePolicy("""{"name": ["ana"], "count": [3]}""");

        bool matches = policy.Matches(Attributes(
            ("name", MessageAttributeValue.FromString("ana", "person")),
            ("count", MessageAttributeValue.FromNumber("3", "int"))));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_BinaryAttribute_NeverMatchesAValue()
    {
        var policy = AttributePolicy("""{"blob": ["AQID", {"anything-but": "x"}, {"prefix": ""}]}""");

        bool matches = policy.MatchesAttribute("blob", MessageAttributeValue.FromBinary([1, 2, 3]));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_MissingAttribute_FailsValueConditions()
    {
        bool matches = _interests.MatchesAttribute("store", Text("example_corp"));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_EmptyPolicy_MatchesEveryMessage()
    {
        var policy = AttributePolicy("{}");

        bool none = policy.Matches(Attributes());
        bool some = policy.MatchesAttribute("a", Text("b"));

        none.Should().BeTrue();
        some.Should().BeTrue();
    }

    [Fact]
    public void Matches_DocumentedExamplePolicy_AcceptsDocumentedMessage()
    {
        var policy = AttributePolicy("""
            {
              "store": ["example_corp"],
              "event": [{"anything-but": "order_cancelled"}],
              "customer_interests": ["rugby", "football", "baseball"],
              "price_usd": [{"numeric": [">=", 100]}]
            }
            """);

        bool matches = policy.Matches(Attributes(
            ("customer_interests", StringArray("""["soccer", "rugby", "hockey"]""")),
            ("store", Text("example_corp")),
            ("event", Text("order_placed")),
            ("price_usd", Number("210.75"))));

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_AttributesWithBodyScopedPolicy_Throws()
    {
        var policy = BodyPolicy("""{"a": ["b"]}""");

        Action act = () => policy.Matches(Attributes(("a", Text("b"))));

        act.Should().Throw<InvalidOperationException>().WithMessage("*message body*");
    }

    [Fact]
    public void Matches_NullAttributes_Throws()
    {
        Action act = () => _interests.Matches((IReadOnlyDictionary<string, MessageAttributeValue>)null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("attributes");
    }

    [Fact]
    public void Matches_ManyThreadsAtOnce_GiveTheSameAnswers()
    {
        var matching = Attributes(("customer_interests", StringArray("""["hockey", "baseball"]""")));
        var other = Attributes(("customer_interests", Text("chess")));

        var results = new bool[8 * 1000];
        Parallel.For(0, results.Length, i => results[i] = _interests.Matches(i % 2 == 0 ? matching : other) == (i % 2 == 0));

        results.Should().AllSatisfy(ok => ok.Should().BeTrue());
    }
}
