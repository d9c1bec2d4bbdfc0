using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

/// <summary>Long polls one after the other and side by side: a queue reuses the timeout source of a long poll that ended
/// without its timeout firing, and each long poll must still end at its own wait time.</summary>
public sealed class LongPollTimeoutTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task ReceiveAsync_AfterALongPollEndedByAMessage_EndsAtItsOwnWaitTime()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> first = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();
        await queue.SendAsync("latte");
        (await first.Bounded()).Should().ContainSingle();

        Task<IReadOnlyList<ReceivedMessage<string>>> second = queue.ReceiveAsync(1, TimeSpan.FromSeconds(5)).AsTask();
        await ShouldEndEmptyAfterAsync(second, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ReceiveAsync_AfterALongPollThatTimedOut_EndsAtItsOwnWaitTime()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> first = queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)).AsTask();
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await first.Bounded()).Should().BeEmpty();

        Task<IReadOnlyList<ReceivedMessage<string>>> second = queue.ReceiveAsync(1, TimeSpan.FromSeconds(3)).AsTask();
        await ShouldEndEmptyAfterAsync(second, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ReceiveAsync_AfterALongPollItsCallerCancelled_WaitsForTheNextMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        using (var cancellation = new CancellationTokenSource())
        {
            Task<IReadOnlyList<ReceivedMessage<string>>> cancelled = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: cancellation.Token).AsTask();
            await cancellation.CancelAsync();
            Func<Task> waiting = () => cancelled.Bounded();
            await waiting.Should().ThrowAsync<OperationCanceledException>();
        }

        Task<IReadOnlyList<ReceivedMessage<string>>> next = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();
        _clock.Advance(TimeSpan.FromSeconds(19));
        bool endedEarly = next.IsCompleted;
        await queue.SendAsync("mocha");

        endedEarly.Should().BeFalse("the cancelled long poll's source must not end the next one");
        (await next.Bounded()).Should().ContainSingle().Which.Body.Should().Be("mocha");
    }

    [Fact]
    public async Task ReceiveAsync_OverlappingLongPolls_EachEndsAtItsOwnWaitTime()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> tenSeconds = queue.ReceiveAsync(1, TimeSpan.FromSeconds(10)).AsTask();
        Task<IReadOnlyList<ReceivedMessage<string>>> twentySeconds = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();
        _clock.Advance(TimeSpan.FromSeconds(1));
        await queue.SendAsync("latte");
        Task<IReadOnlyList<ReceivedMessage<string>>> served = await Task.WhenAny(tenSeconds, twentySeconds).Bounded();
        (await served).Should().ContainSingle();
        Task<IReadOnlyList<ReceivedMessage<string>>> waiting = served == tenSeconds ? twentySeconds : tenSeconds;
        TimeSpan waitingEndsAt = served == tenSeconds ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(10);

        // Started at 1 s, likely on the served long poll's source.
        Task<IReadOnlyList<ReceivedMessage<string>>> fiveSeconds = queue.ReceiveAsync(1, TimeSpan.FromSeconds(5)).AsTask();
        await ShouldEndEmptyAfterAsync(fiveSeconds, TimeSpan.FromSeconds(5));
        await ShouldEndEmptyAfterAsync(waiting, waitingEndsAt - TimeSpan.FromSeconds(6));
    }

    /// <summary>Moves the clock to one tick before <paramref name="remaining"/> has passed, then to it, and checks that the
    /// long poll ended only then, with nothing.</summary>
    private async Task ShouldEndEmptyAfterAsync(Task<IReadOnlyList<ReceivedMessage<string>>> poll, TimeSpan remaining)
    {
        _clock.Advance(remaining - s_tick);
        bool endedEarly = poll.IsCompleted;
        _clock.Advance(s_tick);

        endedEarly.Should().BeFalse();
        (await poll.Bounded()).Should().BeEmpty();
    }
}
