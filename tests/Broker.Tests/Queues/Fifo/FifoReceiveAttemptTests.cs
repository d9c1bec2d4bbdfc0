using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoReceiveAttemptTests : IDisposable
{
    private static readonly TimeSpan s_visibility = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _clock = new();
    private readonly MessageBroker _broker;
    private readonly IMessageQueue<string> _queue;

    public FifoReceiveAttemptTests()
    {
        _broker = new MessageBroker(_clock);
        _queue = _broker.CreateQueue<string>("orders.fifo", o => o.VisibilityTimeout = s_visibility);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task ReceiveAsync_RetryWithSameAttemptId_ReturnsSameMessagesAndHandles()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3");
        await SendAllAsync(_queue, "b", "b1");
        var first = await ReceiveWithAttemptAsync("attempt-1", 3);

        var retry = await ReceiveWithAttemptAsync("attempt-1", 3);

        first.Bodies().Should().Equal("a1", "a2", "a3");
        retry.Bodies().Should().Equal(first.Bodies());
        retry.Select(m => m.MessageId).Should().Equal(first.Select(m => m.MessageId));
        retry.Select(m => m.ReceiptHandle).Should().Equal(first.Select(m => m.ReceiptHandle));
        retry.Select(m => m.ReceiptHandle.ToString()).Should().Equal(first.Select(m => m.ReceiptHandle.ToString()));
        retry.Select(m => m.ReceiveCount).Should().Equal(1, 1, 1);
    }

    [Fact]
    public async Task ReceiveAsync_RetryWithSameAttemptId_DoesNotTakeOtherAvailableMessages()
    {
        await SendAllAsync(_queue, "a", "a1");
        await ReceiveWithAttemptAsync("attempt-1", 10);
        await SendAllAsync(_queue, "b", "b1");

        var retry = await ReceiveWithAttemptAsync("attempt-1", 10);
        var other = await ReceiveAsync(_queue);

        retry.Bodies().Should().Equal("a1");
        other.Bodies().Should().Equal("b1");
    }

    [Fact]
    public async Task ReceiveAsync_RetryWithSameAttemptId_RestartsVisibility()
    {
        await SendAllAsync(_queue, "a", "a1");
        await ReceiveWithAttemptAsync("attempt-1", 1);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await ReceiveWithAttemptAsync("attempt-1", 1);

        _clock.Advance(TimeSpan.FromSeconds(20));
        var stillHidden = await ReceiveAsync(_queue);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var visibleAgain = await ReceiveAsync(_queue);

        stillHidden.Should().BeEmpty("the retry at 20 s hid the message until 50 s");
        visibleAgain.Bodies().Should().Equal("a1");
        visibleAgain[0].ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task DeleteAsync_HandleReturnedByRetry_DeletesMessage()
    {
        await SendAllAsync(_queue, "a", "a1");
        var first = await ReceiveWithAttemptAsync("attempt-1", 1);
        var retry = await ReceiveWithAttemptAsync("attempt-1", 1);

        bool deleted = await _queue.DeleteAsync(retry[0].ReceiptHandle);

        first[0].ReceiptHandle.Should().Be(retry[0].ReceiptHandle);
        deleted.Should().BeTrue();
        (await ReceiveAsync(_queue)).Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_RetryAfterOneMessageWasDeleted_DoesNormalReceive()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3");
        var first = await ReceiveWithAttemptAsync("attempt-1", 2);
        await _queue.DeleteAsync(first[0].ReceiptHandle);

        var retry = await ReceiveWithAttemptAsync("attempt-1", 2);

        retry.Should().BeEmpty("a2 is still in flight under the first receive, so a normal receive finds group a blocked");
    }

    [Fact]
    public async Task ReceiveAsync_RetryAfterAllMessagesWereDeleted_ReturnsNextMessages()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3");
        var first = await ReceiveWithAttemptAsync("attempt-1", 2);
        await _queue.DeleteAsync(first[0].ReceiptHandle);
        await _queue.DeleteAsync(first[1].ReceiptHandle);

        var retry = await ReceiveWithAttemptAsync("attempt-1", 2);

        retry.Bodies().Should().Equal("a3");
    }

    [Fact]
    public async Task ReceiveAsync_RetryAfterVisibilityWasChanged_DoesNormalReceive()
    {
        await SendAllAsync(_queue, "a", "a1");
        await SendAllAsync(_queue, "b", "b1");
        var first = await ReceiveWithAttemptAsync("attempt-1", 1);
        await _queue.ChangeVisibilityAsync(first[0].ReceiptHandle, TimeSpan.FromMinutes(1));

        var retry = await ReceiveWithAttemptAsync("attempt-1", 1);

        first.Bodies().Should().Equal("a1");
        retry.Bodies().Should().Equal("b1");
    }

    [Fact]
    public async Task ReceiveAsync_RetryAfterVisibilityWasChangedToZero_ReturnsMessageWithNewHandle()
    {
        await SendAllAsync(_queue, "a", "a1");
        var first = await ReceiveWithAttemptAsync("attempt-1", 1);
        await _queue.ChangeVisibilityAsync(first[0].ReceiptHandle, TimeSpan.Zero);

        var retry = await ReceiveWithAttemptAsync("attempt-1", 1);

        retry.Bodies().Should().Equal("a1");
        retry[0].ReceiveCount.Should().Be(2);
        retry[0].ReceiptHandle.Should().NotBe(first[0].ReceiptHandle);
    }

    [Fact]
    public async Task ReceiveAsync_RetryAfterVisibilityLapsed_ReturnsMessagesWithNewHandles()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        var first = await ReceiveWithAttemptAsync("attempt-1", 2);
        _clock.Advance(s_visibility);

        var retry = await ReceiveWithAttemptAsync("attempt-1", 2);

        retry.Bodies().Should().Equal("a1", "a2");
        retry.Select(m => m.ReceiveCount).Should().Equal(2, 2);
        retry[0].ReceiptHandle.Should().NotBe(first[0].ReceiptHandle);
        (await _queue.DeleteAsync(first[0].ReceiptHandle)).Should().BeFalse();
    }

    [Fact]
    public async Task ReceiveAsync_RetryAfterMessagesWereReceivedAgainElsewhere_DoesNormalReceive()
    {
        await SendAllAsync(_queue, "a", "a1");
        await ReceiveWithAttemptAsync("attempt-1", 1);
        _clock.Advance(s_visibility);
        var elsewhere = await ReceiveAsync(_queue);

        var retry = await ReceiveWithAttemptAsync("attempt-1", 1);

        elsewhere.Bodies().Should().Equal("a1");
        retry.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_RetryAfterWindow_DoesNormalReceive()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("slow.fifo", o => o.VisibilityTimeout = TimeSpan.FromMinutes(10));
        await SendAllAsync(queue, "a", "a1");
        await queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = "attempt-1" });

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var retry = await queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = "attempt-1" }).AsTask().WaitAsync(Bound);

        retry.Should().BeEmpty("the first receive's message is still in flight and the attempt is forgotten");
    }

    [Fact]
    public async Task ReceiveAsync_RetryJustInsideWindow_ReturnsSameMessages()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("slow.fifo", o => o.VisibilityTimeout = TimeSpan.FromMinutes(10));
        await SendAllAsync(queue, "a", "a1");
        var first = await queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = "attempt-1" });

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var retry = await queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = "attempt-1" }).AsTask().WaitAsync(Bound);

        retry.Select(m => m.ReceiptHandle).Should().Equal(first.Select(m => m.ReceiptHandle));
    }

    [Fact]
    public async Task ReceiveAsync_OtherAttemptId_DoesNormalReceive()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        await SendAllAsync(_queue, "b", "b1");
        await ReceiveWithAttemptAsync("attempt-1", 1);

        var other = await ReceiveWithAttemptAsync("attempt-2", 10);

        other.Bodies().Should().Equal("b1");
    }

    [Fact]
    public async Task ReceiveAsync_AttemptThatReturnedNothing_IsNotRemembered()
    {
        var empty = await ReceiveWithAttemptAsync("attempt-1", 10);
        await SendAllAsync(_queue, "a", "a1");

        var retry = await ReceiveWithAttemptAsync("attempt-1", 10);

        empty.Should().BeEmpty();
        retry.Bodies().Should().Equal("a1");
    }

    [Fact]
    public async Task ReceiveAsync_RetryWithLongPoll_ReturnsSameMessagesAtOnce()
    {
        await SendAllAsync(_queue, "a", "a1");
        var first = await ReceiveWithAttemptAsync("attempt-1", 1);

        var retry = await _queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = "attempt-1", WaitTime = TimeSpan.FromSeconds(20) }).AsTask().WaitAsync(Bound);

        retry.Select(m => m.ReceiptHandle).Should().Equal(first.Select(m => m.ReceiptHandle));
    }

    private async Task<IReadOnlyList<ReceivedMessage<string>>> ReceiveWithAttemptAsync(string attemptId, int maxMessages)
        => await _queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = attemptId, MaxMessages = maxMessages, WaitTime = TimeSpan.Zero }).AsTask().WaitAsync(Bound);
}
