using System.Text.Json;
using Broker.Messages;
using Broker.Topics.Filtering;
using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class AllocationTests
{
    private const int Iterations = 1000;
    private const int Rounds = 5;

    [Fact]
    public void Matches_AttributePolicyWithEveryOperator_DoesNotAllocate()
    {
        var policy = AttributePolicy("""
            {
              "size": ["small", {"prefix": "la"}, {"equals-ignore-case": "HUGE"}],
              "price": [{"numeric": [">", 0, "<=", 150]}, {"anything-but": [500]}],
              "tags": [{"suffix": "-vip"}],
              "ip": [{"cidr": "10.0.0.0/8"}],
              "$or": [{"store": [{"exists": true}]}, {"channel": [{"anything-but": {"prefix": "test-"}}]}]
            }
            """);
        IReadOnlyDictionary<string, MessageAttributeValue> attributes = Attributes(
            ("size", Text("large")),
            ("price", Number("42.5")),
            ("tags", StringArray("""["new", "gold-vip"]""")),
            ("ip", Text("10.1.2.3")),
            ("channel", Text("web")));

        long allocated = MeasureAllocations(() => policy.Matches(attributes));

        allocated.Should().Be(0);
    }

    [Fact]
    public void Matches_BodyPolicyWithNestedKeysAndArrays_DoesNotAllocate()
    {
        var policy = BodyPolicy("""
            {
              "detail": {"state": [{"anything-but": "stopped"}], "count": [{"numeric": [">=", 2]}]},
              "employees": {"name": [{"prefix": "An"}], "role": ["lead"]},
              "note": [{"suffix": "!"}]
            }
            """);
        using JsonDocument document = JsonDocument.Parse("""
            {
              "detail": {"state": "running", "count": 3},
              "employees": [{"name": "John", "role": "lead"}, {"name": "Anna", "role": "lead"}],
              "note": "escaped \u00e9 text that is longer than a few characters, to be sure!"
            }
            """);
        JsonElement body = document.RootElement;

        long allocated = MeasureAllocations(() => policy.Matches(body));

        allocated.Should().Be(0);
    }

    // One-off runtime work on this thread (tiered recompilation, on-stack replacement) can allocate a few
    // kilobytes once; an allocation per match shows in every round, so the quietest round is the measure.
    private static long MeasureAllocations(Func<bool> match)
    {
        for (int i = 0; i < 100; i++)
        {
            match().Should().BeTrue();
        }

        long quietest = long.MaxValue;
        for (int round = 0; round < Rounds && quietest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool all = true;
            for (int i = 0; i < Iterations; i++)
            {
                all &= match();
            }

            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
            all.Should().BeTrue();
        }

        return quietest;
    }
}
