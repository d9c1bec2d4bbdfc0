using Broker.Messages;

namespace Broker.Tests.Messages;

public sealed class MessageAttributeValueTests
{
    [Fact]
    public void FromString_Text_CreatesStringAttribute()
    {
        MessageAttributeValue value = MessageAttributeValue.FromString("large");

        value.DataType.Should().Be("String");
        value.Type.Should().Be(MessageAttributeType.String);
        value.StringValue.Should().Be("large");
        value.BinaryValue.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void FromString_CustomType_AppendsItToTheDataType()
    {
        MessageAttributeValue value = MessageAttributeValue.FromString("{}", "json");

        value.DataType.Should().Be("String.json");
        value.Type.Should().Be(MessageAttributeType.String);
    }

    [Fact]
    public void FromString_Empty_ThrowsArgumentException()
    {
        Action act = () => MessageAttributeValue.FromString(string.Empty);

        act.Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Fact]
    public void FromString_Null_ThrowsArgumentNullException()
    {
        Action act = () => MessageAttributeValue.FromString(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("value");
    }

    [Fact]
    public void ImplicitConversion_FromString_CreatesStringAttribute()
    {
        MessageAttributeValue value = "large";

        value.Should().Be(MessageAttributeValue.FromString("large"));
    }

    [Fact]
    public void ToMessageAttributeValue_FromString_CreatesStringAttribute()
    {
        MessageAttributeValue value = MessageAttributeValue.ToMessageAttributeValue("large");

        value.DataType.Should().Be("String");
        value.StringValue.Should().Be("large");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+7")]
    [InlineData("3.14")]
    [InlineData(".5")]
    [InlineData("1e10")]
    [InlineData("1E-5")]
    [InlineData("-2.5e+3")]
    [InlineData("007")]
    [InlineData("0.000")]
    [InlineData("12345678901234567890123456789012345678")]
    [InlineData("1234567890123456789012345678901234567800000")]
    [InlineData("0.00012345678901234567890123456789012345678")]
    [InlineData("1e126")]
    [InlineData("1e-128")]
    [InlineData("-1e126")]
    public void FromNumber_ValidText_KeepsTheTextUnchanged(string text)
    {
        MessageAttributeValue value = MessageAttributeValue.FromNumber(text);

        value.DataType.Should().Be("Number");
        value.Type.Should().Be(MessageAttributeType.Number);
        value.StringValue.Should().Be(text);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("e5")]
    [InlineData("123456789012345678901234567890123456789")]
    [InlineData("1.23456789012345678901234567890123456789")]
    [InlineData("1e127")]
    [InlineData("10e126")]
    [InlineData("1e-129")]
    [InlineData("0.1e-128")]
    public void FromNumber_InvalidText_ThrowsArgumentException(string text)
    {
        Action act = () => MessageAttributeValue.FromNumber(text);

        act.Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Fact]
    public void FromNumber_Empty_ThrowsArgumentException()
    {
        Action act = () => MessageAttributeValue.FromNumber(string.Empty);

        act.Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Fact]
    public void FromNumber_TextWithCustomType_AppendsItToTheDataType()
    {
        MessageAttributeValue value = MessageAttributeValue.FromNumber("3", "int");

        value.DataType.Should().Be("Number.int");
        value.Type.Should().Be(MessageAttributeType.Number);
    }

    [Fact]
    public void FromNumber_Long_UsesInvariantText()
    {
        MessageAttributeValue value = MessageAttributeValue.FromNumber(-42L);

        value.DataType.Should().Be("Number");
        value.StringValue.Should().Be("-42");
    }

    [Fact]
    public void FromNumber_Decimal_KeepsScale()
    {
        MessageAttributeValue value = MessageAttributeValue.FromNumber(1.50m);

        value.StringValue.Should().Be("1.50");
    }

    [Fact]
    public void FromNumber_Double_UsesRoundTripText()
    {
        MessageAttributeValue value = MessageAttributeValue.FromNumber(2.5d);

        value.StringValue.Should().Be("2.5");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FromNumber_NonFiniteDouble_ThrowsArgumentOutOfRangeException(double number)
    {
        Action act = () => MessageAttributeValue.FromNumber(number);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(-1e127)]
    [InlineData(double.Epsilon)]
    [InlineData(1e-200)]
    public void FromNumber_DoubleOutsideNumberRange_ThrowsArgumentException(double number)
    {
        Action act = () => MessageAttributeValue.FromNumber(number);

        act.Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Theory]
    [InlineData(0d)]
    [InlineData(1e126)]
    [InlineData(-1e-128)]
    [InlineData(0.1)]
    public void FromNumber_DoubleInsideNumberRange_IsAccepted(double number)
    {
        MessageAttributeValue value = MessageAttributeValue.FromNumber(number);

        double.Parse(value.StringValue!, System.Globalization.CultureInfo.InvariantCulture).Should().Be(number);
    }

    [Fact]
    public void FromBinary_Bytes_CreatesBinaryAttribute()
    {
        MessageAttributeValue value = MessageAttributeValue.FromBinary([1, 2, 3]);

        value.DataType.Should().Be("Binary");
        value.Type.Should().Be(MessageAttributeType.Binary);
        value.StringValue.Should().BeNull();
        value.BinaryValue.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void FromBinary_SourceChangedAfterwards_KeepsItsOwnCopy()
    {
        byte[] bytes = [1, 2, 3];
        MessageAttributeValue value = MessageAttributeValue.FromBinary(bytes);

        bytes[0] = 99;

        value.BinaryValue.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void FromBinary_CustomType_AppendsItToTheDataType()
    {
        MessageAttributeValue value = MessageAttributeValue.FromBinary([0x89], "png");

        value.DataType.Should().Be("Binary.png");
        value.Type.Should().Be(MessageAttributeType.Binary);
    }

    [Fact]
    public void FromBinary_Empty_ThrowsArgumentException()
    {
        Action act = () => MessageAttributeValue.FromBinary([]);

        act.Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/")]
    [InlineData("caf\u00e9")]
    public void FromString_InvalidCustomType_ThrowsArgumentException(string suffix)
    {
        Action act = () => MessageAttributeValue.FromString("v", suffix);

        act.Should().Throw<ArgumentException>().WithParameterName("customType");
    }

    [Theory]
    [InlineData("v1.2")]
    [InlineData("my-type_9")]
    public void FromString_CustomTypeWithAllowedCharacters_IsAccepted(string suffix)
    {
        MessageAttributeValue value = MessageAttributeValue.FromString("v", suffix);

        value.DataType.Should().Be("String." + suffix);
    }

    [Fact]
    public void FromString_CustomTypeMakingDataType256Characters_IsAccepted()
    {
        string customType = new('t', 256 - "String.".Length);

        MessageAttributeValue value = MessageAttributeValue.FromString("v", customType);

        value.DataType.Length.Should().Be(256);
    }

    [Fact]
    public void FromString_CustomTypeMakingDataType257Characters_ThrowsArgumentException()
    {
        string customType = new('t', 257 - "String.".Length);

        Action act = () => MessageAttributeValue.FromString("v", customType);

        act.Should().Throw<ArgumentException>().WithParameterName("customType");
    }

    [Fact]
    public void FromNumber_InvalidCustomType_ThrowsArgumentException()
    {
        Action act = () => MessageAttributeValue.FromNumber("1", "in t");

        act.Should().Throw<ArgumentException>().WithParameterName("customType");
    }

    [Fact]
    public void FromBinary_InvalidCustomType_ThrowsArgumentException()
    {
        Action act = () => MessageAttributeValue.FromBinary([1], "p/ng");

        act.Should().Throw<ArgumentException>().WithParameterName("customType");
    }

    [Fact]
    public void Equals_SameTypeAndText_IsTrueWithEqualHashCodes()
    {
        MessageAttributeValue first = MessageAttributeValue.FromString("large");
        MessageAttributeValue second = MessageAttributeValue.FromString("large");

        bool equal = first.Equals(second);

        equal.Should().BeTrue();
        first.GetHashCode().Should().Be(second.GetHashCode());
    }

    [Fact]
    public void Equals_SameTextDifferentType_IsFalse()
    {
        MessageAttributeValue text = MessageAttributeValue.FromString("5");
        MessageAttributeValue number = MessageAttributeValue.FromNumber("5");

        bool equal = text.Equals(number);

        equal.Should().BeFalse();
    }

    [Fact]
    public void Equals_DifferentCustomType_IsFalse()
    {
        MessageAttributeValue plain = MessageAttributeValue.FromNumber("5");
        MessageAttributeValue custom = MessageAttributeValue.FromNumber("5", "int");

        bool equal = plain.Equals(custom);

        equal.Should().BeFalse();
    }

    [Fact]
    public void Equals_BinaryWithSameBytes_IsTrueWithEqualHashCodes()
    {
        MessageAttributeValue first = MessageAttributeValue.FromBinary([1, 2, 3]);
        MessageAttributeValue second = MessageAttributeValue.FromBinary([1, 2, 3]);

        bool equal = first.Equals(second);

        equal.Should().BeTrue();
        first.GetHashCode().Should().Be(second.GetHashCode());
    }

    [Fact]
    public void Equals_BinaryWithOtherBytes_IsFalse()
    {
        MessageAttributeValue first = MessageAttributeValue.FromBinary([1, 2, 3]);
        MessageAttributeValue second = MessageAttributeValue.FromBinary([1, 2, 4]);

        bool equal = first.Equals(second);

        equal.Should().BeFalse();
    }

    [Fact]
    public void Equals_Null_IsFalse()
    {
        MessageAttributeValue value = MessageAttributeValue.FromString("large");

        bool equal = value.Equals(null);

        equal.Should().BeFalse();
    }

    [Fact]
    public void ToString_StringAttribute_ShowsTypeAndText()
    {
        MessageAttributeValue value = MessageAttributeValue.FromString("large", "size");

        string text = value.ToString();

        text.Should().Be("String.size:large");
    }

    [Fact]
    public void ToString_BinaryAttribute_ShowsTypeAndBase64()
    {
        MessageAttributeValue value = MessageAttributeValue.FromBinary([1, 2, 3]);

        string text = value.ToString();

        text.Should().Be("Binary:AQID");
    }
}
