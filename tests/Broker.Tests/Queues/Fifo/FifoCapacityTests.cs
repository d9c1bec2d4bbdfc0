using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoCapacityTests : IDisposable
{
    private readonly MessageBroker _broker = new(new ManualTimeProvider());

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task SendAsync_Duplicates_DoNotUseUpCapacity()
    {
        IMessageQueue<string> queue = CreateQueue(capacity: 2, QueueFullMode.Fail);
        await queue.SendAsync("a1", Group("a", "d1"));
        for (int i = 0; i < 5; i++)
        {
            await queue.SendAsync("a1", Group("a", "d1"));
        }

        await queue.SendAsync("a2", Group("a", "d2"));
        Func<Task> third = async () => await queue.SendAsync("a3", Group("a", "d3"));

        (await third.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueFull);
        (await queue.GetAttributesAsync()).ApproximateNumberOfMessages.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_DuplicateIntoFullFailFastQueue_IsAcceptedWithOriginalResult()
    {
        IMessageQueue<string> queue = CreateQueue(capacity: 1, QueueFullMode.Fail);
        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));

        SendResult duplicate = await queue.SendAsync("a1", Group("a", "d1"));

        duplicate.Should().Be(original);
        (await queue.GetAttributesAsync()).ApproximateNumberOfMessages.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_DuplicateIntoFullWaitingQueue_CompletesAtOnceWithOriginalResult()
    {
        IMessageQueue<string> queue = CreateQueue(capacity: 1, QueueFullMode.Wait);
        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));

        ValueTask<SendResult> send = queue.SendAsync("a1", Group("a", "d1"));

        send.IsCompleted.Should().BeTrue("a duplicate stores nothing, so it need not wait for room");
        (await send.AsTask().WaitAsync(Bound)).Should().Be(original);
    }

    [Fact]
    public async Task SendBatchAsync_DuplicateIntoFullFailFastQueue_Succeeds()
    {
        IMessageQueue<string> queue = CreateQueue(capacity: 1, QueueFullMode.Fail);
        SendResult original = await queue.SendAsync("a1", Group("a", "d1"));

        var result = await queue.SendBatchAsync(
        [
            new SendBatchEntry<string>("dup", "a1") { MessageGroupId = "a", DeduplicationId = "d1" },
            new SendBatchEntry<string>("new", "a2") { MessageGroupId = "a", DeduplicationId = "d2" },
        ]).AsTask().WaitAsync(Bound);

        result.Successful.Should().ContainSingle().Which.Should().Be(new SendBatchResultEntry("dup", original.MessageId, original.SequenceNumber));
        result.Failed.Should().ContainSingle().Which.Code.Should().Be(nameof(BrokerErrorCode.QueueFull));
    }

    [Fact]
    public async Task DeleteAsync_FreesCapacityForTheNextMessageOfTheGroup()
    {
        IMessageQueue<string> queue = CreateQueue(capacity: 1, QueueFullMode.Fail);
        await queue.SendAsync("a1", Group("a", "d1"));
        var received = await ReceiveAsync(queue);

        await queue.DeleteAsync(received[0].ReceiptHandle);
        await queue.SendAsync("a2", Group("a", "d2"));

        (await ReceiveAsync(queue)).Bodies().Should().Equal("a2");
    }

    [Fact]
    public async Task SendAsync_WaitingForRoom_IsDeliveredAfterTheGroupItWaitedBehind()
    {
        IMessageQueue<string> queue = CreateQueue(capacity: 1, QueueFullMode.Wait);
        await queue.SendAsync("a1", Group("a", "d1"));
        Task<SendResult> waiting = queue.SendAsync("a2", Group("a", "d2")).AsTask();
        waiting.IsCompleted.Should().BeFalse();

        var first = await ReceiveAsync(queue);
        await queue.DeleteAsync(first[0].ReceiptHandle);
        await waiting.WaitAsync(Bound);
        var second = await ReceiveAsync(queue);

        first.Bodies().Should().Equal("a1");
        second.Bodies().Should().Equal("a2");
    }

    private IMessageQueue<string> CreateQueue(int capacity, QueueFullMode fullMode)
        => _broker.CreateQueue<string>("bounded.fifo", o =>
        {
            o.Capacity = capacity;
            o.FullMode = fullMode;
        });
}
