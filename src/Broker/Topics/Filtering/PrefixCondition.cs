namespace Broker.Topics.Filtering;

/// <summary>Matches a string that starts with the operand, case-sensitively: <c>{"prefix": "bas"}</c>.</summary>
internal sealed class PrefixCondition(string prefix) : FilterCondition
{
    public override bool Matches(FilterValue value)
        => value.Kind == FilterValueKind.String && value.Text.StartsWith(prefix, StringComparison.Ordinal);
}
