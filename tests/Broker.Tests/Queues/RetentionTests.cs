using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class RetentionTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan s_oneMinute = TimeSpan.FromMinutes(1);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task MessageRetentionPeriod_VisibleMessageJustBeforePeriodEnds_IsStillThere()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte");

        _clock.Advance(s_oneMinute - s_tick);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task MessageRetentionPeriod_VisibleMessageWhenPeriodEnds_IsDeleted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte");

        _clock.Advance(s_oneMinute);

        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
        (await queue.ReceiveNowAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task MessageRetentionPeriod_InFlightMessageWhenPeriodEnds_IsDeleted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(5));

        _clock.Advance(s_oneMinute);
        QueueCounts afterRetention = await queue.CountsAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        afterRetention.Should().Be(QueueCounts.Empty);
        (await queue.ReceiveNowAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task MessageRetentionPeriod_DelayedMessageWhenPeriodEnds_IsDeleted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromMinutes(5) });

        _clock.Advance(s_oneMinute);
        QueueCounts afterRetention = await queue.CountsAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        afterRetention.Should().Be(QueueCounts.Empty);
        (await queue.ReceiveNowAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task MessageRetentionPeriod_ExpiredInFlightMessage_DeleteWithItsHandleReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(5));
        _clock.Advance(s_oneMinute);

        bool deleted = await queue.DeleteAsync(received.ReceiptHandle);

        deleted.Should().BeFalse();
    }

    [Fact]
    public async Task MessageRetentionPeriod_ExpiredInFlightMessage_DeleteWithParsedHandleReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(5));
        string text = received.ReceiptHandle.ToString();
        _clock.Advance(s_oneMinute);

        bool deleted = await queue.DeleteAsync(ReceiptHandle.Parse(text));

        deleted.Should().BeFalse();
    }

    [Fact]
    public async Task MessageRetentionPeriod_ExpiredInFlightMessage_ChangeVisibilityThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(5));
        _clock.Advance(s_oneMinute);

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.Zero);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task MessageRetentionPeriod_MessageReceivedLate_ExpiresCountingFromItsSend()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte");
        _clock.Advance(TimeSpan.FromSeconds(40));
        await queue.ReceiveSingleAsync(TimeSpan.Zero);

        _clock.Advance(TimeSpan.FromSeconds(20));

        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task MessageRetentionPeriod_MessagesSentAtDifferentTimes_ExpireOneByOne()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("first");
        _clock.Advance(TimeSpan.FromSeconds(30));
        await queue.SendAsync("second");

        _clock.Advance(TimeSpan.FromSeconds(30));

        (await queue.ReceiveNowAsync(10)).Should().ContainSingle().Which.Body.Should().Be("second");
    }

    [Fact]
    public async Task MessageRetentionPeriod_DefaultPeriod_KeepsMessageForFourDays()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        _clock.Advance(TimeSpan.FromDays(4) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(1, 0, 0));
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task MessageRetentionPeriod_FourteenDays_KeepsMessageForFourteenDays()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = TimeSpan.FromDays(14));
        await queue.SendAsync("latte");

        _clock.Advance(TimeSpan.FromDays(14) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(1, 0, 0));
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task MessageRetentionPeriod_ExpiredMessage_DoesNotWakeLongPoll()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.MessageRetentionPeriod = s_oneMinute);
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromMinutes(2) });
        _clock.Advance(TimeSpan.FromSeconds(50));
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(20));
        IReadOnlyList<ReceivedMessage<string>> received = await pending.Bounded();

        received.Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }
}
