using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoDeadLetterTests : IDisposable
{
    private const string SourceName = "orders.fifo";
    private const string DeadLetterName = "orders-dlq.fifo";
    private static readonly TimeSpan s_visibility = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _clock = new();
    private readonly MessageBroker _broker;
    private readonly IMessageQueue<string> _deadLetters;

    public FifoDeadLetterTests()
    {
        _broker = new MessageBroker(_clock);
        _deadLetters = _broker.CreateQueue<string>(DeadLetterName);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task ReceiveAsync_MessageReceivedMaxTimes_MovesToDeadLetterQueueOnNextReceive()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 2);
        await SendAllAsync(source, "a", "a1");
        (await ReceiveAsync(source)).Should().ContainSingle().Which.ReceiveCount.Should().Be(1);
        _clock.Advance(s_visibility);
        (await ReceiveAsync(source)).Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
        _clock.Advance(s_visibility);
        (await ReceiveAsync(_deadLetters)).Should().BeEmpty("the message is moved on the receive after the second");

        var third = await ReceiveAsync(source);
        var moved = await ReceiveAsync(_deadLetters);

        third.Should().BeEmpty();
        moved.Bodies().Should().Equal("a1");
        (await source.GetAttributesAsync()).ApproximateNumberOfMessages.Should().Be(0);
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessage_KeepsGroupAndIdAndTakesMessageIdAsDeduplicationId()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        SendResult sent = await source.SendAsync("a1", Group("a", "original-dedup"));
        await ReceiveAsync(source);
        _clock.Advance(s_visibility);
        await ReceiveAsync(source);

        var moved = await ReceiveAsync(_deadLetters);

        moved.Should().ContainSingle();
        ReceivedMessage<string> message = moved[0];
        message.MessageId.Should().Be(sent.MessageId);
        message.MessageGroupId.Should().Be("a");
        message.MessageDeduplicationId.Should().Be(sent.MessageId.ToString());
        message.DeadLetterSourceQueue.Should().Be(SourceName);
        message.SequenceNumber.Should().MatchRegex("^[0-9]{20}$");
    }

    [Fact]
    public async Task ReceiveAsync_HeadDeadLettered_DeliversTheRestOfTheGroupInOrder()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        await SendAllAsync(source, "a", "a1", "a2", "a3");
        (await ReceiveAsync(source, maxMessages: 1)).Bodies().Should().Equal("a1");
        _clock.Advance(s_visibility);

        var next = await ReceiveAsync(source);

        next.Bodies().Should().Equal("a2", "a3");
        next.Select(m => m.ReceiveCount).Should().Equal(1, 1);
        (await ReceiveAsync(_deadLetters)).Bodies().Should().Equal("a1");
    }

    [Fact]
    public async Task ReceiveAsync_SeveralDeadLettered_DeadLetterQueueHoldsThemInGroupOrder()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        await SendAllAsync(source, "a", "a1", "a2", "a3", "a4");
        await SendAllAsync(source, "b", "b1", "b2");
        (await ReceiveAsync(source, maxMessages: 1)).Bodies().Should().Equal("a1");
        _clock.Advance(s_visibility);
        (await ReceiveAsync(source, maxMessages: 10)).Bodies().Should().BeEquivalentTo("a2", "a3", "a4", "b1", "b2");
        _clock.Advance(s_visibility);
        (await ReceiveAsync(source, maxMessages: 10)).Should().BeEmpty();

        var first = await ReceiveAsync(_deadLetters, maxMessages: 3);
        var whileBlocked = await ReceiveAsync(_deadLetters, maxMessages: 10);

        first.Bodies().Should().Equal("a1", "a2", "a3");
        whileBlocked.Bodies().Should().Equal("b1", "b2");
        (await ReceiveAsync(_deadLetters)).Should().BeEmpty("a4 waits behind a1 to a3 of its group in the dead-letter queue");
        first.Concat(whileBlocked).Select(m => m.SequenceNumber).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task ReceiveAsync_DeadLetteredMessages_HaveIncreasingSequenceNumbersInGroupOrder()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        await SendAllAsync(source, "a", "a1", "a2", "a3");
        await ReceiveAsync(source);
        _clock.Advance(s_visibility);
        await ReceiveAsync(source);

        var moved = await ReceiveAsync(_deadLetters);

        moved.Bodies().Should().Equal("a1", "a2", "a3");
        moved.Select(m => m.SequenceNumber).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task ReceiveAsync_SameDeduplicationIdInTwoGroupsDeadLettered_BothArrive()
    {
        IMessageQueue<string> source = _broker.CreateQueue<string>(SourceName, o =>
        {
            o.VisibilityTimeout = s_visibility;
            o.DeduplicationScope = DeduplicationScope.MessageGroup;
            o.DeadLetter(DeadLetterName, maxReceiveCount: 1);
        });
        await source.SendAsync("a1", Group("a", "same"));
        await source.SendAsync("b1", Group("b", "same"));
        (await ReceiveAsync(source)).Should().HaveCount(2);
        _clock.Advance(s_visibility);
        await ReceiveAsync(source);

        var moved = await ReceiveAsync(_deadLetters);

        moved.Bodies().Should().BeEquivalentTo("a1", "b1");
    }

    [Fact]
    public async Task ReceiveAsync_DeletedBeforeMaxReceives_IsNotDeadLettered()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        await SendAllAsync(source, "a", "a1", "a2");
        var first = await ReceiveAsync(source, maxMessages: 1);
        await source.DeleteAsync(first[0].ReceiptHandle);

        var second = await ReceiveAsync(source);

        second.Bodies().Should().Equal("a2");
        (await ReceiveAsync(_deadLetters)).Should().BeEmpty();
    }

    [Fact]
    public async Task StartMessageMoveTask_FromFifoDeadLetterQueue_MovesBackToSourceInGroupOrder()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        List<SendResult> sent = await SendAllAsync(source, "a", "a1", "a2", "a3");
        await ReceiveAsync(source);
        _clock.Advance(s_visibility);
        await ReceiveAsync(source);

        MessageMoveTask task = _broker.StartMessageMoveTask(DeadLetterName);
        await task.Completion.WaitAsync(Bound);
        var redriven = await ReceiveAsync(source);

        task.Status.Should().Be(MessageMoveStatus.Completed);
        task.MessagesMoved.Should().Be(3);
        redriven.Bodies().Should().Equal("a1", "a2", "a3");
        redriven.Should().AllSatisfy(m =>
        {
            m.MessageGroupId.Should().Be("a");
            m.ReceiveCount.Should().Be(1);
            m.DeadLetterSourceQueue.Should().BeNull();
        });
        redriven.Select(m => m.MessageId).Should().NotIntersectWith(sent.Select(s => s.MessageId), "moved messages are new messages");
        (await _deadLetters.GetAttributesAsync()).ApproximateNumberOfMessages.Should().Be(0);
    }

    [Fact]
    public async Task StartMessageMoveTask_SameMessageMovedTwice_IsDeliveredBothTimes()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        await SendAllAsync(source, "a", "a1");
        await DeadLetterEverythingAsync(source);
        await _broker.StartMessageMoveTask(DeadLetterName).Completion.WaitAsync(Bound);
        await DeadLetterEverythingAsync(source);

        MessageMoveTask second = _broker.StartMessageMoveTask(DeadLetterName);
        await second.Completion.WaitAsync(Bound);
        var redriven = await ReceiveAsync(source);

        second.MessagesMoved.Should().Be(1);
        redriven.Bodies().Should().Equal("a1");
    }

    [Fact]
    public async Task StartMessageMoveTask_ToAnotherFifoQueue_KeepsGroupsAndOrder()
    {
        IMessageQueue<string> source = CreateSource(maxReceiveCount: 1);
        IMessageQueue<string> other = _broker.CreateQueue<string>("other.fifo");
        await SendAllAsync(source, "a", "a1", "a2");
        await SendAllAsync(source, "b", "b1", "b2");
        await DeadLetterEverythingAsync(source);

        await _broker.StartMessageMoveTask(DeadLetterName, "other.fifo").Completion.WaitAsync(Bound);
        var moved = await ReceiveAsync(other);

        moved.Where(m => m.MessageGroupId == "a").Bodies().Should().Equal("a1", "a2");
        moved.Where(m => m.MessageGroupId == "b").Bodies().Should().Equal("b1", "b2");
        (await ReceiveAsync(source)).Should().BeEmpty();
    }

    private IMessageQueue<string> CreateSource(int maxReceiveCount)
        => _broker.CreateQueue<string>(SourceName, o =>
        {
            o.VisibilityTimeout = s_visibility;
            o.DeadLetter(DeadLetterName, maxReceiveCount);
        });

    /// <summary>Receives everything once and lets it lapse, then receives again so that, with a maximum of one receive, all of it moves.</summary>
    private async Task DeadLetterEverythingAsync(IMessageQueue<string> source)
    {
        (await ReceiveAsync(source)).Should().NotBeEmpty();
        _clock.Advance(s_visibility);
        (await ReceiveAsync(source)).Should().BeEmpty();
    }
}
