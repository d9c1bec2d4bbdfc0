using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class CapacityTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task SendAsync_FullQueueInFailMode_ThrowsQueueFullAndKeepsCounts()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Fail);
        await queue.SendAsync("a");
        await queue.SendAsync("b");

        Func<Task> act = async () => await queue.SendAsync("c");

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueFull);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_FullQueueInFailModeAfterDelete_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Fail);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        await queue.DeleteAsync((await queue.ReceiveSingleAsync()).ReceiptHandle);

        await queue.SendAsync("c");

        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_InFlightMessagesFillTheQueue_ThrowsQueueFull()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Fail);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        await queue.ReceiveNowAsync(2);

        Func<Task> act = async () => await queue.SendAsync("c");

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueFull);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 2, 0));
    }

    [Fact]
    public async Task SendAsync_DelayedMessagesFillTheQueue_ThrowsQueueFull()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Fail);
        await queue.SendAsync("a", new SendOptions { Delay = TimeSpan.FromMinutes(1) });
        await queue.SendAsync("b", new SendOptions { Delay = TimeSpan.FromMinutes(1) });

        Func<Task> act = async () => await queue.SendAsync("c");

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueFull);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 2));
    }

    [Fact]
    public async Task SendAsync_FullQueueAfterRetentionExpiredAMessage_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o =>
        {
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
            o.MessageRetentionPeriod = TimeSpan.FromMinutes(1);
        });
        await queue.SendAsync("a");
        _clock.Advance(TimeSpan.FromMinutes(1));

        await queue.SendAsync("b");

        (await queue.ReceiveSingleAsync()).Body.Should().Be("b");
    }

    [Fact]
    public async Task SendAsync_FullQueueInWaitMode_StaysPending()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        await queue.SendAsync("b");

        Task<SendResult> pending = queue.SendAsync("c").AsTask();

        pending.IsCompleted.Should().BeFalse();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_FullQueueInWaitMode_CompletesWhenADeleteFreesRoom()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        Task<SendResult> pending = queue.SendAsync("c").AsTask();

        await queue.DeleteAsync(received.ReceiptHandle);
        SendResult result = await pending.Bounded();

        result.MessageId.IsEmpty.Should().BeFalse();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_FullQueueInWaitMode_IsNotReleasedByReceiveOrVisibilityChanges()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        Task<SendResult> pending = queue.SendAsync("c").AsTask();

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromMinutes(1));

        pending.IsCompleted.Should().BeFalse();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_FullQueueInWaitMode_CompletesWhenPurgeFreesRoom()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        Task<SendResult> pending = queue.SendAsync("c").AsTask();

        await queue.PurgeAsync();
        await pending.Bounded();

        (await queue.ReceiveNowAsync(10)).Should().ContainSingle().Which.Body.Should().Be("c");
    }

    [Fact]
    public async Task SendAsync_PendingInWaitModeAndCancelled_ThrowsOperationCanceledExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        using var cancellation = new CancellationTokenSource();
        Task<SendResult> pending = queue.SendAsync("c", cancellationToken: cancellation.Token).AsTask();

        cancellation.Cancel();
        Func<Task> act = () => pending.Bounded();

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_CancelledWhileWaiting_DoesNotUseUpRoomFreedLater()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        using var cancellation = new CancellationTokenSource();
        Task<SendResult> cancelled = queue.SendAsync("c", cancellationToken: cancellation.Token).AsTask();
        cancellation.Cancel();
        await cancelled.ContinueWith(static _ => { }, TaskScheduler.Default).Bounded();
        await queue.DeleteAsync((await queue.ReceiveSingleAsync()).ReceiptHandle);

        ValueTask<SendResult> refill = queue.SendAsync("d");
        Task<SendResult> overflow = queue.SendAsync("e").AsTask();

        refill.IsCompleted.Should().BeTrue();
        overflow.IsCompleted.Should().BeFalse();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_PendingInWaitModeWhenQueueIsDeleted_ThrowsQueueDoesNotExist()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        Task<SendResult> pending = queue.SendAsync("c").AsTask();

        broker.DeleteQueue("orders");
        Func<Task> act = () => pending.Bounded();

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public async Task SendBatchAsync_MoreEntriesThanRoomInFailMode_FailsTheEntriesBeyondCapacity()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Fail);
        await queue.SendAsync("a");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("b", "b"), new SendBatchEntry<string>("c", "c"), new SendBatchEntry<string>("d", "d")]);

        result.Successful.Select(e => e.Id).Should().Equal("b");
        result.Failed.Select(e => e.Id).Should().Equal("c", "d");
        result.Failed.Should().OnlyContain(e => e.Code == nameof(BrokerErrorCode.QueueFull) && !e.SenderFault);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendBatchAsync_MoreEntriesThanRoomInWaitMode_CompletesWhenRoomIsFreed()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = CreateQueue(broker, QueueFullMode.Wait);
        await queue.SendAsync("a");
        Task<BatchResult<SendBatchResultEntry>> pending = queue.SendBatchAsync(
            [new SendBatchEntry<string>("b", "b"), new SendBatchEntry<string>("c", "c")]).AsTask();
        pending.IsCompleted.Should().BeFalse();

        await queue.DeleteAsync((await queue.ReceiveSingleAsync()).ReceiptHandle);
        BatchResult<SendBatchResultEntry> result = await pending.Bounded();

        result.Successful.Select(e => e.Id).Should().Equal("b", "c");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendAsync_UnboundedQueue_AcceptsManyMessages()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        for (int i = 0; i < 1000; i++)
        {
            await queue.SendAsync("order");
        }

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1000, 0, 0));
    }

    [Fact]
    public async Task SendAsync_QueueFilledByDeadLetteredMessages_ThrowsQueueFull()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq", o =>
        {
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
        });
        IMessageQueue<string> source = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await source.SendAsync("poison");
        await source.ReceiveSingleAsync(TimeSpan.Zero);
        await source.ReceiveNowAsync();

        Func<Task> act = async () => await dlq.SendAsync("direct");

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueFull);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_QueueOverCapacityFromDeadLettering_StaysFullUntilBackUnderCapacity()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq", o =>
        {
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
        });
        IMessageQueue<string> source = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await source.SendAsync("poison 1");
        await source.SendAsync("poison 2");
        await source.ReceiveNowAsync(10, TimeSpan.Zero);
        await source.ReceiveNowAsync(10);
        await dlq.DeleteAsync((await dlq.ReceiveSingleAsync()).ReceiptHandle);

        Func<Task> act = async () => await dlq.SendAsync("direct");

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueFull);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_QueueEmptiedAfterDeadLettering_AcceptsUpToCapacityAgain()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq", o =>
        {
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
        });
        IMessageQueue<string> source = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await source.SendAsync("poison 1");
        await source.SendAsync("poison 2");
        await source.ReceiveNowAsync(10, TimeSpan.Zero);
        await source.ReceiveNowAsync(10);
        await dlq.PurgeAsync();

        await dlq.SendAsync("direct");
        Func<Task> act = async () => await dlq.SendAsync("one too many");

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueFull);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    private static IMessageQueue<string> CreateQueue(MessageBroker broker, QueueFullMode mode)
        => broker.CreateQueue<string>("orders", o =>
        {
            o.Capacity = 2;
            o.FullMode = mode;
        });
}
