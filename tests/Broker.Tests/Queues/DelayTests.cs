using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class DelayTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task SendAsync_DelayQueue_CountsMessageAsDelayed()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromSeconds(10));

        await queue.SendAsync("latte");

        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 1));
    }

    [Fact]
    public async Task ReceiveAsync_DuringQueueDeliveryDelay_ReturnsNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromSeconds(10));
        await queue.SendAsync("latte");

        _clock.Advance(TimeSpan.FromSeconds(10) - s_tick);

        (await queue.ReceiveNowAsync()).Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 1));
    }

    [Fact]
    public async Task ReceiveAsync_AfterQueueDeliveryDelay_ReturnsMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromSeconds(10));
        await queue.SendAsync("latte");

        _clock.Advance(TimeSpan.FromSeconds(10));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await queue.ReceiveSingleAsync()).Body.Should().Be("latte");
    }

    [Fact]
    public async Task SendAsync_PerMessageDelay_DelaysMessageOnQueueWithoutDelay()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromSeconds(5) });

        _clock.Advance(TimeSpan.FromSeconds(5) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 0, 1));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_PerMessageDelayOfZeroOnDelayQueue_MakesMessageVisibleAtOnce()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromMinutes(1));

        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.Zero });

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_PerMessageDelayShorterThanQueueDelay_OverridesQueueDelay()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromMinutes(1));
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromSeconds(5) });

        _clock.Advance(TimeSpan.FromSeconds(5));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_PerMessageDelayLongerThanQueueDelay_OverridesQueueDelay()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromSeconds(5));
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromMinutes(2) });

        _clock.Advance(TimeSpan.FromMinutes(2) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 0, 1));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendAsync_OptionsWithoutDelay_UsesQueueDelay()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromSeconds(10));

        await queue.SendAsync("latte", new SendOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["a"] = "b" } });

        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 1));
    }

    [Fact]
    public async Task SendAsync_PerMessageDelayOfFifteenMinutes_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromMinutes(15) });

        _clock.Advance(TimeSpan.FromMinutes(15) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 0, 1));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Theory]
    [InlineData(15 * TimeSpan.TicksPerMinute + 1)]
    [InlineData(-1)]
    public async Task SendAsync_PerMessageDelayOutOfRange_ThrowsArgumentOutOfRangeExceptionAndStoresNothing(long ticks)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromTicks(ticks) });

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("options.Delay");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_EntryWithoutDelay_UsesQueueDelay()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromSeconds(10));

        await queue.SendBatchAsync([new SendBatchEntry<string>("a", "latte"), new SendBatchEntry<string>("b", "mocha") { Delay = TimeSpan.Zero }]);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 1));
    }

    [Fact]
    public async Task ReceiveAsync_AfterDelay_VisibilityTimeoutStartsAtTheReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromMinutes(1));
        await queue.SendAsync("latte");
        _clock.Advance(TimeSpan.FromMinutes(2));
        await queue.ReceiveSingleAsync();

        _clock.Advance(TimeSpan.FromSeconds(30) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_DelayedMessage_HasSentTimestampOfTheSendNotOfTheDelayEnd()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeliveryDelay = TimeSpan.FromMinutes(1));
        DateTimeOffset sentAt = _clock.GetUtcNow();
        await queue.SendAsync("latte");
        _clock.Advance(TimeSpan.FromMinutes(1));

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.SentTimestamp.Should().Be(sentAt);
    }

    [Fact]
    public async Task SendAsync_MessagesWithDifferentDelays_BecomeVisibleInDueOrder()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("late", new SendOptions { Delay = TimeSpan.FromSeconds(20) });
        await queue.SendAsync("early", new SendOptions { Delay = TimeSpan.FromSeconds(10) });

        _clock.Advance(TimeSpan.FromSeconds(10));
        IReadOnlyList<ReceivedMessage<string>> first = await queue.ReceiveNowAsync(10);
        _clock.Advance(TimeSpan.FromSeconds(10));
        IReadOnlyList<ReceivedMessage<string>> second = await queue.ReceiveNowAsync(10);

        first.Should().ContainSingle().Which.Body.Should().Be("early");
        second.Should().ContainSingle().Which.Body.Should().Be("late");
    }
}
