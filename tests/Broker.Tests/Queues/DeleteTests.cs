using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class DeleteTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task DeleteAsync_ReceivedMessage_ReturnsTrue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        bool deleted = await queue.DeleteAsync(received.ReceiptHandle);

        deleted.Should().BeTrue();
    }

    [Fact]
    public async Task DeleteAsync_ReceivedMessage_RemovesItFromTheCounts()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        await queue.DeleteAsync(received.ReceiptHandle);

        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeleteAsync_ReceivedMessage_IsNotRedeliveredAfterVisibilityTimeout()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.DeleteAsync(received.ReceiptHandle);

        _clock.Advance(TimeSpan.FromSeconds(30));

        (await queue.ReceiveNowAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteAsync_OneOfTwoMessages_LeavesTheOther()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(2);

        await queue.DeleteAsync(received[0].ReceiptHandle);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task DeleteAsync_Twice_ReturnsFalseTheSecondTime()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.DeleteAsync(received.ReceiptHandle);

        bool again = await queue.DeleteAsync(received.ReceiptHandle);

        again.Should().BeFalse();
    }

    [Fact]
    public async Task DeleteAsync_HandleOfEarlierReceive_ReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        await queue.ReceiveSingleAsync();

        bool deleted = await queue.DeleteAsync(first.ReceiptHandle);

        deleted.Should().BeFalse();
    }

    [Fact]
    public async Task DeleteAsync_HandleOfEarlierReceive_DoesNotDeleteTheNewerReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        ReceivedMessage<string> second = await queue.ReceiveSingleAsync();

        await queue.DeleteAsync(first.ReceiptHandle);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
        (await queue.DeleteAsync(second.ReceiptHandle)).Should().BeTrue();
    }

    [Fact]
    public async Task DeleteAsync_AfterVisibilityLapsedButBeforeReceiveAgain_DeletesTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));

        bool deleted = await queue.DeleteAsync(received.ReceiptHandle);

        deleted.Should().BeTrue();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
        (await queue.ReceiveNowAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteAsync_AfterReceiveWithZeroVisibility_DeletesTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.Zero);

        bool deleted = await queue.DeleteAsync(received.ReceiptHandle);

        deleted.Should().BeTrue();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeleteAsync_HandleFromAnotherQueue_ThrowsReceiptHandleIsInvalidAndDeletesNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        IMessageQueue<string> other = broker.CreateQueue<string>("other");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();
        await other.SendAsync("mocha");
        ReceivedMessage<string> fromOther = await other.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteAsync(fromOther.ReceiptHandle);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleIsInvalid);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
        (await other.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task DeleteAsync_HandleFromQueueOfAnotherBodyType_ThrowsReceiptHandleIsInvalid()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        IMessageQueue<CoffeeOrder> other = broker.CreateQueue<CoffeeOrder>("other");
        await other.SendAsync(new CoffeeOrder("Ana", "latte"));
        ReceivedMessage<CoffeeOrder> fromOther = await other.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteAsync(fromOther.ReceiptHandle);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleIsInvalid);
        (await other.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("0000000000000001000000010000000000000000")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public async Task DeleteAsync_GarbageHandleString_ThrowsReceiptHandleIsInvalidAndDeletesNothing(string text)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteAsync(ReceiptHandle.Parse(text));

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleIsInvalid);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task DeleteAsync_DefaultHandle_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteAsync(default);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("receiptHandle");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task DeleteAsync_HandleOlderThanTwelveHours_ThrowsReceiptHandleExpiredAndKeepsMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromHours(12) + s_tick);

        Func<Task> act = async () => await queue.DeleteAsync(received.ReceiptHandle);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleExpired);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task DeleteAsync_HandleExactlyTwelveHoursOld_DeletesTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromHours(12));
        _clock.Advance(TimeSpan.FromHours(12));

        bool deleted = await queue.DeleteAsync(received.ReceiptHandle);

        deleted.Should().BeTrue();
    }

    [Fact]
    public async Task DeleteAsync_CancelledToken_ThrowsOperationCanceledExceptionAndKeepsMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Func<Task> act = async () => await queue.DeleteAsync(received.ReceiptHandle, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }
}
