using System.Text;
using System.Text.Json;
using Broker.Topics.Filtering;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class BodyScopeTests
{
    [Theory]
    [InlineData("""{"detail": {"state": "running"}}""", true)]
    [InlineData("""{"detail": {"state": "stopped"}}""", false)]
    [InlineData("""{"state": "running"}""", false)]
    [InlineData("""{"detail": "running"}""", false)]
    [InlineData("""{"detail": {"inner": {"state": "running"}}}""", false)]
    public void Matches_NestedPolicyObject_FollowsNestedProperties(string body, bool expected)
    {
        var policy = BodyPolicy("""{"detail": {"state": ["initializing", "running"]}}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_ThreeLevelsDeep_MatchesLeaf()
    {
        var policy = BodyPolicy("""{"a": {"b": {"c": ["x"]}}, "top": [1]}""");

        bool matches = policy.MatchesBody("""{"top": 1, "a": {"b": {"c": "x", "d": "y"}, "e": 2}}""");

        matches.Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"customer_interests": ["soccer", "rugby"]}""", true)]
    [InlineData("""{"customer_interests": ["soccer", "hockey"]}""", false)]
    [InlineData("""{"customer_interests": []}""", false)]
    public void Matches_ArrayPropertyInBody_MatchesWhenAnyElementMatches(string body, bool expected)
    {
        var policy = BodyPolicy("""{"customer_interests": ["rugby"]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"firstName": ["Anna"]}""", true)]
    [InlineData("""{"firstName": ["Anna"], "lastName": ["Smith"]}""", true)]
    [InlineData("""{"firstName": ["Anna"], "lastName": ["Jones"]}""", false)]
    public void Matches_ArrayOfObjects_RequiresNestedKeysWithinOneElement(string employeesPolicy, bool expected)
    {
        var policy = BodyPolicy($$"""{"employees": {{employeesPolicy}}}""");

        bool matches = policy.MatchesBody("""
            {"employees": [
              {"firstName": "John", "lastName": "Doe"},
              {"firstName": "Anna", "lastName": "Smith"},
              {"firstName": "Peter", "lastName": "Jones"}
            ]}
            """);

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_NestedArraysOfObjects_AreFlattened()
    {
        var policy = BodyPolicy("""{"employees": {"firstName": ["Peter"]}}""");

        bool matches = policy.MatchesBody("""{"employees": [[{"firstName": "John"}], [{"firstName": "Peter"}]]}""");

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_DottedPolicyKey_NamesAPropertyLiterallyRatherThanAPath()
    {
        var policy = BodyPolicy("""{"a.b": ["x"]}""");

        bool literal = policy.MatchesBody("""{"a.b": "x"}""");
        bool nested = policy.MatchesBody("""{"a": {"b": "x"}}""");

        literal.Should().BeTrue();
        nested.Should().BeFalse();
    }

    [Fact]
    public void Matches_EscapedAndLongStrings_CompareUnescapedText()
    {
        string longValue = new('y', 1000);
        var policy = BodyPolicy($$"""{"a": ["tab\there"], "b": [{"suffix": "yy"}]}""");

        bool matches = policy.MatchesBody($$"""{"a": "tab\u0009here", "b": "{{longValue}}"}""");

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_ObjectValueForLeafCondition_DoesNotMatch()
    {
        var policy = BodyPolicy("""{"store": ["x"]}""");

        bool matches = policy.MatchesBody("""{"store": {"x": "x"}}""");

        matches.Should().BeFalse();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Matches_BodyThatIsNotAnObject_DoesNotMatch(string body)
    {
        var policy = BodyPolicy("""{"a": [{"exists": false}]}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().BeFalse();
    }

    [Theory]
    [InlineData("{\"a\": ")]
    [InlineData("{\"a\": \"b\"} trailing")]
    [InlineData("{\"a\": \"b\"} {}")]
    [InlineData("")]
    [InlineData("not json")]
    public void Matches_Utf8TextThatIsNotOneJsonValue_DoesNotMatch(string text)
    {
        var policy = BodyPolicy("""{"a": ["b"]}""");

        bool matches = policy.Matches(Encoding.UTF8.GetBytes(text));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_Utf8Body_Matches()
    {
        var policy = BodyPolicy("""{"a": ["b"]}""");

        bool matches = policy.Matches("""  {"a": "b"}  """u8);

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_EmptyBodyPolicy_MatchesEvenInvalidBodies()
    {
        var policy = BodyPolicy("{}");

        bool text = policy.Matches("not json"u8);
        bool element = policy.Matches(default(JsonElement));

        text.Should().BeTrue();
        element.Should().BeTrue();
    }

    [Fact]
    public void Matches_DefaultJsonElement_DoesNotMatchNonEmptyPolicy()
    {
        var policy = BodyPolicy("""{"a": [{"exists": false}]}""");

        bool matches = policy.Matches(default(JsonElement));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_SerializedRecord_MatchesItsProperties()
    {
        var policy = BodyPolicy("""{"Size": ["large"], "Shots": [{"numeric": [">=", 2]}]}""");
        JsonElement body = JsonSerializer.SerializeToElement(new CoffeeOrder("Ana", "large", 2));

        bool matches = policy.Matches(body);

        matches.Should().BeTrue();
    }

    [Fact]
    public void Matches_BodyWithAttributeScopedPolicy_Throws()
    {
        var policy = AttributePolicy("""{"a": ["b"]}""");

        Action element = () => policy.Matches(default(JsonElement));
        Action utf8 = () => policy.Matches("{}"u8);

        element.Should().Throw<InvalidOperationException>().WithMessage("*message attributes*");
        utf8.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Scope_OfBodyPolicy_IsMessageBody()
    {
        var policy = BodyPolicy("""{"a": ["b"]}""");

        policy.Scope.Should().Be(FilterPolicyScope.MessageBody);
    }

    private sealed record CoffeeOrder(string Customer, string Size, int Shots);
}
