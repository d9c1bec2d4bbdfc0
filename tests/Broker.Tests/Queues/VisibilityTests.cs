using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class VisibilityTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task ReceiveAsync_DefaultVisibilityTimeout_HidesMessageForJustUnderThirtySeconds()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();

        _clock.Advance(TimeSpan.FromSeconds(30) - s_tick);

        (await queue.ReceiveNowAsync()).Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ReceiveAsync_DefaultVisibilityTimeoutElapsed_RedeliversMessageWithReceiveCountTwo()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();

        _clock.Advance(TimeSpan.FromSeconds(30));
        ReceivedMessage<string> again = await queue.ReceiveSingleAsync();

        again.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ReceiveAsync_VisibilityTimeoutElapsed_CountsMessageAsVisible()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();

        _clock.Advance(TimeSpan.FromSeconds(30));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_QueueVisibilityTimeout_HidesMessageForThatLong()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(10));
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();

        _clock.Advance(TimeSpan.FromSeconds(10) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_VisibilityTimeoutOverride_HidesMessageForTheOverrideInsteadOfQueueDefault()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(5));

        _clock.Advance(TimeSpan.FromMinutes(5) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_RepeatedVisibilityLapses_IncrementReceiveCountEachTime()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        var counts = new List<int>();

        for (int i = 0; i < 4; i++)
        {
            counts.Add((await queue.ReceiveSingleAsync()).ReceiveCount);
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        counts.Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task ReceiveAsync_ZeroVisibilityTimeout_LeavesMessageVisibleAtOnce()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        await queue.ReceiveSingleAsync(TimeSpan.Zero);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await queue.ReceiveSingleAsync()).ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ReceiveAsync_ZeroVisibilityTimeout_DoesNotReturnMessageTwiceInOneBatch()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");

        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(10, TimeSpan.Zero);

        received.Select(m => m.Body).Should().BeEquivalentTo("latte", "mocha");
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Extension_CountsFromTheTimeOfTheCall()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromSeconds(20));

        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(30) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_ShorterTimeout_MakesMessageVisibleEarlier()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(10));

        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromSeconds(5));
        _clock.Advance(TimeSpan.FromSeconds(5));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Zero_MakesMessageVisibleAtOnce()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await queue.ReceiveSingleAsync()).ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Zero_WakesPendingLongPoll()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);

        (await pending.Bounded()).Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_AfterExtension_OldTimeoutNoLongerApplies()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromMinutes(2));

        _clock.Advance(TimeSpan.FromSeconds(30));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_UpToTwelveHoursAfterReceive_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromHours(2));
        _clock.Advance(TimeSpan.FromHours(1));

        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromHours(11));
        _clock.Advance(TimeSpan.FromHours(11) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_TwelveHoursRightAfterReceive_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromHours(12));
        _clock.Advance(TimeSpan.FromHours(12) - s_tick);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_PastTwelveHoursAfterReceive_ThrowsArgumentOutOfRangeException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromHours(2));
        _clock.Advance(TimeSpan.FromHours(1));

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromHours(11) + s_tick);

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("visibilityTimeout");
    }

    [Fact]
    public async Task ChangeVisibilityAsync_RejectedForTwelveHourCap_KeepsTheCurrentTimeout()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromHours(2));
        _clock.Advance(TimeSpan.FromHours(1));
        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromHours(11) + s_tick);
        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();

        QueueCounts afterRejection = await queue.CountsAsync();
        _clock.Advance(TimeSpan.FromHours(1));

        afterRejection.Should().Be(new QueueCounts(0, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_RepeatedExtensions_DoNotResetTheTwelveHourCap()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromHours(7));
        _clock.Advance(TimeSpan.FromHours(6));
        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromHours(6));
        _clock.Advance(TimeSpan.FromHours(5));

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromHours(1) + s_tick);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(12 * TimeSpan.TicksPerHour + 1)]
    public async Task ChangeVisibilityAsync_TimeoutOutOfRange_ThrowsArgumentOutOfRangeExceptionAndKeepsMessageHidden(long ticks)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromTicks(ticks));

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("visibilityTimeout");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_HandleOfEarlierReceive_ThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);
        await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.Zero);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_HandleOfEarlierReceive_LeavesNewerReceiveHidden()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);
        await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.Zero);

        await act.Should().ThrowAsync<BrokerException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_AfterVisibilityLapsed_ThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromSeconds(30));

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_AfterDelete_ThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.DeleteAsync(received.ReceiptHandle);

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_AfterChangeToZero_ThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromSeconds(30));

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_DefaultHandle_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(default, TimeSpan.Zero);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("receiptHandle");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_HandleFromAnotherQueue_ThrowsReceiptHandleIsInvalid()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        IMessageQueue<string> other = broker.CreateQueue<string>("other");
        await other.SendAsync("latte");
        ReceivedMessage<string> received = await other.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleIsInvalid);
        (await other.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_CancelledToken_ThrowsOperationCanceledExceptionAndKeepsTimeout()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ReceiveAsync_AfterChangedVisibilityLapses_UsesQueueDefaultForTheNextReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromHours(2));
        _clock.Advance(TimeSpan.FromHours(2));
        await queue.ReceiveSingleAsync();

        _clock.Advance(TimeSpan.FromSeconds(30));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityAsync_OnNewerReceive_StartsTwelveHourCapFromThatReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.FromHours(10));
        _clock.Advance(TimeSpan.FromHours(10));
        ReceivedMessage<string> second = await queue.ReceiveSingleAsync();

        await queue.ChangeVisibilityAsync(second.ReceiptHandle, TimeSpan.FromHours(12));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }
}
