using BenchmarkDotNet.Attributes;
using Broker.Messages;
using Broker.Topics.Filtering;

namespace Broker.Benchmarks.Topics;

/// <summary>The cost of evaluating one filter policy against one message's attributes.</summary>
[BenchmarkCategory("filter")]
public class FilterPolicyBenchmarks
{
    private const int Evaluations = 100_000;

    private readonly FilterPolicy _policy = FilterPolicy.Parse("""
        {
          "size": ["large", "x-large"],
          "price": [{"numeric": [">", 0, "<=", 150]}],
          "channel": [{"anything-but": {"prefix": "test-"}}]
        }
        """);

    private readonly Dictionary<string, MessageAttributeValue> _matching = new()
    {
        ["size"] = "large",
        ["price"] = MessageAttributeValue.FromNumber(42.5m),
        ["channel"] = "web",
    };

    private readonly Dictionary<string, MessageAttributeValue> _notMatching = new()
    {
        ["size"] = "large",
        ["price"] = MessageAttributeValue.FromNumber(420m),
        ["channel"] = "web",
    };

    /// <summary>Three keys (exact strings, a numeric range, anything-but a prefix), all matching.</summary>
    /// <returns>How many evaluations matched, so the work is not optimized away.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Evaluations)]
    public int Matches_ThreeKeys_Match() => Evaluate(_matching);

    /// <summary>The same policy against attributes whose price is out of range.</summary>
    /// <returns>How many evaluations matched.</returns>
    [Benchmark(OperationsPerInvoke = Evaluations)]
    public int Matches_ThreeKeys_NoMatch() => Evaluate(_notMatching);

    private int Evaluate(Dictionary<string, MessageAttributeValue> attributes)
    {
        int matched = 0;
        for (int i = 0; i < Evaluations; i++)
        {
            matched += _policy.Matches(attributes) ? 1 : 0;
        }

        return matched;
    }
}
