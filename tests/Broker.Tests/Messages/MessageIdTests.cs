using Broker.Messages;

namespace Broker.Tests.Messages;

public sealed class MessageIdTests
{
    [Fact]
    public void NewId_Twice_ReturnsDistinctNonEmptyIds()
    {
        MessageId first = MessageId.NewId();

        MessageId second = MessageId.NewId();

        first.IsEmpty.Should().BeFalse();
        second.Should().NotBe(first);
        (second != first).Should().BeTrue();
    }

    [Fact]
    public void IsEmpty_DefaultId_IsTrue()
    {
        MessageId id = default;

        id.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void ToString_NewId_HasTheGuidLikeForm()
    {
        MessageId id = MessageId.NewId();

        string text = id.ToString();

        text.Should().MatchRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    }

    [Fact]
    public void ToString_ManyIds_AreDistinct()
    {
        var texts = new HashSet<string>();

        for (int i = 0; i < 1000; i++)
        {
            texts.Add(MessageId.NewId().ToString());
        }

        texts.Should().HaveCount(1000);
    }

    [Fact]
    public async Task NewId_ManyThreadsAcrossManyBlocks_AreAllDistinct()
    {
        const int threads = 8;
        const int idsPerThread = 10_000;
        var ids = new MessageId[threads][];

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            var mine = new MessageId[idsPerThread];
            for (int i = 0; i < idsPerThread; i++)
            {
                mine[i] = MessageId.NewId();
            }

            ids[t] = mine;
        })));

        ids.SelectMany(mine => mine).Distinct().Should().HaveCount(threads * idsPerThread);
    }

    [Fact]
    public void Parse_StringForm_RoundTrips()
    {
        MessageId id = MessageId.NewId();

        MessageId parsed = MessageId.Parse(id.ToString());

        parsed.Should().Be(id);
        (parsed == id).Should().BeTrue();
        parsed.GetHashCode().Should().Be(id.GetHashCode());
    }

    [Fact]
    public void Parse_ExplicitHalves_RoundTrips()
    {
        var id = new MessageId(0x0123456789abcdefUL, 0xfedcba9876543210UL);

        MessageId parsed = MessageId.Parse(id.ToString());

        id.ToString().Should().Be("01234567-89ab-cdef-fedc-ba9876543210");
        parsed.Should().Be(id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an id")]
    [InlineData("01234567-89ab-cdef-fedc-ba987654321")]
    [InlineData("{01234567-89ab-cdef-fedc-ba9876543210}")]
    public void TryParse_InvalidText_ReturnsFalse(string text)
    {
        bool parsed = MessageId.TryParse(text, out MessageId id);

        parsed.Should().BeFalse();
        id.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        bool parsed = MessageId.TryParse(null, out _);

        parsed.Should().BeFalse();
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatException()
    {
        Action act = () => MessageId.Parse("not an id");

        act.Should().Throw<FormatException>();
    }

    [Fact]
    public void TryFormat_LargeEnoughBuffer_WritesTheStringForm()
    {
        MessageId id = MessageId.NewId();
        Span<char> buffer = stackalloc char[64];

        bool formatted = id.TryFormat(buffer, out int written, default, null);

        formatted.Should().BeTrue();
        buffer[..written].ToString().Should().Be(id.ToString());
    }

    [Fact]
    public void TryFormat_TooSmallBuffer_ReturnsFalse()
    {
        MessageId id = MessageId.NewId();
        Span<char> buffer = stackalloc char[10];

        bool formatted = id.TryFormat(buffer, out _, default, null);

        formatted.Should().BeFalse();
    }
}
