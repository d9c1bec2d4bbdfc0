namespace Broker.Topics.Filtering;

/// <summary>
/// Matches any non-null value that none of the excluded conditions match:
/// <c>{"anything-but": ["rugby", "tennis"]}</c>, <c>{"anything-but": [100, 500]}</c>,
/// <c>{"anything-but": {"prefix": "order-"}}</c> or <c>{"anything-but": {"suffix": "-test"}}</c>.
/// </summary>
/// <remarks>
/// A missing key or a <c>null</c> value has nothing to compare, so it does not match; combine with
/// <c>{"exists": false}</c> to accept those too, as SNS recommends.
/// </remarks>
internal sealed class AnythingButCondition(FilterCondition[] excluded) : FilterCondition
{
    public override bool Matches(FilterValue value)
    {
        if (value.Kind == FilterValueKind.Null)
        {
            return false;
        }

        foreach (FilterCondition condition in excluded)
        {
            if (condition.Matches(value))
            {
                return false;
            }
        }

        return true;
    }
}
