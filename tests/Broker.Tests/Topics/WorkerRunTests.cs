using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>A delegate subscription's worker delivering a backlog in runs: many deliveries inside one entry of the
/// unsubscribe gate, counted once per run. The first message of each test blocks until released, so that the rest queue up
/// behind it and the worker meets a backlog longer than several runs.</summary>
public sealed class WorkerRunTests
{
    private const int Backlog = 1000;

    private readonly ManualTimeProvider _clock = new();
    private readonly TaskCompletionSource _releaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<int> _calls = new();

    [Fact]
    public async Task Deliver_BacklogOfSeveralRuns_DeliversAndCountsEveryMessageInOrder()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        Subscription subscription = topic.Subscribe((message, _) => Record(message.Body));

        await PublishBacklogAsync(topic);
        subscription.PendingCount.Should().Be(Backlog + 1);
        subscription.DeliveredCount.Should().Be(0);
        _releaseFirst.SetResult();

        await Eventually.HoldsAsync(() => subscription.DeliveredCount == Backlog + 1, "every message is delivered");
        _calls.Should().Equal(Enumerable.Range(0, Backlog + 1));
        subscription.PendingCount.Should().Be(0);
        subscription.FailedAttemptCount.Should().Be(0);
    }

    [Fact]
    public async Task Deliver_AttemptThrowsInTheMiddleOfARun_RetriesItBeforeTheOnesBehindIt()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        int failures = 0;
        Subscription subscription = topic.Subscribe(
            (message, _) =>
            {
                ValueTask recorded = Record(message.Body);
                if (message.Body == 500 && Interlocked.Increment(ref failures) == 1)
                {
                    throw new InvalidOperationException("once");
                }

                return recorded;
            },
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 1, NumNoDelayRetries = 1 });

        await PublishBacklogAsync(topic);
        _releaseFirst.SetResult();

        await Eventually.HoldsAsync(() => subscription.DeliveredCount == Backlog + 1, "every message is delivered");
        _calls.Should().Equal([.. Enumerable.Range(0, 501), .. Enumerable.Range(500, Backlog - 499)], "the retry comes before message 501");
        subscription.FailedAttemptCount.Should().Be(1);
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Deliver_AttemptUnfinishedInTheMiddleOfARun_CountsTheRunAndHoldsBackTheRest()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        var finishSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Subscription subscription = topic.Subscribe((message, _) =>
        {
            ValueTask recorded = Record(message.Body);
            return message.Body == 300 ? new ValueTask(finishSlow.Task) : recorded;
        });

        await PublishBacklogAsync(topic);
        _releaseFirst.SetResult();

        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 300, "the messages before the unfinished one are counted");
        _calls.Should().Equal(Enumerable.Range(0, 301), "nothing behind the unfinished attempt starts");
        subscription.PendingCount.Should().Be(Backlog + 1 - 300);

        finishSlow.SetResult();
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == Backlog + 1, "every message is delivered");
        _calls.Should().Equal(Enumerable.Range(0, Backlog + 1));
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task UnsubscribeAsync_FromInsideARun_StopsItAtOnceAndCountsTheRestAbandoned()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        Subscription? subscription = null;
        Task<bool>? unsubscribing = null;
        subscription = topic.Subscribe((message, _) =>
        {
            ValueTask recorded = Record(message.Body);
            if (message.Body == 100)
            {
                // The run holds the gate, so the unsubscribe cannot finish before this delivery returns; it must still stop the run.
                Volatile.Write(ref unsubscribing, topic.UnsubscribeAsync(subscription!.Id).AsTask());
            }

            return recorded;
        });

        await PublishBacklogAsync(topic);
        _releaseFirst.SetResult();
        await Eventually.HoldsAsync(() => Volatile.Read(ref unsubscribing) is not null, "message 100 starts the unsubscribe");

        (await unsubscribing!.Bounded()).Should().BeTrue();
        _calls.Should().Equal(Enumerable.Range(0, 101), "no delivery starts after the unsubscribe began");
        subscription.DeliveredCount.Should().Be(101);
        subscription.PendingCount.Should().Be(0, "the messages left in the backlog are abandoned");
    }

    [Fact]
    public async Task Deliver_BacklogOfSeveralRuns_ReportsEveryDeliveryToTheDeliveriesCounter()
    {
        string topicName = $"runs-{Guid.NewGuid():N}";
        long reported = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Broker" && instrument.Name == "broker.deliveries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Value as string == topicName)
                {
                    Interlocked.Add(ref reported, value);
                }
            }
        });
        listener.Start();
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>(topicName);
        Subscription subscription = topic.Subscribe((message, _) => Record(message.Body));

        await PublishBacklogAsync(topic);
        _releaseFirst.SetResult();

        await Eventually.HoldsAsync(() => subscription.DeliveredCount == Backlog + 1, "every message is delivered");
        Interlocked.Read(ref reported).Should().Be(Backlog + 1);
    }

    [Fact]
    public async Task Deliver_ManyPublishersRandomFailuresAndUnfinishedAttempts_EveryMessageOnceInEachPublishersOrder()
    {
        const int Publishers = 4;
        const int PerPublisher = 5_000;
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        var delivered = new List<int>();
        int failures = 0;
        int attempts = 0;
        Subscription subscription = topic.Subscribe(
            (message, cancellationToken) =>
            {
                Interlocked.Increment(ref attempts);
                int roll = Random.Shared.Next(100);
                if (roll < 5)
                {
                    Interlocked.Increment(ref failures);
                    throw new InvalidOperationException("random failure");
                }

                lock (delivered)
                {
                    delivered.Add(message.Body);
                }

                return roll < 15 ? new ValueTask(Task.Run(() => { }, cancellationToken)) : ValueTask.CompletedTask;
            },
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 100, NumNoDelayRetries = 100 });

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < PerPublisher; i++)
            {
                await topic.PublishAsync((p * PerPublisher) + i);
            }
        })));

        await Eventually.HoldsAsync(() => subscription.DeliveredCount == Publishers * PerPublisher, "every message is delivered");
        int[] order;
        lock (delivered)
        {
            order = [.. delivered];
        }

        order.Should().OnlyHaveUniqueItems().And.HaveCount(Publishers * PerPublisher);
        for (int p = 0; p < Publishers; p++)
        {
            order.Where(body => body / PerPublisher == p).Should().BeInAscendingOrder("publisher {0} published its messages one after another", p);
        }

        subscription.FailedAttemptCount.Should().Be(Volatile.Read(ref failures));
        Volatile.Read(ref attempts).Should().Be((Publishers * PerPublisher) + Volatile.Read(ref failures));
        subscription.PendingCount.Should().Be(0);
        subscription.DroppedCount.Should().Be(0);
    }

    /// <summary>Publishes message 0, waits until its delivery has started (it blocks until released), then publishes the backlog.</summary>
    private async Task PublishBacklogAsync(ITopic<int> topic)
    {
        await topic.PublishAsync(0);
        await Eventually.HoldsAsync(() => !_calls.IsEmpty, "the first delivery is running");
        for (int i = 1; i <= Backlog; i++)
        {
            await topic.PublishAsync(i);
        }
    }

    private ValueTask Record(int body)
    {
        _calls.Enqueue(body);
        return body == 0 ? new ValueTask(_releaseFirst.Task) : ValueTask.CompletedTask;
    }
}
