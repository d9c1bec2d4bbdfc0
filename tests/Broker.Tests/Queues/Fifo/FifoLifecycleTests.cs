using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoLifecycleTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly MessageBroker _broker;
    private readonly IMessageQueue<string> _queue;

    public FifoLifecycleTests()
    {
        _broker = new MessageBroker(_clock);
        _queue = _broker.CreateQueue<string>("orders.fifo");
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task PurgeAsync_ClearsEveryGroupInFlightAndVisible()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        await SendAllAsync(_queue, "b", "b1", "b2");
        await SendAllAsync(_queue, "c", "c1");
        (await ReceiveAsync(_queue, maxMessages: 3)).Should().HaveCount(3);

        long purged = await _queue.PurgeAsync();

        purged.Should().Be(5);
        QueueAttributes attributes = await _queue.GetAttributesAsync();
        attributes.ApproximateNumberOfMessages.Should().Be(0);
        attributes.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
        (await ReceiveAsync(_queue)).Should().BeEmpty();
    }

    [Fact]
    public async Task PurgeAsync_WhileGroupInFlight_LaterSendsToThatGroupAreDelivered()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        (await ReceiveAsync(_queue, maxMessages: 1)).Bodies().Should().Equal("a1");
        await _queue.PurgeAsync();

        await SendAllAsync(_queue, "a", "a3", "a4");
        var received = await ReceiveAsync(_queue);

        received.Bodies().Should().Equal("a3", "a4");
    }

    [Fact]
    public async Task PurgeAsync_HandlesOfPurgedMessages_NoLongerDelete()
    {
        await SendAllAsync(_queue, "a", "a1");
        var received = await ReceiveAsync(_queue);
        await _queue.PurgeAsync();
        await SendAllAsync(_queue, "a", "a2");

        bool deleted = await _queue.DeleteAsync(received[0].ReceiptHandle);

        deleted.Should().BeFalse();
        (await ReceiveAsync(_queue)).Bodies().Should().Equal("a2");
    }

    [Fact]
    public async Task PurgeAsync_DelayedMessages_AreClearedToo()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("delayed.fifo", o => o.DeliveryDelay = TimeSpan.FromSeconds(10));
        await SendAllAsync(queue, "a", "a1");

        long purged = await queue.PurgeAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));

        purged.Should().Be(1);
        (await ReceiveAsync(queue)).Should().BeEmpty();
        (await queue.GetAttributesAsync()).ApproximateNumberOfMessagesDelayed.Should().Be(0);
    }

    [Fact]
    public async Task PurgeAsync_LongPollWaitingOnEmptyQueue_ReceivesMessageSentAfterPurge()
    {
        await SendAllAsync(_queue, "a", "a1");
        await _queue.PurgeAsync();
        var waiting = _queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.FromSeconds(20)).AsTask();

        await SendAllAsync(_queue, "a", "a2");
        var received = await waiting.WaitAsync(Bound);

        received.Bodies().Should().Equal("a2");
    }

    [Fact]
    public async Task ReceiveAsync_HeadExpiresWhileRestOfItsBatchIsInFlight_GroupStaysBlocked()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("short.fifo", o =>
        {
            o.MessageRetentionPeriod = TimeSpan.FromMinutes(1);
            o.VisibilityTimeout = TimeSpan.FromMinutes(10);
        });
        await SendAllAsync(queue, "a", "a1");
        _clock.Advance(TimeSpan.FromSeconds(30));
        await SendAllAsync(queue, "a", "a2");
        var first = await ReceiveAsync(queue);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var afterExpiry = await ReceiveAsync(queue);

        first.Bodies().Should().Equal("a1", "a2");
        afterExpiry.Should().BeEmpty("a2 is still in flight");
        (await queue.DeleteAsync(first[0].ReceiptHandle)).Should().BeFalse("a1 expired");
    }

    [Fact]
    public async Task ReceiveAsync_InFlightHeadExpires_DeliversNextMessageOfGroup()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("short.fifo", o =>
        {
            o.MessageRetentionPeriod = TimeSpan.FromMinutes(1);
            o.VisibilityTimeout = TimeSpan.FromMinutes(10);
        });
        await SendAllAsync(queue, "a", "a1");
        _clock.Advance(TimeSpan.FromSeconds(30));
        await SendAllAsync(queue, "a", "a2");
        (await ReceiveAsync(queue, maxMessages: 1)).Bodies().Should().Equal("a1");

        _clock.Advance(TimeSpan.FromSeconds(30));
        var next = await ReceiveAsync(queue);

        next.Bodies().Should().Equal("a2");
    }

    [Fact]
    public async Task DeleteQueue_WhileLongPollWaitsOnBlockedGroup_FailsTheReceive()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        (await ReceiveAsync(_queue, maxMessages: 1)).Should().ContainSingle();
        Task<IReadOnlyList<ReceivedMessage<string>>> waiting = _queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.FromSeconds(20)).AsTask();

        _broker.DeleteQueue("orders.fifo").Should().BeTrue();
        Func<Task> act = () => waiting.WaitAsync(Bound);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }
}
