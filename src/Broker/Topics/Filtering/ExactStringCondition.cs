namespace Broker.Topics.Filtering;

/// <summary>Matches a string equal to the operand, case-sensitively: <c>"rugby"</c>.</summary>
internal sealed class ExactStringCondition(string operand) : FilterCondition
{
    public override bool Matches(FilterValue value)
        => value.Kind == FilterValueKind.String && value.Text.SequenceEqual(operand);
}
