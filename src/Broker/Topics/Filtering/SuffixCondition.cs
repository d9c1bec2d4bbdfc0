namespace Broker.Topics.Filtering;

/// <summary>Matches a string that ends with the operand, case-sensitively: <c>{"suffix": "ball"}</c>.</summary>
internal sealed class SuffixCondition(string suffix) : FilterCondition
{
    public override bool Matches(FilterValue value)
        => value.Kind == FilterValueKind.String && value.Text.EndsWith(suffix, StringComparison.Ordinal);
}
