using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class SendTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task SendAsync_ValidMessage_ReturnsNonEmptyMessageId()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        SendResult result = await queue.SendAsync("latte");

        result.MessageId.IsEmpty.Should().BeFalse();
    }

    [Fact]
    public async Task SendAsync_TwoMessages_ReturnDistinctMessageIds()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        SendResult first = await queue.SendAsync("latte");
        SendResult second = await queue.SendAsync("latte");

        second.MessageId.Should().NotBe(first.MessageId);
    }

    [Fact]
    public async Task SendAsync_ValidMessage_MakesOneMessageVisible()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        await queue.SendAsync("latte");

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_NullBody_ThrowsArgumentNullExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("body");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_CancelledToken_ThrowsOperationCanceledExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Func<Task> act = async () => await queue.SendAsync("latte", cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_StringNumberAndBinaryAttributes_DeliversThemUnchanged()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["size"] = MessageAttributeValue.FromString("large"),
            ["shots"] = MessageAttributeValue.FromNumber(2),
            ["logo"] = MessageAttributeValue.FromBinary([1, 2, 3]),
        };

        await queue.SendAsync("latte", new SendOptions { Attributes = attributes });
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.Attributes.Should().BeEquivalentTo(attributes);
    }

    [Fact]
    public async Task SendAsync_CustomTypeAttributes_KeepsTheirDataTypes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["count"] = MessageAttributeValue.FromNumber("3", "int"),
            ["image"] = MessageAttributeValue.FromBinary([0x89, 0x50], "png"),
            ["doc"] = MessageAttributeValue.FromString("{}", "json"),
        };

        await queue.SendAsync("latte", new SendOptions { Attributes = attributes });
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.Attributes["count"].DataType.Should().Be("Number.int");
        received.Attributes["image"].DataType.Should().Be("Binary.png");
        received.Attributes["doc"].DataType.Should().Be("String.json");
    }

    [Fact]
    public async Task SendAsync_AttributesChangedAfterSend_DeliversAttributesAsSent()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" };
        await queue.SendAsync("latte", new SendOptions { Attributes = attributes });

        attributes["size"] = "small";
        attributes["extra"] = "x";
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.Attributes.Should().ContainSingle().Which.Value.StringValue.Should().Be("large");
    }

    [Fact]
    public async Task SendAsync_TenAttributes_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        await queue.SendAsync("latte", new SendOptions { Attributes = Attributes(10) });

        (await queue.ReceiveSingleAsync()).Attributes.Should().HaveCount(10);
    }

    [Fact]
    public async Task SendAsync_ElevenAttributes_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendAsync("latte", new SendOptions { Attributes = Attributes(11) });

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("options.Attributes");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("caf\u00e9")]
    [InlineData("star*")]
    [InlineData(".leading")]
    [InlineData("trailing.")]
    [InlineData("double..dot")]
    [InlineData("AWS.trace")]
    [InlineData("aws.trace")]
    [InlineData("Amazon.thing")]
    [InlineData("AMAZON.thing")]
    public async Task SendAsync_InvalidAttributeName_ThrowsArgumentExceptionAndStoresNothing(string name)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue> { [name] = "value" };

        Func<Task> act = async () => await queue.SendAsync("latte", new SendOptions { Attributes = attributes });

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("options.Attributes");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("dotted.name")]
    [InlineData("Mixed-Case_9")]
    [InlineData("AWSish")]
    [InlineData("Amazonian")]
    [InlineData("my.AWS.thing")]
    public async Task SendAsync_ValidAttributeName_IsAccepted(string name)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue> { [name] = "value" };

        await queue.SendAsync("latte", new SendOptions { Attributes = attributes });

        (await queue.ReceiveSingleAsync()).Attributes.Should().ContainKey(name);
    }

    [Fact]
    public async Task SendAsync_AttributeNameOf256Characters_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        string name = new('n', 256);

        await queue.SendAsync("latte", new SendOptions { Attributes = new Dictionary<string, MessageAttributeValue> { [name] = "v" } });

        (await queue.ReceiveSingleAsync()).Attributes.Should().ContainKey(name);
    }

    [Fact]
    public async Task SendAsync_AttributeNameOf257Characters_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue> { [new string('n', 257)] = "v" };

        Func<Task> act = async () => await queue.SendAsync("latte", new SendOptions { Attributes = attributes });

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("options.Attributes");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_AttributeNamesDifferingOnlyInCase_AreBothKept()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal) { ["size"] = "a", ["Size"] = "b" };

        await queue.SendAsync("latte", new SendOptions { Attributes = attributes });

        (await queue.ReceiveSingleAsync()).Attributes.Keys.Should().BeEquivalentTo("size", "Size");
    }

    [Fact]
    public async Task SendAsync_NullAttributeValue_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = null! };

        Func<Task> act = async () => await queue.SendAsync("latte", new SendOptions { Attributes = attributes });

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("options.Attributes");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_EmptyAttributes_DeliversEmptyAttributes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        await queue.SendAsync("latte", new SendOptions { Attributes = new Dictionary<string, MessageAttributeValue>() });

        (await queue.ReceiveSingleAsync()).Attributes.Should().BeEmpty();
    }

    private static Dictionary<string, MessageAttributeValue> Attributes(int count)
    {
        var attributes = new Dictionary<string, MessageAttributeValue>();
        for (int i = 0; i < count; i++)
        {
            attributes["attr" + i] = "value" + i;
        }

        return attributes;
    }
}
