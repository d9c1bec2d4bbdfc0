namespace Broker.Topics.Filtering;

/// <summary>The compiled value array of one policy key: it matches when any of its entries matches (OR within a key).</summary>
internal sealed class ConditionSet
{
    private readonly FilterCondition[] _conditions;

    public ConditionSet(FilterCondition[] conditions, bool matchesPresent, bool matchesAbsent)
    {
        _conditions = conditions;
        MatchesPresent = matchesPresent;
        MatchesAbsent = matchesAbsent;
    }

    /// <summary>Gets a value indicating whether the set holds <c>{"exists": true}</c>: any non-null value satisfies it.</summary>
    public bool MatchesPresent { get; }

    /// <summary>Gets a value indicating whether the set holds <c>{"exists": false}</c>: a missing key (or only nulls) satisfies it.</summary>
    public bool MatchesAbsent { get; }

    /// <summary>Gets a value indicating whether the set holds any condition on values, as opposed to only <c>exists</c>.</summary>
    public bool HasValueConditions => _conditions.Length > 0;

    public bool MatchesValue(FilterValue value)
    {
        foreach (FilterCondition condition in _conditions)
        {
            if (condition.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}
