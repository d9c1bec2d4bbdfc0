namespace Broker.Topics.Filtering;

/// <summary>Matches a number inside a range: <c>{"numeric": [">", 0, "&lt;=", 150]}</c>, <c>{"numeric": ["=", 3.015e2]}</c> or a bare number.</summary>
/// <remarks>Numbers compare by value as IEEE 754 doubles, so <c>300</c>, <c>300.0</c> and <c>3e2</c> are equal.</remarks>
internal sealed class NumericCondition : FilterCondition
{
    private readonly double _lower;
    private readonly bool _lowerInclusive;
    private readonly double _upper;
    private readonly bool _upperInclusive;

    public NumericCondition(double lower, bool lowerInclusive, double upper, bool upperInclusive)
    {
        _lower = lower;
        _lowerInclusive = lowerInclusive;
        _upper = upper;
        _upperInclusive = upperInclusive;
    }

    public static NumericCondition EqualTo(double operand) => new(operand, true, operand, true);

    public override bool Matches(FilterValue value)
    {
        if (value.Kind != FilterValueKind.Number)
        {
            return false;
        }

        double number = value.Number;
        bool aboveLower = _lowerInclusive ? number >= _lower : number > _lower;
        bool belowUpper = _upperInclusive ? number <= _upper : number < _upper;
        return aboveLower && belowUpper;
    }
}
