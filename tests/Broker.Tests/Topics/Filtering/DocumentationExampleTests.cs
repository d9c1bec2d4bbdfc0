using System.Text.Json;
using Broker.Messages;
using Broker.Topics.Filtering;

namespace Broker.Tests.Topics.Filtering;

// Mirrors the quick start of docs/filter-policies.md; keep the two in step.
public sealed class DocumentationExampleTests
{
    [Fact]
    public void QuickStart_AttributePolicy_DeliversMatchingMessage()
    {
        FilterPolicy large = FilterPolicy.Parse("""
            {
              "size": ["large", "x-large"],
              "price": [{"numeric": [">", 0, "<=", 150]}],
              "channel": [{"anything-but": {"prefix": "test-"}}]
            }
            """);

        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["size"] = "large",
            ["price"] = MessageAttributeValue.FromNumber(42.5m),
            ["channel"] = "web",
        };
        bool deliver = large.Matches(attributes);

        deliver.Should().BeTrue();
    }

    [Fact]
    public void QuickStart_BodyPolicy_DeliversMatchingMessage()
    {
        FilterPolicy running = FilterPolicy.Parse(
            """{"detail": {"state": ["running"], "source-ip": [{"cidr": "10.0.0.0/24"}]}}""",
            FilterPolicyScope.MessageBody);

        using JsonDocument body = JsonDocument.Parse("""{"detail": {"state": "running", "source-ip": "10.0.0.7"}}""");
        bool alsoDeliver = running.Matches(body.RootElement);

        alsoDeliver.Should().BeTrue();
    }

    [Fact]
    public void QuickStart_BadPolicy_ReportsReasonAndPath()
    {
        bool ok = FilterPolicy.TryParse("""{"price": [{"numeric": [">>", 5]}]}""", FilterPolicyScope.MessageAttributes,
            out _, out string? error);

        ok.Should().BeFalse();
        error.Should().Be("Invalid filter policy at 'price[0]': \">>\" is not a numeric operator; use one of =, <, <=, >, >=.");
    }
}
