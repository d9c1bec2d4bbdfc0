using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class MessageMoveTaskTests
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task StartMessageMoveTask_WithoutDestination_MovesMessagesBackToTheirSourceQueue()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha");

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq");
        await task.Completion.Bounded();

        (await source.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
        (await source.ReceiveNowAsync(10)).Select(m => m.Body).Should().BeEquivalentTo("latte", "mocha");
    }

    [Fact]
    public async Task StartMessageMoveTask_AllMessagesMoved_CompletesWithFullProgress()
    {
        using var broker = new MessageBroker(_clock);
        await CreateWithDeadLettersAsync(broker, "latte", "mocha", "flat white");

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq");
        await task.Completion.Bounded();

        task.Status.Should().Be(MessageMoveStatus.Completed);
        task.MessagesToMove.Should().Be(3);
        task.MessagesMoved.Should().Be(3);
        task.FailureReason.Should().BeNull();
    }

    [Fact]
    public async Task StartMessageMoveTask_MessagesFromTwoSources_GoBackToEachSource()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("shared-dlq");
        IMessageQueue<string> orders = broker.CreateQueue<string>("orders", o => o.DeadLetter("shared-dlq", maxReceiveCount: 1));
        IMessageQueue<string> refunds = broker.CreateQueue<string>("refunds", o => o.DeadLetter("shared-dlq", maxReceiveCount: 1));
        await DeadLetterAsync(orders, "latte");
        await DeadLetterAsync(refunds, "refund");

        await broker.StartMessageMoveTask("shared-dlq").Completion.Bounded();

        (await orders.ReceiveSingleAsync()).Body.Should().Be("latte");
        (await refunds.ReceiveSingleAsync()).Body.Should().Be("refund");
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task StartMessageMoveTask_WithDestination_MovesMessagesToThatQueue()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha");
        IMessageQueue<string> review = broker.CreateQueue<string>("review");

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", "review");
        await task.Completion.Bounded();

        (await review.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
        (await source.CountsAsync()).Should().Be(QueueCounts.Empty);
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task StartMessageMoveTask_FromOrdinaryQueueWithDestination_MovesMessages()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> plain = broker.CreateQueue<string>("plain");
        IMessageQueue<string> other = broker.CreateQueue<string>("other");
        await plain.SendAsync("latte");

        await broker.StartMessageMoveTask("plain", "other").Completion.Bounded();

        (await other.ReceiveSingleAsync()).Body.Should().Be("latte");
        (await plain.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task StartMessageMoveTask_MovedMessage_GetsNewMessageId()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte");
        MessageId deadLetteredId = (await dlq.ReceiveSingleAsync(TimeSpan.Zero)).MessageId;

        await broker.StartMessageMoveTask("orders-dlq").Completion.Bounded();

        (await source.ReceiveSingleAsync()).MessageId.Should().NotBe(deadLetteredId);
    }

    [Fact]
    public async Task StartMessageMoveTask_MovedMessage_RestartsReceiveCount()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, _) = await CreateWithDeadLettersAsync(broker, "latte");

        await broker.StartMessageMoveTask("orders-dlq").Completion.Bounded();

        (await source.ReceiveSingleAsync()).ReceiveCount.Should().Be(1);
    }

    [Fact]
    public async Task StartMessageMoveTask_MovedMessage_KeepsBodyAndAttributes()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<CoffeeOrder>("orders-dlq");
        IMessageQueue<CoffeeOrder> source = broker.CreateQueue<CoffeeOrder>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        var order = new CoffeeOrder("Ana", "latte");
        var attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" };
        await source.SendAsync(order, new SendOptions { Attributes = attributes });
        await source.ReceiveSingleAsync(TimeSpan.Zero);
        await source.ReceiveNowAsync();

        await broker.StartMessageMoveTask("orders-dlq").Completion.Bounded();
        ReceivedMessage<CoffeeOrder> moved = await source.ReceiveSingleAsync();

        moved.Body.Should().BeSameAs(order);
        moved.Attributes.Should().BeEquivalentTo(attributes);
    }

    [Fact]
    public async Task StartMessageMoveTask_MovedMessage_HasSentTimestampOfTheMoveAndNoDeadLetterSource()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, _) = await CreateWithDeadLettersAsync(broker, "latte");
        _clock.Advance(TimeSpan.FromMinutes(3));
        DateTimeOffset movedAt = _clock.GetUtcNow();

        await broker.StartMessageMoveTask("orders-dlq").Completion.Bounded();
        ReceivedMessage<string> moved = await source.ReceiveSingleAsync();

        moved.SentTimestamp.Should().Be(movedAt);
        moved.DeadLetterSourceQueue.Should().BeNull();
    }

    [Fact]
    public async Task StartMessageMoveTask_WithAllArguments_ReportsItsSettings()
    {
        using var broker = new MessageBroker(_clock);
        await CreateWithDeadLettersAsync(broker, "latte");
        broker.CreateQueue<string>("review");
        DateTimeOffset startedAt = _clock.GetUtcNow();

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", "review", maxMessagesPerSecond: 500);
        await task.Completion.Bounded();

        task.SourceQueueName.Should().Be("orders-dlq");
        task.DestinationQueueName.Should().Be("review");
        task.MaxMessagesPerSecond.Should().Be(500);
        task.StartedTimestamp.Should().Be(startedAt);
    }

    [Fact]
    public async Task StartMessageMoveTask_EmptyDeadLetterQueue_CompletesWithNothingToMove()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-dlq");
        broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq");
        await task.Completion.Bounded();

        task.Status.Should().Be(MessageMoveStatus.Completed);
        task.MessagesToMove.Should().Be(0);
        task.MessagesMoved.Should().Be(0);
    }

    [Fact]
    public async Task StartMessageMoveTask_InFlightDeadLetters_MovesOnlyTheVisibleOnes()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha", "flat white");
        await dlq.ReceiveSingleAsync();

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq");
        await task.Completion.Bounded();

        task.MessagesToMove.Should().Be(2);
        task.MessagesMoved.Should().Be(2);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
        (await source.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task StartMessageMoveTask_RateLimited_MovesOneMessagePerSecondOfTheClock()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha", "flat white");
        int idleTimers = _clock.ActiveTimers;

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", maxMessagesPerSecond: 1);
        await WaitUntilWaitingAfterAsync(task, moved: 1, idleTimers);
        long movedAtStart = task.MessagesMoved;
        QueueCounts sourceAtStart = await source.CountsAsync();
        _clock.Advance(s_second);
        await WaitUntilWaitingAfterAsync(task, moved: 2, idleTimers);
        long movedAfterOneSecond = task.MessagesMoved;
        _clock.Advance(s_second);
        await task.Completion.Bounded();

        movedAtStart.Should().Be(1);
        sourceAtStart.Should().Be(new QueueCounts(1, 0, 0));
        movedAfterOneSecond.Should().Be(2);
        task.MessagesMoved.Should().Be(3);
        task.Status.Should().Be(MessageMoveStatus.Completed);
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task StartMessageMoveTask_RateLimitedAndClockStopped_StaysRunning()
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha");
        int idleTimers = _clock.ActiveTimers;

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", maxMessagesPerSecond: 1);
        await WaitUntilWaitingAfterAsync(task, moved: 1, idleTimers);

        task.Status.Should().Be(MessageMoveStatus.Running);
        task.Completion.IsCompleted.Should().BeFalse();
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task Cancel_RunningTask_EndsCancelledWithPartialProgress()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha", "flat white");
        int idleTimers = _clock.ActiveTimers;
        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", maxMessagesPerSecond: 1);
        await WaitUntilWaitingAfterAsync(task, moved: 1, idleTimers);

        bool cancelled = task.Cancel();
        await task.Completion.Bounded();

        cancelled.Should().BeTrue();
        task.Status.Should().Be(MessageMoveStatus.Cancelled);
        task.MessagesMoved.Should().Be(1);
        (await source.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task Cancel_CompletedTask_ReturnsFalseAndKeepsStatus()
    {
        using var broker = new MessageBroker(_clock);
        await CreateWithDeadLettersAsync(broker, "latte");
        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq");
        await task.Completion.Bounded();

        bool cancelled = task.Cancel();

        cancelled.Should().BeFalse();
        task.Status.Should().Be(MessageMoveStatus.Completed);
    }

    [Fact]
    public async Task StartMessageMoveTask_WhileAnotherRunsForTheSameSource_ThrowsMoveTaskAlreadyRunning()
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha");
        int idleTimers = _clock.ActiveTimers;
        MessageMoveTask running = broker.StartMessageMoveTask("orders-dlq", maxMessagesPerSecond: 1);
        await WaitUntilWaitingAfterAsync(running, moved: 1, idleTimers);

        Action act = () => broker.StartMessageMoveTask("orders-dlq");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.MoveTaskAlreadyRunning);
        running.Status.Should().Be(MessageMoveStatus.Running);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task StartMessageMoveTask_AfterPreviousTaskCompleted_StartsANewTask()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, _) = await CreateWithDeadLettersAsync(broker, "latte");
        await broker.StartMessageMoveTask("orders-dlq").Completion.Bounded();
        await source.ReceiveSingleAsync(TimeSpan.Zero);
        await source.ReceiveNowAsync();

        MessageMoveTask second = broker.StartMessageMoveTask("orders-dlq");
        await second.Completion.Bounded();

        second.Status.Should().Be(MessageMoveStatus.Completed);
        second.MessagesMoved.Should().Be(1);
    }

    [Fact]
    public async Task StartMessageMoveTask_AfterPreviousTaskCancelled_StartsANewTask()
    {
        using var broker = new MessageBroker(_clock);
        await CreateWithDeadLettersAsync(broker, "latte", "mocha");
        int idleTimers = _clock.ActiveTimers;
        MessageMoveTask first = broker.StartMessageMoveTask("orders-dlq", maxMessagesPerSecond: 1);
        await WaitUntilWaitingAfterAsync(first, moved: 1, idleTimers);
        first.Cancel();
        await first.Completion.Bounded();

        MessageMoveTask second = broker.StartMessageMoveTask("orders-dlq");
        await second.Completion.Bounded();

        second.Status.Should().Be(MessageMoveStatus.Completed);
        second.MessagesMoved.Should().Be(1);
    }

    [Fact]
    public void StartMessageMoveTask_SourceIsNoDeadLetterQueueAndNoDestination_ThrowsNotADeadLetterQueue()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("plain");

        Action act = () => broker.StartMessageMoveTask("plain");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.NotADeadLetterQueue);
    }

    [Fact]
    public void StartMessageMoveTask_SourceDoesNotExist_ThrowsQueueDoesNotExist()
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.StartMessageMoveTask("missing");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public async Task StartMessageMoveTask_DestinationDoesNotExist_ThrowsQueueDoesNotExistAndMovesNothing()
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte");

        Action act = () => broker.StartMessageMoveTask("orders-dlq", "missing");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task StartMessageMoveTask_DestinationOfAnotherBodyType_ThrowsQueueTypeMismatchAndMovesNothing()
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte");
        broker.CreateQueue<CoffeeOrder>("review");

        Action act = () => broker.StartMessageMoveTask("orders-dlq", "review");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueTypeMismatch);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    [InlineData(-1)]
    public async Task StartMessageMoveTask_RateOutOfRange_ThrowsArgumentOutOfRangeExceptionAndMovesNothing(int rate)
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte");

        Action act = () => broker.StartMessageMoveTask("orders-dlq", maxMessagesPerSecond: rate);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxMessagesPerSecond");
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    public async Task StartMessageMoveTask_RateAtTheLimits_MovesTheMessage(int rate)
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, _) = await CreateWithDeadLettersAsync(broker, "latte");

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", maxMessagesPerSecond: rate);
        await task.Completion.Bounded();

        task.Status.Should().Be(MessageMoveStatus.Completed);
        (await source.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task StartMessageMoveTask_SourceQueueOfAMessageWasDeleted_FailsAndKeepsTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("shared-dlq");
        IMessageQueue<string> orders = broker.CreateQueue<string>("orders", o => o.DeadLetter("shared-dlq", maxReceiveCount: 1));
        broker.CreateQueue<string>("refunds", o => o.DeadLetter("shared-dlq", maxReceiveCount: 1));
        await DeadLetterAsync(orders, "latte");
        broker.DeleteQueue("orders");

        MessageMoveTask task = broker.StartMessageMoveTask("shared-dlq");
        await task.Completion.Bounded();

        task.Status.Should().Be(MessageMoveStatus.Failed);
        task.FailureReason.Should().Contain("orders");
        task.MessagesMoved.Should().Be(0);
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task StartMessageMoveTask_MessageSentDirectlyToDeadLetterQueueWithoutDestination_FailsAndKeepsIt()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte");
        await dlq.SendAsync("sent directly");

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq");
        await task.Completion.Bounded();

        task.Status.Should().Be(MessageMoveStatus.Failed);
        task.FailureReason.Should().NotBeNullOrEmpty();
        task.MessagesMoved.Should().Be(1);
        (await source.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await dlq.ReceiveSingleAsync()).Body.Should().Be("sent directly");
    }

    [Fact]
    public async Task StartMessageMoveTask_AfterPreviousTaskFailed_StartsANewTask()
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte");
        await dlq.SendAsync("sent directly");
        await broker.StartMessageMoveTask("orders-dlq").Completion.Bounded();
        IMessageQueue<string> review = broker.CreateQueue<string>("review");

        MessageMoveTask second = broker.StartMessageMoveTask("orders-dlq", "review");
        await second.Completion.Bounded();

        second.Status.Should().Be(MessageMoveStatus.Completed);
        (await review.ReceiveSingleAsync()).Body.Should().Be("sent directly");
    }

    [Fact]
    public async Task StartMessageMoveTask_DestinationFullAndFailing_FailsAndKeepsTheUnmovedMessage()
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha");
        IMessageQueue<string> review = broker.CreateQueue<string>("review", o =>
        {
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
        });

        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", "review");
        await task.Completion.Bounded();

        task.Status.Should().Be(MessageMoveStatus.Failed);
        task.FailureReason.Should().NotBeNullOrEmpty();
        task.MessagesMoved.Should().Be(1);
        (await review.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task Cancel_WhileWaitingForRoomInDestination_EndsCancelledAndKeepsTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        (_, IMessageQueue<string> dlq) = await CreateWithDeadLettersAsync(broker, "latte", "mocha");
        IMessageQueue<string> review = broker.CreateQueue<string>("review", o => o.Capacity = 1);
        MessageMoveTask task = broker.StartMessageMoveTask("orders-dlq", "review");
        await Eventually.HoldsAsync(() => task.MessagesMoved == 1, "the first message is moved");
        await WaitForCountsAsync(dlq, new QueueCounts(0, 1, 0));

        task.Cancel();
        await task.Completion.Bounded();

        task.Status.Should().Be(MessageMoveStatus.Cancelled);
        task.MessagesMoved.Should().Be(1);
        (await review.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
        (await dlq.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task StartMessageMoveTask_CalledUnderSynchronizationContext_RunsWithoutThatContext()
    {
        using var broker = new MessageBroker(_clock);
        (IMessageQueue<string> source, _) = await CreateWithDeadLettersAsync(broker, "latte", "mocha");
        var context = new CapturingSynchronizationContext();

        MessageMoveTask task = context.Run(() => broker.StartMessageMoveTask("orders-dlq"));
        await task.Completion.Bounded();

        context.Posted.Should().Be(0);
        task.Status.Should().Be(MessageMoveStatus.Completed);
        (await source.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    private static async Task<(IMessageQueue<string> Source, IMessageQueue<string> DeadLetterQueue)> CreateWithDeadLettersAsync(MessageBroker broker, params string[] bodies)
    {
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq");
        IMessageQueue<string> source = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        foreach (string body in bodies)
        {
            await DeadLetterAsync(source, body);
        }

        (await dlq.CountsAsync()).Should().Be(new QueueCounts(bodies.Length, 0, 0));
        return (source, dlq);
    }

    /// <summary>Sends a message to a queue with maxReceiveCount 1 and receives it twice, which moves it to the dead-letter queue.</summary>
    private static async Task DeadLetterAsync(IMessageQueue<string> queue, string body)
    {
        await queue.SendAsync(body);
        await queue.ReceiveSingleAsync(TimeSpan.Zero);
        (await queue.ReceiveNowAsync()).Should().BeEmpty();
    }

    /// <summary>Waits until the task has moved <paramref name="moved"/> messages and is parked on its rate-limit delay,
    /// which is the one timer it adds to the clock.</summary>
    private async Task WaitUntilWaitingAfterAsync(MessageMoveTask task, long moved, int idleTimers)
        => await Eventually.HoldsAsync(
            () => task.MessagesMoved == moved && _clock.ActiveTimers == idleTimers + 1,
            $"{moved} message(s) are moved and the task waits for the clock");

    private static Task WaitForCountsAsync(IMessageQueue queue, QueueCounts expected)
        => Eventually.HoldsAsync(async () => await queue.CountsAsync() == expected, $"the counts of '{queue.Name}' are {expected}");
}
