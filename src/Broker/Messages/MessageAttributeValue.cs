using System.Globalization;

namespace Broker.Messages;

/// <summary>An immutable message attribute value: a string, a number or binary data, as in SQS and SNS.</summary>
/// <remarks>
/// The data type is <c>String</c>, <c>Number</c> or <c>Binary</c>, optionally followed by a custom suffix such as
/// <c>Number.int</c> or <c>Binary.png</c>. Numbers are kept in their text form so that values with up to 38
/// significant digits survive unchanged. A string converts implicitly to a <c>String</c> attribute.
/// </remarks>
public sealed class MessageAttributeValue : IEquatable<MessageAttributeValue>
{
    private const int MaxSignificantDigits = 38;
    private const int MinExponent = -128;
    private const int MaxExponent = 126;

    private readonly byte[]? _binary;

    private MessageAttributeValue(string dataType, string? stringValue, byte[]? binary)
    {
        DataType = dataType;
        StringValue = stringValue;
        _binary = binary;
    }

    /// <summary>Gets the data type: <c>String</c>, <c>Number</c> or <c>Binary</c>, with an optional custom suffix.</summary>
    public string DataType { get; }

    /// <summary>Gets the text of a <c>String</c> or <c>Number</c> attribute.</summary>
    /// <value>The text; <see langword="null"/> for a <c>Binary</c> attribute.</value>
    public string? StringValue { get; }

    /// <summary>Gets the bytes of a <c>Binary</c> attribute.</summary>
    /// <value>The bytes; empty for a <c>String</c> or <c>Number</c> attribute.</value>
    public ReadOnlyMemory<byte> BinaryValue => _binary;

    /// <summary>Gets the base type of <see cref="DataType"/>, without its custom suffix.</summary>
    public MessageAttributeType Type => DataType[0] switch
    {
        'S' => MessageAttributeType.String,
        'N' => MessageAttributeType.Number,
        _ => MessageAttributeType.Binary,
    };

    /// <summary>Gets the number of bytes this value counts toward the message size: its type plus its value, UTF-8 encoded.</summary>
    internal int Size => System.Text.Encoding.UTF8.GetByteCount(DataType)
        + (_binary?.Length ?? System.Text.Encoding.UTF8.GetByteCount(StringValue!));

    /// <summary>Creates a <c>String</c> attribute.</summary>
    /// <param name="value">The text; must not be empty.</param>
    /// <param name="customType">An optional custom suffix for the data type, such as <c>json</c> for <c>String.json</c>.</param>
    /// <returns>The attribute value.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or <paramref name="customType"/> is invalid.</exception>
    public static MessageAttributeValue FromString(string value, string? customType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return new MessageAttributeValue(BuildDataType("String", customType), value, null);
    }

    /// <summary>Creates a <c>Number</c> attribute from its text form.</summary>
    /// <param name="value">A decimal number with up to 38 significant digits and a magnitude between 10^-128 and 10^126.</param>
    /// <param name="customType">An optional custom suffix for the data type, such as <c>int</c> for <c>Number.int</c>.</param>
    /// <returns>The attribute value.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not such a number.</exception>
    public static MessageAttributeValue FromNumber(string value, string? customType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        ValidateNumber(value, nameof(value));
        return new MessageAttributeValue(BuildDataType("Number", customType), value, null);
    }

    /// <summary>Creates a <c>Number</c> attribute.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The attribute value.</returns>
    public static MessageAttributeValue FromNumber(long value)
        => new("Number", value.ToString(CultureInfo.InvariantCulture), null);

    /// <summary>Creates a <c>Number</c> attribute.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The attribute value.</returns>
    public static MessageAttributeValue FromNumber(decimal value)
        => new("Number", value.ToString(CultureInfo.InvariantCulture), null);

