using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class MessageSizeTests
{
    private const int OneMebibyte = 1024 * 1024;
    private const int SmallLimit = 1024;

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task MaximumMessageSize_Default_IsOneMebibyte()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        QueueAttributes attributes = await queue.GetAttributesAsync();

        attributes.Options.MaximumMessageSize.Should().Be(OneMebibyte);
    }

    [Fact]
    public async Task SendAsync_StringBodyOfExactlyOneMebibyte_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        await queue.SendAsync(new string('x', OneMebibyte));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_StringBodyOneByteOverOneMebibyte_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendAsync(new string('x', OneMebibyte + 1));

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("body");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Theory]
    [InlineData("\u00e9", 512)]
    [InlineData("\u20ac", 341)]
    [InlineData("\U0001F600", 256)]
    public async Task SendAsync_MultiByteStringWithinLimitInUtf8Bytes_IsAccepted(string character, int repeat)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        await queue.SendAsync(string.Concat(Enumerable.Repeat(character, repeat)));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Theory]
    [InlineData("\u00e9", 513)]
    [InlineData("\u20ac", 342)]
    [InlineData("\U0001F600", 257)]
    public async Task SendAsync_MultiByteStringOverLimitInUtf8BytesButNotInChars_ThrowsArgumentException(string character, int repeat)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);
        string body = string.Concat(Enumerable.Repeat(character, repeat));
        body.Length.Should().BeLessThan(SmallLimit);

        Func<Task> act = async () => await queue.SendAsync(body);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("body");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_ByteArrayBodyAtLimit_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<byte[]> queue = CreateSmallQueue<byte[]>(broker);

        await queue.SendAsync(new byte[SmallLimit]);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_ByteArrayBodyOverLimit_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<byte[]> queue = CreateSmallQueue<byte[]>(broker);

        Func<Task> act = async () => await queue.SendAsync(new byte[SmallLimit + 1]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("body");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_ReadOnlyMemoryBodyOverLimit_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<ReadOnlyMemory<byte>> queue = CreateSmallQueue<ReadOnlyMemory<byte>>(broker);

        Func<Task> act = async () => await queue.SendAsync(new byte[SmallLimit + 1]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("body");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_ReadOnlyMemoryBodyAtLimit_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<ReadOnlyMemory<byte>> queue = CreateSmallQueue<ReadOnlyMemory<byte>>(broker);

        await queue.SendAsync(new byte[SmallLimit]);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_BodyPlusStringAttributeAtLimit_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        // "k" (1) + "String" (6) + "v" (1) = 8 bytes of attribute.
        await queue.SendAsync(new string('x', SmallLimit - 8), WithAttribute("k", "v"));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_BodyPlusStringAttributeOverLimit_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        Func<Task> act = async () => await queue.SendAsync(new string('x', SmallLimit - 7), WithAttribute("k", "v"));

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("body");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_AttributeValueWithMultiByteChars_CountsUtf8Bytes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        // "k" (1) + "String" (6) + "é" (2) = 9 bytes of attribute.
        Func<Task> act = async () => await queue.SendAsync(new string('x', SmallLimit - 8), WithAttribute("k", "\u00e9"));

        await act.Should().ThrowAsync<ArgumentException>();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_CustomDataType_CountsTheWholeTypeName()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        // "n" (1) + "Number.int" (10) + "7" (1) = 12 bytes of attribute.
        var options = new SendOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["n"] = MessageAttributeValue.FromNumber("7", "int") } };
        await queue.SendAsync(new string('x', SmallLimit - 12), options);
        Func<Task> act = async () => await queue.SendAsync(new string('x', SmallLimit - 11), options);

        await act.Should().ThrowAsync<ArgumentException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_BinaryAttribute_CountsItsLength()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        // "b" (1) + "Binary" (6) + 3 bytes = 10 bytes of attribute.
        var options = new SendOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["b"] = MessageAttributeValue.FromBinary([1, 2, 3]) } };
        await queue.SendAsync(new string('x', SmallLimit - 10), options);
        Func<Task> act = async () => await queue.SendAsync(new string('x', SmallLimit - 9), options);

        await act.Should().ThrowAsync<ArgumentException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_RecordBodyWithLargeContent_CountsZeroBytes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<CoffeeOrder> queue = CreateSmallQueue<CoffeeOrder>(broker);

        await queue.SendAsync(new CoffeeOrder(new string('x', 10 * SmallLimit), "latte"));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_RecordBodyWithAttributesOverLimit_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<CoffeeOrder> queue = CreateSmallQueue<CoffeeOrder>(broker);

        Func<Task> act = async () => await queue.SendAsync(new CoffeeOrder("Ana", "latte"), WithAttribute("k", new string('v', SmallLimit)));

        await act.Should().ThrowAsync<ArgumentException>();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendAsync_IntBody_CountsZeroBytes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<int> queue = CreateSmallQueue<int>(broker);

        await queue.SendAsync(42, WithAttribute("k", new string('v', SmallLimit - 7)));

        (await queue.ReceiveSingleAsync()).Body.Should().Be(42);
    }

    [Fact]
    public async Task SendAsync_ObjectQueueWithStringBody_CountsTheString()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<object> queue = CreateSmallQueue<object>(broker);

        Func<Task> act = async () => await queue.SendAsync(new string('x', SmallLimit + 1));

        await act.Should().ThrowAsync<ArgumentException>();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public void CreateQueue_MaximumMessageSizeOf1024_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);

        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MaximumMessageSize = 1024);

        queue.Name.Should().Be("orders");
    }

    [Fact]
    public void CreateQueue_MaximumMessageSizeOf1023_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.CreateQueue<string>("orders", o => o.MaximumMessageSize = 1023);

        act.Should().Throw<ArgumentException>().WithMessage("*MaximumMessageSize*1024*");
        broker.ListQueues().Should().BeEmpty();
    }

    [Fact]
    public async Task SendAsync_LargerConfiguredMaximum_AcceptsBodiesOverOneMebibyte()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MaximumMessageSize = 2 * OneMebibyte);

        await queue.SendAsync(new string('x', OneMebibyte + 1));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendBatchAsync_TotalAtLimit_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("a", new string('x', 512)), new SendBatchEntry<string>("b", new string('y', 512))]);

        result.Successful.Should().HaveCount(2);
    }

    [Fact]
    public async Task SendBatchAsync_TotalOverLimit_ThrowsArgumentExceptionNamingEntriesAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        Func<Task> act = async () => await queue.SendBatchAsync(
            [new SendBatchEntry<string>("a", new string('x', 600)), new SendBatchEntry<string>("b", new string('y', 600))]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_TotalOverLimitBecauseOfAttributes_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);
        var attributes = new Dictionary<string, MessageAttributeValue> { ["k"] = "v" };

        Func<Task> act = async () => await queue.SendBatchAsync(
            [new SendBatchEntry<string>("a", new string('x', 512)), new SendBatchEntry<string>("b", new string('y', 512)) { Attributes = attributes }]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_OneEntryOverLimit_FailsOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateSmallQueue<string>(broker);

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("big", new string('x', SmallLimit + 1)), new SendBatchEntry<string>("small", "latte")]);

        result.Successful.Select(e => e.Id).Should().Equal("small");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchResultErrorEntry>(e => e.Id == "big" && e.SenderFault);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    private static IMessageQueue<T> CreateSmallQueue<T>(MessageBroker broker)
        => broker.CreateQueue<T>("orders", o => o.MaximumMessageSize = SmallLimit);

    private static SendOptions WithAttribute(string name, string value)
        => new() { Attributes = new Dictionary<string, MessageAttributeValue> { [name] = value } };
}
