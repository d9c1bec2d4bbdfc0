using Broker.Topics.Filtering;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class FilterPolicyParseTests
{
    [Theory]
    [InlineData("{\"a\": [\"b\"]")]
    [InlineData("{\"a\": [\"b\",]}")]
    [InlineData("{'a': ['b']}")]
    [InlineData("{\"a\": [\"b\"]} // comment")]
    [InlineData("")]
    public void Parse_MalformedJson_ThrowsSayingSo(string json)
    {
        string message = ParseError(json);

        message.Should().Contain("not valid JSON");
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"a\"", "a string")]
    [InlineData("null", "null")]
    public void Parse_RootThatIsNotAnObject_Throws(string json, string kind)
    {
        string message = ParseError(json);

        message.Should().Contain($"must be a JSON object, not {kind}");
    }

    [Fact]
    public void Parse_InvalidPolicy_ThrowsArgumentExceptionNamingJson()
    {
        Action act = () => FilterPolicy.Parse("""{"a": "b"}""");

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("json");
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Action act = () => FilterPolicy.Parse(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("json");
    }

    [Fact]
    public void Parse_UndefinedScope_ThrowsArgumentOutOfRangeException()
    {
        Action act = () => FilterPolicy.Parse("{}", (FilterPolicyScope)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scope");
    }

    [Fact]
    public void TryParse_ValidPolicy_ReturnsPolicyAndNoError()
    {
        bool ok = FilterPolicy.TryParse("""{"a": ["b"]}""", FilterPolicyScope.MessageAttributes, out FilterPolicy? policy, out string? error);

        ok.Should().BeTrue();
        policy!.Scope.Should().Be(FilterPolicyScope.MessageAttributes);
        error.Should().BeNull();
    }

    [Fact]
    public void TryParse_InvalidPolicy_ReturnsFalseWithError()
    {
        bool ok = FilterPolicy.TryParse("""{"a": [{"prefx": "b"}]}""", FilterPolicyScope.MessageAttributes, out FilterPolicy? policy, out string? error);

        ok.Should().BeFalse();
        policy.Should().BeNull();
        error.Should().Contain("'a[0]'").And.Contain("\"prefx\" is not a known operator");
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        bool ok = FilterPolicy.TryParse(null, FilterPolicyScope.MessageBody, out FilterPolicy? policy);

        ok.Should().BeFalse();
        policy.Should().BeNull();
    }

    [Fact]
    public void ToString_ReturnsPolicyJsonAsGiven()
    {
        const string Json = """{ "a" : ["b"] }""";

        string text = FilterPolicy.Parse(Json).ToString();

        text.Should().Be(Json);
    }

    [Fact]
    public void Parse_UnknownOperatorInNestedBodyKey_NamesTheKeyPath()
    {
        string message = ParseError("""{"detail": {"price": [1, {"wildcard": "a*"}]}}""", FilterPolicyScope.MessageBody);

        message.Should().Contain("'detail.price[1]'").And.Contain("\"wildcard\" is not a known operator");
    }

    [Theory]
    [InlineData("""{"a": [{"prefix": 1}]}""", "\"prefix\" takes a string, not a number")]
    [InlineData("""{"a": [{"suffix": ["x"]}]}""", "\"suffix\" takes a string, not an array")]
    [InlineData("""{"a": [{"equals-ignore-case": null}]}""", "\"equals-ignore-case\" takes a string, not null")]
    [InlineData("""{"a": [{"exists": "true"}]}""", "\"exists\" takes true or false, not a string")]
    [InlineData("""{"a": [{"cidr": 10}]}""", "\"cidr\" takes a string, not a number")]
    [InlineData("""{"a": [{"prefix": "x", "suffix": "y"}]}""", "exactly one key")]
    [InlineData("""{"a": [{}]}""", "exactly one key")]
    public void Parse_OperandOfWrongType_ThrowsNamingTheOperator(string json, string expected)
    {
        string message = ParseError(json);

        message.Should().Contain("'a[0]'").And.Contain(expected);
    }

    [Theory]
    [InlineData("""{"n": [{"numeric": [">", "5"]}]}""", "must be a JSON number, not a string")]
    [InlineData("""{"n": [{"numeric": [">>", 5]}]}""", "\">>\" is not a numeric operator")]
    [InlineData("""{"n": [{"numeric": [5, ">"]}]}""", "a number is not a numeric operator")]
    [InlineData("""{"n": [{"numeric": 5}]}""", "\"numeric\" takes an array")]
    [InlineData("""{"n": [{"numeric": [">"]}]}""", "\"numeric\" takes an array")]
    [InlineData("""{"n": [{"numeric": [">", 1, "<", 2, "<", 3]}]}""", "\"numeric\" takes an array")]
    [InlineData("""{"n": [{"numeric": ["<", 5, ">", 1]}]}""", "starts with its lower bound")]
    [InlineData("""{"n": [{"numeric": ["=", 5, "<", 9]}]}""", "starts with its lower bound")]
    [InlineData("""{"n": [{"numeric": [">", 1, ">=", 9]}]}""", "ends with its upper bound")]
    [InlineData("""{"n": [{"numeric": [">", 9, "<", 9]}]}""", "lower bound 9 of the numeric range must be less than its upper bound 9")]
    [InlineData("""{"n": [{"numeric": [">", 10, "<", 1]}]}""", "must be less than")]
    public void Parse_InvalidNumericExpression_Throws(string json, string expected)
    {
        string message = ParseError(json);

        message.Should().Contain("'n[0]'").And.Contain(expected);
    }

    [Theory]
    [InlineData("""{"a": [{"anything-but": []}]}""", "must not be empty")]
    [InlineData("""{"a": [{"anything-but": ["x", 1]}]}""", "only strings or only numbers")]
    [InlineData("""{"a": [{"anything-but": [true]}]}""", "only strings or only numbers")]
    [InlineData("""{"a": [{"anything-but": [null, null]}]}""", "only strings or only numbers")]
    [InlineData("""{"a": [{"anything-but": true}]}""", "not true")]
    [InlineData("""{"a": [{"anything-but": {"equals-ignore-case": "x"}}]}""", "\"prefix\" or \"suffix\", not \"equals-ignore-case\"")]
    [InlineData("""{"a": [{"anything-but": {"prefix": 1}}]}""", "\"anything-but prefix\" takes a string")]
    [InlineData("""{"a": [{"anything-but": {"prefix": "a", "suffix": "b"}}]}""", "exactly one key")]
    public void Parse_InvalidAnythingBut_Throws(string json, string expected)
    {
        string message = ParseError(json);

        message.Should().Contain("'a[0]'").And.Contain(expected);
    }

    [Theory]
    [InlineData("10.0.0.0", "has no '/'")]
    [InlineData("10.0.0/8", "is not an IPv4 or IPv6 address")]
    [InlineData("10.0.0.0/33", "from 0 to 32")]
    [InlineData("10.0.0.0/-1", "from 0 to 32")]
    [InlineData("10.0.0.0/", "from 0 to 32")]
    [InlineData("10.0.0.0/8/8", "from 0 to 32")]
    [InlineData("2001:db8::/129", "from 0 to 128")]
    [InlineData("banana/8", "is not an IPv4 or IPv6 address")]
    public void Parse_MalformedCidr_Throws(string cidr, string expected)
    {
        string message = ParseError($$"""{"ip": [{"cidr": "{{cidr}}"}]}""");

        message.Should().Contain("'ip[0]'").And.Contain(expected);
    }

    [Fact]
    public void Parse_EmptyValueArray_Throws()
    {
        string message = ParseError("""{"a": []}""");

        message.Should().Contain("'a'").And.Contain("must not be empty");
    }

    [Fact]
    public void Parse_ScalarInsteadOfArray_ThrowsWithHint()
    {
        string message = ParseError("""{"a": "b"}""");

        message.Should().Contain("'a'").And.Contain("must be an array of values, not a string");
    }

    [Fact]
    public void Parse_NestedArrayInValueList_Throws()
    {
        string message = ParseError("""{"a": [["b"]]}""");

        message.Should().Contain("'a[0]'").And.Contain("not nested arrays");
    }

    [Fact]
    public void Parse_NestedObjectInAttributeScope_Throws()
    {
        string message = ParseError("""{"detail": {"state": ["running"]}}""");

        message.Should().Contain("'detail'").And.Contain("only allowed when the scope is MessageBody");
    }

    [Fact]
    public void Parse_NestedObjectInsideOrInAttributeScope_Throws()
    {
        string message = ParseError("""{"$or": [{"a": ["1"]}, {"b": {"c": ["1"]}}]}""");

        message.Should().Contain("'$or[1].b'").And.Contain("only allowed when the scope is MessageBody");
    }

    [Fact]
    public void Parse_EmptyNestedObjectInBodyScope_Throws()
    {
        string message = ParseError("""{"detail": {}}""", FilterPolicyScope.MessageBody);

        message.Should().Contain("'detail'").And.Contain("must not be empty");
    }

    [Fact]
    public void Parse_DuplicateKey_Throws()
    {
        string message = ParseError("""{"a": ["1"], "a": ["2"]}""");

        message.Should().Contain("'a'").And.Contain("more than once");
    }

    [Fact]
    public void Parse_NumberBeyondLimit_Throws()
    {
        string message = ParseError("""{"a": [{"numeric": [">", 1000000000.5]}]}""");

        message.Should().Contain("'a[0]'").And.Contain("out of range");
    }

    [Theory]
    [InlineData("""{"a": [1e10]}""")]
    [InlineData("""{"a": [-1000000001]}""")]
    [InlineData("""{"a": [{"anything-but": [1, 1e400]}]}""")]
    public void Parse_BareOrExcludedNumberBeyondLimit_Throws(string json)
    {
        string message = ParseError(json);

        message.Should().Contain("out of range");
    }

    [Theory]
    [InlineData("""{"a": [1000000000, -1000000000, 0.00001]}""")]
    [InlineData("""{"a": [{"anything-but": [1e9, -1e9]}]}""")]
    public void Parse_NumbersAtLimit_Succeeds(string json)
    {
        bool ok = FilterPolicy.TryParse(json, FilterPolicyScope.MessageAttributes, out _, out string? error);

        ok.Should().BeTrue(error);
    }

    [Fact]
    public void Parse_PolicyDeeperThanParserLimit_ThrowsMalformed()
    {
        string json = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "[\"x\"]" + new string('}', 70);

        string message = ParseError(json, FilterPolicyScope.MessageBody);

        message.Should().Contain("not valid JSON");
    }
}
