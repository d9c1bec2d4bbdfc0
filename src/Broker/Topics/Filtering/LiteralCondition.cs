namespace Broker.Topics.Filtering;

/// <summary>Matches the JSON literal <c>true</c>, <c>false</c> or <c>null</c>.</summary>
internal sealed class LiteralCondition(FilterValueKind kind) : FilterCondition
{
    public override bool Matches(FilterValue value) => value.Kind == kind;
}
