using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class DeadLetterTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task ReceiveAsync_MaxReceiveCountThree_DeliversMessageAtMostThreeTimes()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        await queue.SendAsync("latte");
        var receiveCounts = new List<int>();

        for (int i = 0; i < 5; i++)
        {
            receiveCounts.AddRange((await queue.ReceiveNowAsync()).Select(m => m.ReceiveCount));
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        receiveCounts.Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task ReceiveAsync_AfterMaxReceiveCount_MovesMessageToDeadLetterQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        await queue.SendAsync("latte");
        await ReceiveAndAbandonAsync(queue, times: 3);

        IReadOnlyList<ReceivedMessage<string>> fourth = await queue.ReceiveNowAsync();

        fourth.Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_BeforeMaxReceiveCountIsReached_LeavesMessageInSourceQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        await queue.SendAsync("latte");

        await ReceiveAndAbandonAsync(queue, times: 2);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_KeepsMessageId()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        SendResult sent = await queue.SendAsync("latte");
        await ReceiveAndAbandonAsync(queue, times: 3);
        await queue.ReceiveNowAsync();

        ReceivedMessage<string> dead = await dlq.ReceiveSingleAsync();

        dead.MessageId.Should().Be(sent.MessageId);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_KeepsOriginalSentTimestamp()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        DateTimeOffset sentAt = _clock.GetUtcNow();
        await queue.SendAsync("latte");
        await ReceiveAndAbandonAsync(queue, times: 3);
        await queue.ReceiveNowAsync();
        _clock.Advance(TimeSpan.FromMinutes(10));

        ReceivedMessage<string> dead = await dlq.ReceiveSingleAsync();

        dead.SentTimestamp.Should().Be(sentAt);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_KeepsBodyAndAttributes()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<CoffeeOrder> dlq = broker.CreateQueue<CoffeeOrder>("orders-dlq");
        IMessageQueue<CoffeeOrder> queue = broker.CreateQueue<CoffeeOrder>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        var order = new CoffeeOrder("Ana", "latte");
        var attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large", ["shots"] = MessageAttributeValue.FromNumber(2) };
        await queue.SendAsync(order, new SendOptions { Attributes = attributes });
        await ReceiveAndAbandonAsync(queue, times: 1);
        await queue.ReceiveNowAsync();

        ReceivedMessage<CoffeeOrder> dead = await dlq.ReceiveSingleAsync();

        dead.Body.Should().BeSameAs(order);
        dead.Attributes.Should().BeEquivalentTo(attributes);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_NamesTheSourceQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        await queue.SendAsync("latte");
        await ReceiveAndAbandonAsync(queue, times: 3);
        await queue.ReceiveNowAsync();

        ReceivedMessage<string> dead = await dlq.ReceiveSingleAsync();

        dead.DeadLetterSourceQueue.Should().Be("orders");
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_CarriesOnCountingReceives()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        await queue.SendAsync("latte");
        await ReceiveAndAbandonAsync(queue, times: 3);
        await queue.ReceiveNowAsync();

        ReceivedMessage<string> dead = await dlq.ReceiveSingleAsync();

        dead.ReceiveCount.Should().Be(4);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_KeepsFirstReceiveTimestamp()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await queue.ReceiveNowAsync();

        ReceivedMessage<string> dead = await dlq.ReceiveSingleAsync();

        dead.FirstReceiveTimestamp.Should().Be(first.FirstReceiveTimestamp);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_CanBeDeletedFromTheDeadLetterQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        await ReceiveAndAbandonAsync(queue, times: 1);
        await queue.ReceiveNowAsync();
        ReceivedMessage<string> dead = await dlq.ReceiveSingleAsync();

        bool deleted = await dlq.DeleteAsync(dead.ReceiptHandle);

        deleted.Should().BeTrue();
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessageAhead_ReturnsTheNextMessageInstead()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("poison");
        await ReceiveAndAbandonAsync(queue, times: 1);
        await queue.SendAsync("good");

        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync();

        received.Should().ContainSingle().Which.Body.Should().Be("good");
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_MaxReceiveCountOne_MovesMessageOnSecondReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));

        IReadOnlyList<ReceivedMessage<string>> second = await queue.ReceiveNowAsync();

        second.Should().BeEmpty();
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_ManyExhaustedMessages_MovesAllOfThem()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        for (int i = 0; i < 25; i++)
        {
            await queue.SendAsync("order " + i);
        }

        for (int i = 0; i < 3; i++)
        {
            await queue.ReceiveNowAsync(10, TimeSpan.Zero);
        }

        IReadOnlyList<ReceivedMessage<string>> afterLimit = await queue.ReceiveNowAsync(10);

        afterLimit.Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(25, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_LongPollWhenExhaustedMessageReappears_MovesItAndKeepsWaiting()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.FromSeconds(10));
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.HoldsAsync(async () => (await dlq.CountsAsync()).Visible == 1, "the message is dead-lettered");
        bool returnedEarly = pending.IsCompleted;
        _clock.Advance(TimeSpan.FromSeconds(10));

        returnedEarly.Should().BeFalse();
        (await pending.Bounded()).Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeleteAsync_BeforeMaxReceiveCount_MessageIsNeverDeadLettered()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        await queue.DeleteAsync(received.ReceiptHandle);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await queue.ReceiveNowAsync();

        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_RetentionCountsFromTheOriginalSend()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq", o => o.MessageRetentionPeriod = TimeSpan.FromMinutes(2));
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        await queue.ReceiveNowAsync();
        QueueCounts afterMove = await dlq.CountsAsync();

        _clock.Advance(TimeSpan.FromMinutes(1));

        afterMove.Should().Be(new QueueCounts(1, 0, 0));
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeadLetteredMessage_OlderThanDeadLetterRetention_ExpiresAtOnce()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq", o => o.MessageRetentionPeriod = TimeSpan.FromMinutes(1));
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(5));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await queue.ReceiveNowAsync();

        _clock.Advance(TimeSpan.FromTicks(1));

        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteringIntoFullDeadLetterQueue_StillMovesTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq", o =>
        {
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
        });
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");
        await queue.ReceiveNowAsync(10, TimeSpan.Zero);

        await queue.ReceiveNowAsync(10);

        (await dlq.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task ReceiveAsync_DeadLettering_FreesSourceQueueCapacity()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o =>
        {
            o.DeadLetter("orders-dlq", maxReceiveCount: 1);
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
        });
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync(TimeSpan.Zero);
        await queue.ReceiveNowAsync();

        await queue.SendAsync("mocha");

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public void CreateQueue_DeadLetterQueueDoesNotExist_ThrowsQueueDoesNotExistAndCreatesNothing()
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.CreateQueue<string>("orders", o => o.DeadLetter("missing", maxReceiveCount: 3));

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
        broker.ListQueues().Should().BeEmpty();
    }

    [Fact]
    public void CreateQueue_DeadLetterQueueOfAnotherBodyType_ThrowsQueueTypeMismatchAndCreatesNothing()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<CoffeeOrder>("orders-dlq");

        Action act = () => broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueTypeMismatch);
        broker.ListQueues().Select(q => q.Name).Should().Equal("orders-dlq");
    }

    [Fact]
    public void CreateQueue_OwnDeadLetterQueue_ThrowsArgumentExceptionAndCreatesNothing()
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.CreateQueue<string>("orders", o => o.DeadLetter("orders", maxReceiveCount: 3));

        act.Should().Throw<ArgumentException>();
        broker.ListQueues().Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    [InlineData(-1)]
    public void CreateQueue_MaxReceiveCountOutOfRange_ThrowsArgumentExceptionNamingTheRange(int maxReceiveCount)
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");

        Action act = () => broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount));

        act.Should().Throw<ArgumentException>()
            .WithParameterName("configure")
            .WithMessage("*MaxReceiveCount*between 1 and 1000*");
        broker.ListQueues().Select(q => q.Name).Should().Equal("orders-dlq");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void CreateQueue_MaxReceiveCountAtTheLimits_IsAccepted(int maxReceiveCount)
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");

        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount));

        queue.Name.Should().Be("orders");
    }

    [Fact]
    public void DeadLetter_WithoutMaxReceiveCount_DefaultsToTen()
    {
        var options = new QueueOptions();

        options.DeadLetter("orders-dlq");

        options.RedrivePolicy!.MaxReceiveCount.Should().Be(10);
        options.RedrivePolicy.DeadLetterQueueName.Should().Be("orders-dlq");
    }

    [Fact]
    public async Task DeleteQueue_DeadLetterTarget_ThrowsQueueInUseAndKeepsTheQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));

        Action act = () => broker.DeleteQueue("orders-dlq");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueInUse);
        broker.TryGetQueue<string>("orders-dlq", out _).Should().BeTrue();
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public void DeleteQueue_DeadLetterQueueAfterItsSourceWasDeleted_Succeeds()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");
        broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        broker.DeleteQueue("orders");

        bool deleted = broker.DeleteQueue("orders-dlq");

        deleted.Should().BeTrue();
        broker.ListQueues().Should().BeEmpty();
    }

    [Fact]
    public void DeleteQueue_DeadLetterQueueWithOneOfTwoSourcesLeft_ThrowsQueueInUse()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");
        broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        broker.CreateQueue<string>("refunds", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));
        broker.DeleteQueue("orders");

        Action act = () => broker.DeleteQueue("orders-dlq");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueInUse);
    }

    [Fact]
    public void CreateQueue_SameDeadLetterSettingsAgain_ReturnsTheSameQueue()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> first = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));

        IMessageQueue<string> second = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void CreateQueue_SameNameWithOtherMaxReceiveCount_ThrowsQueueNameExists()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");
        broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3));

        Action act = () => broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 4));

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueNameExists);
    }

    private static async Task ReceiveAndAbandonAsync<T>(IMessageQueue<T> queue, int times)
    {
        for (int i = 0; i < times; i++)
        {
            await queue.ReceiveSingleAsync(TimeSpan.Zero);
        }
    }
}
