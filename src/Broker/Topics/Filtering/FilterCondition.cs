namespace Broker.Topics.Filtering;

/// <summary>One compiled entry of a policy key's value array, tested against a single leaf value.</summary>
/// <remarks>Instances are immutable and shared by every evaluation, so they are safe to use from many threads at once.</remarks>
internal abstract class FilterCondition
{
    public abstract bool Matches(FilterValue value);
}
