using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoDeduplicationTests : IDisposable
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(5);

    private readonly ManualTimeProvider _clock = new();
    private readonly MessageBroker _broker;

    public FifoDeduplicationTests()
    {
        _broker = new MessageBroker(_clock);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task SendAsync_DuplicateWithinWindow_ReturnsOriginalIdAndSequenceNumber()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));
        SendResult duplicate = await queue.SendAsync("a1-again", Group("a", "d1"));

        duplicate.Should().Be(original);
        duplicate.MessageId.Should().Be(original.MessageId);
        duplicate.SequenceNumber.Should().Be(original.SequenceNumber);
    }

    [Fact]
    public async Task SendAsync_DuplicateWithinWindow_IsNotDelivered()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");
        await queue.SendAsync("a1", Group("a", "d1"));
        await queue.SendAsync("a1-again", Group("a", "d1"));

        var received = await ReceiveAsync(queue);
        await queue.DeleteAsync(received[0].ReceiptHandle);
        var afterDelete = await ReceiveAsync(queue);

        received.Bodies().Should().Equal("a1");
        afterDelete.Should().BeEmpty();
        (await queue.GetAttributesAsync()).ApproximateNumberOfMessages.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_DuplicateWhileOriginalInFlight_IsNotDeliveredAfterRelease()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");
        await queue.SendAsync("a1", Group("a", "d1"));
        var first = await ReceiveAsync(queue);

        await queue.SendAsync("a1-again", Group("a", "d1"));
        await queue.ChangeVisibilityAsync(first[0].ReceiptHandle, TimeSpan.Zero);
        var again = await ReceiveAsync(queue);

        again.Bodies().Should().Equal("a1");
        again[0].ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_DuplicateAfterOriginalWasDeleted_IsStillDropped()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");
        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));
        var received = await ReceiveAsync(queue);
        (await queue.DeleteAsync(received[0].ReceiptHandle)).Should().BeTrue();

        SendResult duplicate = await queue.SendAsync("a1", Group("a", "d1"));
        var afterDuplicate = await ReceiveAsync(queue);

        duplicate.Should().Be(original);
        afterDuplicate.Should().BeEmpty();
    }

    [Fact]
    public async Task SendAsync_DuplicateJustInsideWindow_IsDropped()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");
        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));
        (await queue.DeleteAsync((await ReceiveAsync(queue))[0].ReceiptHandle)).Should().BeTrue();

        _clock.Advance(s_window - TimeSpan.FromSeconds(1));
        SendResult duplicate = await queue.SendAsync("a1", Group("a", "d1"));

        duplicate.Should().Be(original);
        (await ReceiveAsync(queue)).Should().BeEmpty();
    }

    [Fact]
    public async Task SendAsync_SameIdAfterWindow_IsDeliveredAgainAsNewMessage()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");
        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));
        (await queue.DeleteAsync((await ReceiveAsync(queue))[0].ReceiptHandle)).Should().BeTrue();

        _clock.Advance(s_window + TimeSpan.FromSeconds(1));
        SendResult again = await queue.SendAsync("a1-later", Group("a", "d1"));
        var received = await ReceiveAsync(queue);

        again.MessageId.Should().NotBe(original.MessageId);
        string.CompareOrdinal(again.SequenceNumber, original.SequenceNumber).Should().BePositive();
        received.Should().ContainSingle();
        received[0].Body.Should().Be("a1-later");
        received[0].MessageId.Should().Be(again.MessageId);
    }

    [Fact]
    public async Task SendAsync_WindowCountsFromOriginalNotFromDuplicates()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");
        await queue.SendAsync("a1", Group("a", "d1"));
        (await queue.DeleteAsync((await ReceiveAsync(queue))[0].ReceiptHandle)).Should().BeTrue();
        _clock.Advance(TimeSpan.FromMinutes(4));
        await queue.SendAsync("a1-dropped", Group("a", "d1"));

        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await queue.SendAsync("a1-later", Group("a", "d1"));
        var received = await ReceiveAsync(queue);

        received.Bodies().Should().Equal("a1-later");
    }

    [Fact]
    public async Task SendAsync_QueueScopeSameIdInTwoGroups_DropsTheSecond()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));
        SendResult duplicate = await queue.SendAsync("b1", Group("b", "d1"));
        var received = await ReceiveAsync(queue);

        duplicate.Should().Be(original);
        received.Bodies().Should().Equal("a1");
    }

    [Fact]
    public async Task SendAsync_MessageGroupScopeSameIdInTwoGroups_DeliversBoth()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.DeduplicationScope = DeduplicationScope.MessageGroup);

        SendResult inA = await queue.SendAsync("a1", Group("a", "d1"));
        SendResult inB = await queue.SendAsync("b1", Group("b", "d1"));
        var received = await ReceiveAsync(queue);

        inB.MessageId.Should().NotBe(inA.MessageId);
        received.Bodies().Should().BeEquivalentTo("a1", "b1");
        received.Select(m => m.MessageDeduplicationId).Should().Equal("d1", "d1");
    }

    [Fact]
    public async Task SendAsync_MessageGroupScopeSameIdInSameGroup_DropsTheSecond()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.DeduplicationScope = DeduplicationScope.MessageGroup);

        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));
        SendResult duplicate = await queue.SendAsync("a2", Group("a", "d1"));
        var received = await ReceiveAsync(queue);

        duplicate.Should().Be(original);
        received.Bodies().Should().Equal("a1");
    }

    [Fact]
    public async Task SendAsync_MessageGroupScopeGroupAndIdThatConcatenateAlike_AreNotConfused()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.DeduplicationScope = DeduplicationScope.MessageGroup);

        await queue.SendAsync("first", Group("a-b", "c"));
        await queue.SendAsync("second", Group("a", "b-c"));
        var received = await ReceiveAsync(queue);

        received.Bodies().Should().BeEquivalentTo("first", "second");
    }

    [Fact]
    public async Task SendAsync_ContentBasedSameStringBody_IsDeduplicatedWithSha256OfUtf8()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        SendResult original = await queue.SendAsync("café", Group("a"));
        SendResult duplicate = await queue.SendAsync("café", Group("a"));
        var received = await ReceiveAsync(queue);

        duplicate.Should().Be(original);
        received.Should().ContainSingle();
        received[0].MessageDeduplicationId.Should().Be(Sha256Hex(Encoding.UTF8.GetBytes("café")));
    }

    [Fact]
    public async Task SendAsync_ContentBasedDifferentBodies_AreBothDelivered()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        await queue.SendAsync("a1", Group("a"));
        await queue.SendAsync("a2", Group("a"));
        var received = await ReceiveAsync(queue);

        received.Bodies().Should().Equal("a1", "a2");
    }

    [Fact]
    public async Task SendAsync_ContentBasedByteBodies_AreDeduplicatedBySha256OfRawBytes()
    {
        IMessageQueue<byte[]> queue = _broker.CreateQueue<byte[]>("bytes.fifo", o => o.ContentBasedDeduplication = true);
        byte[] bytes = [1, 2, 3, 255];

        SendResult original = await queue.SendAsync(bytes, Group("a"));
        SendResult duplicate = await queue.SendAsync([1, 2, 3, 255], Group("a"));
        var received = await queue.ReceiveAsync(10).AsTask().WaitAsync(Bound);

        duplicate.Should().Be(original);
        received.Should().ContainSingle();
        received[0].MessageDeduplicationId.Should().Be(Sha256Hex(bytes));
    }

    [Fact]
    public async Task SendAsync_ContentBasedMemoryBodies_AreDeduplicatedBySha256OfRawBytes()
    {
        IMessageQueue<ReadOnlyMemory<byte>> queue = _broker.CreateQueue<ReadOnlyMemory<byte>>("memory.fifo", o => o.ContentBasedDeduplication = true);
        byte[] bytes = [9, 8, 7];

        SendResult original = await queue.SendAsync(bytes, Group("a"));
        SendResult duplicate = await queue.SendAsync(new byte[] { 0, 9, 8, 7 }.AsMemory(1), Group("a"));
        var received = await queue.ReceiveAsync(10).AsTask().WaitAsync(Bound);

        duplicate.Should().Be(original);
        received.Should().ContainSingle();
        received[0].MessageDeduplicationId.Should().Be(Sha256Hex(bytes));
    }

    [Fact]
    public async Task SendAsync_ContentBasedRecordBodies_AreDeduplicatedBySha256OfJson()
    {
        IMessageQueue<Order> queue = _broker.CreateQueue<Order>("records.fifo", o => o.ContentBasedDeduplication = true);
        var order = new Order("latte", 2);

        SendResult original = await queue.SendAsync(order, Group("a"));
        SendResult duplicate = await queue.SendAsync(new Order("latte", 2), Group("a"));
        SendResult other = await queue.SendAsync(new Order("latte", 3), Group("a"));
        var received = await queue.ReceiveAsync(10).AsTask().WaitAsync(Bound);

        duplicate.Should().Be(original);
        other.MessageId.Should().NotBe(original.MessageId);
        received.Select(m => m.Body).Should().Equal(new Order("latte", 2), new Order("latte", 3));
        received[0].MessageDeduplicationId.Should().Be(Sha256Hex(JsonSerializer.SerializeToUtf8Bytes(order)));
    }

    [Fact]
    public async Task SendAsync_ContentBasedWithBrokerJsonOptions_HashesThatSerialization()
    {
        var jsonOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        using var broker = new MessageBroker(new BrokerOptions { TimeProvider = _clock, JsonSerializerOptions = jsonOptions });
        IMessageQueue<Order> queue = broker.CreateQueue<Order>("records.fifo", o => o.ContentBasedDeduplication = true);
        var order = new Order("latte", 2);

        await queue.SendAsync(order, Group("a"));
        var received = await queue.ReceiveAsync(10).AsTask().WaitAsync(Bound);

        received.Should().ContainSingle();
        received[0].MessageDeduplicationId.Should().Be(Sha256Hex(Encoding.UTF8.GetBytes("""{"product":"latte","quantity":2}""")));
    }

    [Fact]
    public async Task SendAsync_ContentBasedSameBodyOtherAttributes_IsStillDuplicate()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        SendResult original = await queue.SendAsync("a1", new SendOptions { MessageGroupId = "a", Attributes = new Dictionary<string, MessageAttributeValue> { ["k"] = MessageAttributeValue.FromString("1") } });
        SendResult duplicate = await queue.SendAsync("a1", new SendOptions { MessageGroupId = "a", Attributes = new Dictionary<string, MessageAttributeValue> { ["k"] = MessageAttributeValue.FromString("2") } });
        var received = await ReceiveAsync(queue);

        duplicate.Should().Be(original);
        received.Should().ContainSingle();
    }

    [Fact]
    public async Task SendAsync_ContentBasedSameBodyInOtherGroupWithQueueScope_IsDuplicate()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        SendResult original = await queue.SendAsync("x", Group("a"));
        SendResult duplicate = await queue.SendAsync("x", Group("b"));

        duplicate.Should().Be(original);
        (await ReceiveAsync(queue)).Should().ContainSingle().Which.MessageGroupId.Should().Be("a");
    }

    [Fact]
    public async Task SendAsync_ContentBasedWithExplicitIds_ExplicitIdsWin()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        await queue.SendAsync("same", Group("a", "d1"));
        await queue.SendAsync("same", Group("a", "d2"));
        await queue.SendAsync("other", Group("a", "d1"));
        var received = await ReceiveAsync(queue);

        received.Bodies().Should().Equal("same", "same");
        received.Select(m => m.MessageDeduplicationId).Should().Equal("d1", "d2");
    }

    [Fact]
    public async Task SendAsync_ContentBasedExplicitIdEqualToBodyHash_IsDuplicateOfContentBasedSend()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);
        SendResult original = await queue.SendAsync("a1", Group("a"));

        SendResult duplicate = await queue.SendAsync("something else", Group("a", Sha256Hex(Encoding.UTF8.GetBytes("a1"))));

        duplicate.Should().Be(original);
    }

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public sealed record Order(string Product, int Quantity);
}
