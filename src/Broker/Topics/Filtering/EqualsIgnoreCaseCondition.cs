namespace Broker.Topics.Filtering;

/// <summary>Matches a string equal to the operand when case is ignored: <c>{"equals-ignore-case": "RUGBY"}</c>.</summary>
/// <remarks>Uses ordinal case-insensitive comparison (simple invariant case mapping), so the culture never matters.</remarks>
internal sealed class EqualsIgnoreCaseCondition(string operand) : FilterCondition
{
    public override bool Matches(FilterValue value)
        => value.Kind == FilterValueKind.String && value.Text.Equals(operand, StringComparison.OrdinalIgnoreCase);
}
