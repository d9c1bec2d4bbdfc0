using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class ReceiveTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task ReceiveAsync_EmptyQueue_ReturnsEmpty()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveAsync();

        received.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(-1)]
    public async Task ReceiveAsync_MaxMessagesOutOfRange_ThrowsArgumentOutOfRangeExceptionAndLeavesMessageVisible(int count)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        Func<Task> act = async () => await queue.ReceiveAsync(count);

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("maxMessages");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_DefaultMaxMessages_ReturnsOneMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");

        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveAsync();

        received.Should().ContainSingle();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 1, 0));
    }

    [Fact]
    public async Task ReceiveAsync_MaxMessagesTen_ReturnsTenOfTwelve()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        for (int i = 0; i < 12; i++)
        {
            await queue.SendAsync("order " + i);
        }

        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveAsync(10);

        received.Should().HaveCount(10);
        received.Select(m => m.MessageId).Should().OnlyHaveUniqueItems();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 10, 0));
    }

    [Fact]
    public async Task ReceiveAsync_FewerVisibleThanMax_ReturnsAllVisible()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");
        await queue.SendAsync("flat white");

        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveAsync(10);

        received.Select(m => m.Body).Should().BeEquivalentTo("latte", "mocha", "flat white");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20 * TimeSpan.TicksPerSecond + 1)]
    public async Task ReceiveAsync_WaitTimeOutOfRange_ThrowsArgumentOutOfRangeExceptionAndLeavesMessageVisible(long ticks)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        Func<Task> act = async () => await queue.ReceiveAsync(1, TimeSpan.FromTicks(ticks));

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("waitTime");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(12 * TimeSpan.TicksPerHour + 1)]
    public async Task ReceiveAsync_VisibilityTimeoutOutOfRange_ThrowsArgumentOutOfRangeExceptionAndLeavesMessageVisible(long ticks)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        Func<Task> act = async () => await queue.ReceiveAsync(1, TimeSpan.Zero, TimeSpan.FromTicks(ticks));

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("visibilityTimeout");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_VisibilityTimeoutOfTwelveHours_HidesMessageForTwelveHours()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.FromHours(12));

        _clock.Advance(TimeSpan.FromHours(12) - s_tick);
        QueueCounts before = await queue.CountsAsync();
        _clock.Advance(s_tick);

        before.Should().Be(new QueueCounts(0, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_LongPoll_ReturnsAsSoonAsMessageArrives()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(10, TimeSpan.FromSeconds(20)).AsTask();
        pending.IsCompleted.Should().BeFalse();

        await queue.SendAsync("latte");
        IReadOnlyList<ReceivedMessage<string>> received = await pending.Bounded();

        received.Should().ContainSingle().Which.Body.Should().Be("latte");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ReceiveAsync_LongPollWithVisibleMessages_ReturnsThemAtOnce()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");

        ValueTask<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(10, TimeSpan.FromSeconds(20));

        pending.IsCompleted.Should().BeTrue();
        (await pending).Should().HaveCount(2);
    }

    [Fact]
    public async Task ReceiveAsync_LongPollWithoutMessage_IsPendingUntilWaitTimeElapses()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(20) - s_tick);

        pending.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task ReceiveAsync_LongPollWithoutMessage_ReturnsEmptyOnceWaitTimeElapses()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(20));
        IReadOnlyList<ReceivedMessage<string>> received = await pending.Bounded();

        received.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_LongPollWithCancellableToken_ReturnsEmptyOnceWaitTimeElapses()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        using var cancellation = new CancellationTokenSource();
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: cancellation.Token).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(20) - s_tick);
        bool completedEarly = pending.IsCompleted;
        _clock.Advance(s_tick);
        IReadOnlyList<ReceivedMessage<string>> received = await pending.Bounded();

        completedEarly.Should().BeFalse();
        received.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_NullWaitTime_UsesQueueReceiveWaitTime()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.ReceiveWaitTime = TimeSpan.FromSeconds(10));
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync().AsTask();

        _clock.Advance(TimeSpan.FromSeconds(10) - s_tick);
        bool completedEarly = pending.IsCompleted;
        _clock.Advance(s_tick);
        IReadOnlyList<ReceivedMessage<string>> received = await pending.Bounded();

        completedEarly.Should().BeFalse();
        received.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_ZeroWaitTimeOnLongPollingQueue_ReturnsAtOnce()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.ReceiveWaitTime = TimeSpan.FromSeconds(20));

        ValueTask<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.Zero);

        pending.IsCompleted.Should().BeTrue();
        (await pending).Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_LongPoll_ReturnsWhenDelayedMessageBecomesVisible()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte", new SendOptions { Delay = TimeSpan.FromSeconds(5) });
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(5));
        IReadOnlyList<ReceivedMessage<string>> received = await pending.Bounded();

        received.Should().ContainSingle().Which.Body.Should().Be("latte");
    }

    [Fact]
    public async Task ReceiveAsync_LongPoll_ReturnsWhenInFlightMessageBecomesVisibleAgain()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.FromSeconds(5));
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(5));
        IReadOnlyList<ReceivedMessage<string>> received = await pending.Bounded();

        received.Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ReceiveAsync_TwoLongPollsAndOneMessage_OnlyOneGetsItAndTheOtherKeepsWaiting()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> first = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();
        Task<IReadOnlyList<ReceivedMessage<string>>> second = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        await queue.SendAsync("latte");
        Task<IReadOnlyList<ReceivedMessage<string>>> winner = await Task.WhenAny(first, second).Bounded();
        Task<IReadOnlyList<ReceivedMessage<string>>> loser = winner == first ? second : first;
        bool loserDoneBeforeTimeout = loser.IsCompleted;
        _clock.Advance(TimeSpan.FromSeconds(20));

        (await winner).Should().ContainSingle().Which.Body.Should().Be("latte");
        loserDoneBeforeTimeout.Should().BeFalse();
        (await loser.Bounded()).Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_TwoLongPollsAndTwoMessages_EachGetsOne()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> first = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();
        Task<IReadOnlyList<ReceivedMessage<string>>> second = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");
        IReadOnlyList<ReceivedMessage<string>>[] results = await Task.WhenAll(first, second).Bounded();

        results.SelectMany(r => r).Select(m => m.Body).Should().BeEquivalentTo("latte", "mocha");
    }

    [Fact]
    public async Task ReceiveAsync_CancelledDuringLongPoll_ThrowsOperationCanceledException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        using var cancellation = new CancellationTokenSource();
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: cancellation.Token).AsTask();

        cancellation.Cancel();
        Func<Task> act = () => pending.Bounded();

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ReceiveAsync_CancelledLongPoll_DoesNotTakeALaterMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        using var cancellation = new CancellationTokenSource();
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: cancellation.Token).AsTask();
        cancellation.Cancel();
        await pending.ContinueWith(static _ => { }, TaskScheduler.Default).Bounded();

        await queue.SendAsync("latte");

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_AlreadyCancelledToken_ThrowsOperationCanceledExceptionAndLeavesMessageVisible()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Func<Task> act = async () => await queue.ReceiveAsync(cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_ReceivedMessage_HasMessageIdFromSend()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        SendResult sent = await queue.SendAsync("latte");

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.MessageId.Should().Be(sent.MessageId);
    }

    [Fact]
    public async Task ReceiveAsync_ReceivedMessage_HasTheSentBodyInstance()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<CoffeeOrder> queue = broker.CreateQueue<CoffeeOrder>("orders");
        var order = new CoffeeOrder("Ana", "flat white");
        await queue.SendAsync(order);

        ReceivedMessage<CoffeeOrder> received = await queue.ReceiveSingleAsync();

        received.Body.Should().BeSameAs(order);
    }

    [Fact]
    public async Task ReceiveAsync_MessageSentWithoutAttributes_HasEmptyAttributes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.Attributes.Should().NotBeNull().And.BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_ReceivedMessage_HasNonEmptyReceiptHandle()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.ReceiptHandle.IsEmpty.Should().BeFalse();
    }

    [Fact]
    public async Task ReceiveAsync_FirstReceive_HasReceiveCountOne()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.ReceiveCount.Should().Be(1);
    }

    [Fact]
    public async Task ReceiveAsync_DirectlySentMessage_HasNoDeadLetterSourceQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.DeadLetterSourceQueue.Should().BeNull();
    }

    [Fact]
    public async Task ReceiveAsync_ReceivedMessage_HasSentTimestampOfSend()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        DateTimeOffset sentAt = _clock.GetUtcNow();
        await queue.SendAsync("latte");
        _clock.Advance(TimeSpan.FromMinutes(3));

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.SentTimestamp.Should().Be(sentAt);
    }

    [Fact]
    public async Task ReceiveAsync_FirstReceive_HasFirstReceiveTimestampOfThatReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        _clock.Advance(TimeSpan.FromMinutes(3));
        DateTimeOffset receivedAt = _clock.GetUtcNow();

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        received.FirstReceiveTimestamp.Should().Be(receivedAt);
    }

    [Fact]
    public async Task ReceiveAsync_Redelivery_KeepsFirstReceiveTimestampAndSentTimestamp()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        _clock.Advance(TimeSpan.FromMinutes(1));
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        ReceivedMessage<string> second = await queue.ReceiveSingleAsync();

        second.FirstReceiveTimestamp.Should().Be(first.FirstReceiveTimestamp);
        second.SentTimestamp.Should().Be(first.SentTimestamp);
    }

    [Fact]
    public async Task ReceiveAsync_Redelivery_IssuesNewReceiptHandle()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);

        ReceivedMessage<string> second = await queue.ReceiveSingleAsync();

        second.ReceiptHandle.Should().NotBe(first.ReceiptHandle);
        second.ReceiptHandle.ToString().Should().NotBe(first.ReceiptHandle.ToString());
    }

    [Fact]
    public async Task ReceiveAsync_Redelivery_KeepsMessageIdBodyAndAttributes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" };
        SendResult sent = await queue.SendAsync("latte", new SendOptions { Attributes = attributes });
        await queue.ReceiveSingleAsync(TimeSpan.Zero);

        ReceivedMessage<string> again = await queue.ReceiveSingleAsync();

        again.MessageId.Should().Be(sent.MessageId);
        again.Body.Should().Be("latte");
        again.Attributes.Should().BeEquivalentTo(attributes);
    }
}