    /// <summary>Creates a <c>Number</c> attribute.</summary>
    /// <param name="value">A finite number: zero, or with a magnitude between 10^-128 and 10^126.</param>
    /// <returns>The attribute value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is finite but its magnitude is outside 10^-128 to 10^126,
    /// such as 1e300 or <see cref="double.Epsilon"/>.</exception>
    public static MessageAttributeValue FromNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A Number attribute must be finite.");
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        ValidateNumber(text, nameof(value));
        return new MessageAttributeValue("Number", text, null);
    }

    /// <summary>Creates a <c>Binary</c> attribute holding a copy of <paramref name="value"/>.</summary>
    /// <param name="value">The bytes; must not be empty.</param>
    /// <param name="customType">An optional custom suffix for the data type, such as <c>png</c> for <c>Binary.png</c>.</param>
    /// <returns>The attribute value.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or <paramref name="customType"/> is invalid.</exception>
    public static MessageAttributeValue FromBinary(ReadOnlySpan<byte> value, string? customType = null)
    {
        if (value.IsEmpty)
        {
            throw new ArgumentException("A Binary attribute must not be empty.", nameof(value));
        }

        return new MessageAttributeValue(BuildDataType("Binary", customType), null, value.ToArray());
    }

    /// <summary>Converts a string to a <c>String</c> attribute.</summary>
    /// <param name="value">The text; must not be empty.</param>
    public static implicit operator MessageAttributeValue(string value) => FromString(value);

    /// <summary>Converts a string to a <c>String</c> attribute.</summary>
    /// <param name="value">The text; must not be empty.</param>
    /// <returns>The attribute value.</returns>
    public static MessageAttributeValue ToMessageAttributeValue(string value) => FromString(value);

    /// <inheritdoc />
    public bool Equals(MessageAttributeValue? other)
        => other is not null
            && DataType == other.DataType
            && StringValue == other.StringValue
            && BinaryValue.Span.SequenceEqual(other.BinaryValue.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MessageAttributeValue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DataType, StringValue, _binary?.Length ?? 0);

    /// <inheritdoc />
    public override string ToString() => _binary is null ? $"{DataType}:{StringValue}" : $"{DataType}:{Convert.ToBase64String(_binary)}";

    private static string BuildDataType(string baseType, string? customType)
    {
        if (customType is null)
        {
            return baseType;
        }

        string dataType = baseType + "." + customType;
        if (customType.Length == 0 || dataType.Length > MessageAttributeRules.MaxTypeLength)
        {
            throw new ArgumentException(
                $"The custom type must be 1 to {MessageAttributeRules.MaxTypeLength - baseType.Length - 1} characters long; the data type '{dataType}' is not valid.",
                nameof(customType));
        }

        foreach (char c in customType)
        {
            if (!MessageAttributeRules.IsNameChar(c))
            {
                throw new ArgumentException(
                    $"The custom type '{customType}' may contain only letters, digits, '_', '-' and '.'.",
                    nameof(customType));
            }
        }

        return dataType;
    }

    private static void ValidateNumber(string text, string paramName)
    {
        if (!TryMeasureNumber(text, out int significantDigits, out int exponent))
        {
            throw new ArgumentException($"'{text}' is not a decimal number.", paramName);
        }

        if (significantDigits > MaxSignificantDigits)
        {
            throw new ArgumentException(
                $"'{text}' has {significantDigits} significant digits; a Number attribute allows at most {MaxSignificantDigits}.",
                paramName);
        }

        if (significantDigits > 0 && (exponent < MinExponent || exponent > MaxExponent))
        {
            throw new ArgumentException(
                $"'{text}' is out of range; a Number attribute's magnitude must be between 10^{MinExponent} and 10^{MaxExponent}.",
                paramName);
        }
    }

    // Reads [sign] digits [. digits] [(e|E) [sign] digits] and reports the count of significant digits and the
    // decimal exponent of the leading significant digit.
    private static bool TryMeasureNumber(string text, out int significantDigits, out int exponent)
    {
        significantDigits = 0;
        exponent = 0;
        int i = 0;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            i++;
        }

        int firstNonZero = -1;
        int lastNonZero = -1;
        int position = 0;
        int pointPosition = -1;
        bool anyDigit = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '.')
            {
                if (pointPosition >= 0)
                {
                    return false;
                }

                pointPosition = position;
                continue;
            }

            if (!char.IsAsciiDigit(c))
            {
                break;
            }

            anyDigit = true;
            if (c != '0')
            {
                if (firstNonZero < 0)
                {
                    firstNonZero = position;
                }

                lastNonZero = position;
            }

            position++;
        }

        if (!anyDigit)
        {
            return false;
        }

        int explicitExponent = 0;
        if (i < text.Length)
        {
            if (text[i] != 'e' && text[i] != 'E')
            {
                return false;
            }

            if (!int.TryParse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out explicitExponent))
            {
                return false;
            }
        }

        if (firstNonZero < 0)
        {
            return true;
        }

        if (pointPosition < 0)
        {
            pointPosition = position;
        }

        significantDigits = lastNonZero - firstNonZero + 1;
        exponent = pointPosition - firstNonZero - 1 + explicitExponent;
        return true;
    }
}
