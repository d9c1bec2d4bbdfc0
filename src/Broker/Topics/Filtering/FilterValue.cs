namespace Broker.Topics.Filtering;

/// <summary>One leaf value of a message, viewed without copying: a string, a number, a boolean or null.</summary>
internal readonly ref struct FilterValue
{
    private FilterValue(FilterValueKind kind, ReadOnlySpan<char> text, double number)
    {
        Kind = kind;
        Text = text;
        Number = number;
    }

    public FilterValueKind Kind { get; }

    /// <summary>Gets the characters of a <see cref="FilterValueKind.String"/> value.</summary>
    public ReadOnlySpan<char> Text { get; }

    /// <summary>Gets the value of a <see cref="FilterValueKind.Number"/> value.</summary>
    public double Number { get; }

    public static FilterValue FromString(ReadOnlySpan<char> text) => new(FilterValueKind.String, text, 0);

    public static FilterValue FromNumber(double number) => new(FilterValueKind.Number, default, number);

    public static FilterValue FromLiteral(FilterValueKind kind) => new(kind, default, 0);
}
