using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

/// <summary>How a queue's timer entries are kept: stale ones do not pile up, and an entry due out of order still fires on time.</summary>
public sealed class TimerEntryTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task DeleteAsync_WhileABacklogWaits_DoesNotLetVisibilityEntriesPileUp()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<int> queue = broker.CreateQueue<int>("orders");
        for (int i = 0; i < 10_000; i++)
        {
            await queue.SendAsync(i);
        }

        for (int i = 0; i < 5_000; i++)
        {
            await queue.DeleteAsync((await queue.ReceiveSingleAsync()).ReceiptHandle);
        }

        // 10,000 retention entries (not yet compacted: 5,000 are live) and at most two compaction rounds of stale
        // visibility entries; the 5,000 ready messages are no reason to keep the deleted ones' entries.
        ((InMemoryQueue<int>)queue).TimerEntryCount.Should().BeLessThanOrEqualTo(10_000 + (2 * 1024) + 1);
    }

    [Fact]
    public async Task DeleteAsync_EveryMessageOfABurst_LetsGoOfTheirRetentionEntries()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<int> queue = broker.CreateQueue<int>("orders");
        for (int i = 0; i < 10_000; i++)
        {
            await queue.SendAsync(i);
        }

        for (int i = 0; i < 10_000; i++)
        {
            await queue.DeleteAsync((await queue.ReceiveSingleAsync()).ReceiptHandle);
        }

        // Left: at most the deletes since the last trim of the retention lane's front, and the stale visibility entries
        // of up to two compaction rounds of the heap.
        ((InMemoryQueue<int>)queue).TimerEntryCount.Should().BeLessThanOrEqualTo(65 + (2 * 1024) + 1);
    }

    [Fact]
    public async Task DeleteAsync_OneOldMessageStillInFlight_KeepsItsRetentionAndTheOthersGoAfterIt()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<int> queue = broker.CreateQueue<int>("orders", o => o.MessageRetentionPeriod = TimeSpan.FromMinutes(10));
        await queue.SendAsync(-1);
        ReceivedMessage<int> stuck = await queue.ReceiveSingleAsync(TimeSpan.FromHours(1));
        for (int i = 0; i < 1_000; i++)
        {
            await queue.SendAsync(i);
            await queue.DeleteAsync((await queue.ReceiveSingleAsync()).ReceiptHandle);
        }

        _clock.Advance(TimeSpan.FromMinutes(10));

        stuck.Body.Should().Be(-1);
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeadLetter_DueBeforeTheQueuesNewerMessages_ExpiresAtItsOwnTimeAndIsTheOldest()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> dlq = broker.CreateQueue<string>("orders-dlq", o => o.MessageRetentionPeriod = TimeSpan.FromMinutes(10));
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1));
        await queue.SendAsync("old");
        await queue.ReceiveSingleAsync(TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await dlq.SendAsync("new");
        await queue.ReceiveNowAsync(); // Moves "old", sent 5 minutes ago, behind "new" in the dead-letter queue.

        TimeSpan oldestAge = (await dlq.GetAttributesAsync()).ApproximateAgeOfOldestMessage;
        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        QueueCounts beforeOldExpires = await dlq.CountsAsync();
        _clock.Advance(TimeSpan.FromTicks(1));
        QueueCounts afterOldExpires = await dlq.CountsAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        oldestAge.Should().Be(TimeSpan.FromMinutes(5));
        beforeOldExpires.Should().Be(new QueueCounts(2, 0, 0));
        afterOldExpires.Should().Be(new QueueCounts(1, 0, 0));
        (await dlq.CountsAsync()).Should().Be(QueueCounts.Empty);
    }
}
