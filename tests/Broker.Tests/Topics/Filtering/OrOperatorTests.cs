using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class OrOperatorTests
{
    private const string SourceAndMetricOrNamespace = """
        {
          "source": ["aws.cloudwatch"],
          "$or": [
            {"metricName": ["CPUUtilization", "ReadLatency"]},
            {"namespace": ["AWS/EC2", "AWS/ES"]}
          ]
        }
        """;

    [Theory]
    [InlineData("CPUUtilization", "other", true)]
    [InlineData("other", "AWS/ES", true)]
    [InlineData("other", "other", false)]
    public void Matches_OrAcrossAttributes_MatchesWhenAnyAlternativeMatches(string metricName, string ns, bool expected)
    {
        var policy = AttributePolicy(SourceAndMetricOrNamespace);

        bool matches = policy.Matches(Attributes(
            ("source", Text("aws.cloudwatch")),
            ("metricName", Text(metricName)),
            ("namespace", Text(ns))));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_OrWithSiblingKeyNotMatching_DoesNotMatch()
    {
        var policy = AttributePolicy(SourceAndMetricOrNamespace);

        bool matches = policy.Matches(Attributes(("source", Text("aws.ec2")), ("metricName", Text("CPUUtilization"))));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_OrAlternativeWithSeveralKeys_RequiresAllOfThem()
    {
        var policy = AttributePolicy("""{"$or": [{"a": ["1"], "b": ["2"]}, {"c": ["3"]}]}""");

        bool both = policy.Matches(Attributes(("a", Text("1")), ("b", Text("2"))));
        bool half = policy.Matches(Attributes(("a", Text("1")), ("b", Text("x"))));

        both.Should().BeTrue();
        half.Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1000}""", true)]
    [InlineData("""{"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 7}""", false)]
    [InlineData("""{"source": "aws.cloudwatch", "scope": "Service"}""", true)]
    [InlineData("""{"source": "aws.cloudwatch", "metricId": 1234}""", false)]
    public void Matches_NestedOrInsideOrInBody_EvaluatesEachLevel(string body, bool expected)
    {
        var policy = BodyPolicy("""
            {
              "source": ["aws.cloudwatch"],
              "$or": [
                {"metricName": ["CPUUtilization", "ReadLatency"]},
                {
                  "metricType": ["MetricType"],
                  "namespace": ["AWS/EC2", "AWS/ES"],
                  "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]
                },
                {"scope": ["Service"]}
              ]
            }
            """);

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"detail": {"source": "aws.cloudwatch"}}""", true)]
    [InlineData("""{"detail": {"detail-type": "CloudWatch Alarm State Change"}}""", true)]
    [InlineData("""{"detail": {"source": "other"}}""", false)]
    public void Matches_OrInsideNestedBodyObject_AppliesToThatObject(string body, bool expected)
    {
        var policy = BodyPolicy("""
            {"detail": {"$or": [{"source": ["aws.cloudwatch"]}, {"detail-type": ["CloudWatch Alarm State Change"]}]}}
            """);

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_TwoParallelOrGroups_RequiresOneAlternativeOfEach()
    {
        var policy = AttributePolicy("""
            {"$or": [{"a": ["1"]}, {"b": ["1"]}], "c": ["1"]}
            """);

        bool matches = policy.Matches(Attributes(("b", Text("1")), ("c", Text("1"))));
        bool missingC = policy.Matches(Attributes(("a", Text("1"))));

        matches.Should().BeTrue();
        missingC.Should().BeFalse();
    }

    [Fact]
    public void Matches_OrArrayOfOperatorObjects_TreatsOrAsAnOrdinaryKey()
    {
        var policy = BodyPolicy("""{"$or": [{"prefix": "ab"}, {"suffix": "yz"}]}""");

        bool prefixed = policy.MatchesBody("""{"$or": "abc"}""");
        bool other = policy.MatchesBody("""{"$or": "mmm"}""");

        prefixed.Should().BeTrue();
        other.Should().BeFalse();
    }

    [Fact]
    public void Parse_OrWithSingleAlternative_FailsWithHint()
    {
        string message = ParseError("""{"$or": [{"a": ["1"]}]}""");

        message.Should().Contain("'$or[0]'").And.Contain("\"a\" is not a known operator").And.Contain("at least two policy objects");
    }

    [Fact]
    public void Parse_OrAlternativeThatIsEmpty_Fails()
    {
        string message = ParseError("""{"$or": [{"a": ["1"]}, {}]}""");

        message.Should().Contain("'$or[1]'").And.Contain("must not be empty");
    }
}
