using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class PurgeTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task PurgeAsync_VisibleInFlightAndDelayedMessages_RemovesAllAndReturnsTheCount()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("in flight");
        await queue.ReceiveSingleAsync();
        await queue.SendAsync("visible");
        await queue.SendAsync("delayed", new SendOptions { Delay = TimeSpan.FromMinutes(1) });
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 1, 1));

        long purged = await queue.PurgeAsync();

        purged.Should().Be(3);
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task PurgeAsync_EmptyQueue_ReturnsZero()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        long purged = await queue.PurgeAsync();

        purged.Should().Be(0);
    }

    [Fact]
    public async Task PurgeAsync_AfterDeletes_CountsOnlyRemainingMessages()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");
        await queue.DeleteAsync((await queue.ReceiveSingleAsync()).ReceiptHandle);

        long purged = await queue.PurgeAsync();

        purged.Should().Be(1);
    }

    [Fact]
    public async Task PurgeAsync_VisibleMessages_AreNotReceivedAfterwards()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");

        await queue.PurgeAsync();

        (await queue.ReceiveNowAsync(10)).Should().BeEmpty();
    }

    [Fact]
    public async Task PurgeAsync_InFlightMessage_IsNotRedeliveredAfterItsVisibilityTimeout()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();
        await queue.PurgeAsync();

        _clock.Advance(TimeSpan.FromSeconds(30));

        (await queue.ReceiveNowAsync()).Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task PurgeAsync_DelayedMessage_IsNotDeliveredAfterItsDelay()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromMinutes(1) });
        await queue.PurgeAsync();

        _clock.Advance(TimeSpan.FromMinutes(1));

        (await queue.ReceiveNowAsync()).Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task PurgeAsync_InFlightMessage_DeleteWithItsHandleReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.PurgeAsync();

        bool deleted = await queue.DeleteAsync(received.ReceiptHandle);

        deleted.Should().BeFalse();
    }

    [Fact]
    public async Task PurgeAsync_InFlightMessage_DeleteWithParsedHandleReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        string text = (await queue.ReceiveSingleAsync()).ReceiptHandle.ToString();
        await queue.PurgeAsync();

        bool deleted = await queue.DeleteAsync(ReceiptHandle.Parse(text));

        deleted.Should().BeFalse();
    }

    [Fact]
    public async Task PurgeAsync_InFlightMessage_ChangeVisibilityThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.PurgeAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task PurgeAsync_ThenSend_NewMessageIsReceived()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("old");
        await queue.PurgeAsync();

        await queue.SendAsync("new");

        (await queue.ReceiveNowAsync(10)).Should().ContainSingle().Which.Body.Should().Be("new");
    }

    [Fact]
    public async Task PurgeAsync_ThenSendDelayed_NewMessageBecomesVisibleAfterItsDelay()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("old", new SendOptions { Delay = TimeSpan.FromMinutes(5) });
        await queue.PurgeAsync();
        await queue.SendAsync("new", new SendOptions { Delay = TimeSpan.FromMinutes(10) });

        _clock.Advance(TimeSpan.FromMinutes(10));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task PurgeAsync_ThenReceiveNewMessage_RedeliversItAfterItsVisibilityTimeout()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("old");
        await queue.ReceiveSingleAsync(TimeSpan.FromSeconds(10));
        await queue.PurgeAsync();
        await queue.SendAsync("new");
        await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(1));

        _clock.Advance(TimeSpan.FromMinutes(1));

        (await queue.ReceiveSingleAsync()).ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task PurgeAsync_ThenSend_NewMessageStillExpiresByRetention()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = TimeSpan.FromMinutes(1));
        await queue.SendAsync("old");
        await queue.PurgeAsync();
        await queue.SendAsync("new");

        _clock.Advance(TimeSpan.FromMinutes(1));

        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task PurgeAsync_Twice_SecondReturnsZero()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.PurgeAsync();

        long second = await queue.PurgeAsync();

        second.Should().Be(0);
    }

    [Fact]
    public async Task PurgeAsync_CancelledToken_ThrowsOperationCanceledExceptionAndKeepsMessages()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Func<Task> act = async () => await queue.PurgeAsync(cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task PurgeAsync_QueueAtCapacity_FreesRoomForNewSends()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o =>
        {
            o.Capacity = 2;
            o.FullMode = QueueFullMode.Fail;
        });
        await queue.SendAsync("a");
        await queue.SendAsync("b");
        await queue.PurgeAsync();

        await queue.SendAsync("c");
        await queue.SendAsync("d");

        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }
}
