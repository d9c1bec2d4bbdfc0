using System.Collections.Concurrent;
using System.Globalization;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Bounded stress: subscribing, unsubscribing and deleting while publishers run. Checks invariants, never timing.</summary>
public sealed class SubscriptionRaceTests
{
    private const int Publishers = 3;
    private const int ChurnRounds = 40;

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task SubscribeUnsubscribe_WhilePublishing_EachQueueGetsItsWindowAndNothingAfterUnsubscribe()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> permanent = broker.CreateQueue<string>("permanent");
        topic.Subscribe(permanent);
        var progress = new PublisherProgress(Publishers);
        var windows = new List<Window>();

        Task publishing = progress.RunAsync(topic);
        for (int round = 0; round < ChurnRounds; round++)
        {
            IMessageQueue<string> queue = broker.CreateQueue<string>($"churn-{round}");
            Subscription subscription = topic.Subscribe(queue);
            int[] startedAtSubscribe = progress.BeginRound();
            await progress.AdvancedAsync(startedAtSubscribe, more: 2); // so every window has messages it must hold
            int[] completedBeforeUnsubscribe = progress.Completed();
            (await topic.UnsubscribeAsync(subscription.Id).Bounded()).Should().BeTrue();
            long countAtReturn = (await queue.CountsAsync()).Visible;
            windows.Add(new Window(queue, startedAtSubscribe, completedBeforeUnsubscribe, countAtReturn));
        }

        progress.Stop();
        await publishing.Bounded();

        foreach (Window window in windows)
        {
            List<string> bodies = await window.Queue.DrainAsync();
            bodies.Count.Should().Be((int)window.CountAtUnsubscribeReturn, "{0} receives nothing after its unsubscribe returned", window.Queue.Name);
            for (int p = 0; p < Publishers; p++)
            {
                List<int> indexes = IndexesOf(bodies, p);
                indexes.Should().BeInAscendingOrder();
                if (indexes.Count > 0)
                {
                    (indexes[^1] - indexes[0] + 1).Should().Be(indexes.Count, "a subscription's messages from one publisher have no gaps");
                }

                for (int i = window.StartedAtSubscribe[p]; i < window.CompletedBeforeUnsubscribe[p]; i++)
                {
                    indexes.Should().Contain(i, "publisher {0}'s message {1} was published while {2} was subscribed", p, i, window.Queue.Name);
                }
            }
        }

        (await permanent.DrainAsync()).Should().HaveCount(progress.Total, "a subscription nobody touched gets every message");
    }

    [Fact]
    public async Task SubscribeUnsubscribe_DelegatesWhilePublishing_NoDeliveryStartsAfterUnsubscribeReturns()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var permanent = new DeliveryRecorder<string>();
        topic.Subscribe(permanent.Handle);
        var progress = new PublisherProgress(Publishers);
        int lateDeliveries = 0;
        var probes = new List<(Subscription Subscription, Probe Probe, int CountAtReturn)>();

        Task publishing = progress.RunAsync(topic);
        for (int round = 0; round < ChurnRounds; round++)
        {
            var probe = new Probe();
            Subscription subscription = topic.Subscribe(
                async (_, cancellationToken) =>
                {
                    if (probe.Unsubscribed)
                    {
                        Interlocked.Increment(ref lateDeliveries);
                    }

                    Interlocked.Increment(ref probe.Count);
                    if (probe.Count % 7 == 0)
                    {
                        await Task.Yield(); // Some deliveries finish asynchronously, so unsubscribes also meet running ones.
                    }
                },
                o => o.MaxConcurrency = 1 + (round % 3));
            _ = progress.BeginRound(); // messages started from here on reach the new subscription
            if (round % 2 == 0)
            {
                // Half the rounds unsubscribe once deliveries are flowing, the others at once.
                await Eventually.HoldsAsync(() => Volatile.Read(ref probe.Count) > 0, "the subscription has deliveries");
            }

            await topic.UnsubscribeAsync(subscription.Id).Bounded();
            probe.Unsubscribed = true;
            probes.Add((subscription, probe, Volatile.Read(ref probe.Count)));
        }

        progress.Stop();
        await publishing.Bounded();
        await permanent.NextAsync(progress.Total);

        Volatile.Read(ref lateDeliveries).Should().Be(0);
        probes.Should().OnlyContain(p => Volatile.Read(ref p.Probe.Count) == p.CountAtReturn);
        probes.Should().OnlyContain(p => p.Subscription.PendingCount == 0 && p.Subscription.IsRemoved);
        topic.ListSubscriptions().Should().ContainSingle();
    }

    [Fact]
    public async Task UnsubscribeAsync_RacingRoomFreedInAFullQueue_NothingArrivesAfterItReturns()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var hidden = TimeSpan.FromHours(1);

        for (int round = 0; round < 300; round++)
        {
            IMessageQueue<string> queue = broker.CreateQueue<string>($"full-{round}", o => { o.Capacity = 1; o.FullMode = QueueFullMode.Wait; });
            await queue.SendAsync("filler");
            ReceiptHandle filler = (await queue.ReceiveAsync(visibilityTimeout: hidden)).Single().ReceiptHandle; // in flight, still filling the queue
            Subscription subscription = topic.Subscribe(queue);
            await topic.PublishAsync("published"); // accepted; its send waits for room

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task freeRoom = Task.Run(async () => { await gate.Task; await queue.DeleteAsync(filler); });
            Task<int> unsubscribe = Task.Run(async () =>
            {
                await gate.Task;
                await topic.UnsubscribeAsync(subscription.Id);
                return (await queue.ReceiveAsync(maxMessages: 10, visibilityTimeout: hidden)).Count;
            });

            gate.SetResult();
            int presentAtReturn = await unsubscribe.Bounded();
            await freeRoom.Bounded();

            presentAtReturn.Should().BeLessThanOrEqualTo(1);
            (await queue.ReceiveAsync(maxMessages: 10)).Should().BeEmpty("round {0}: nothing reaches the queue after the unsubscribe returned", round);
            broker.DeleteQueue(queue.Name);
        }
    }

    [Fact]
    public async Task UnsubscribeAsync_SameIdFromTwoTasksAtOnce_ExactlyOneRemovesIt()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        for (int round = 0; round < 200; round++)
        {
            Subscription subscription = topic.Subscribe((_, _) => ValueTask.CompletedTask);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<bool> first = Task.Run(async () => { await gate.Task; return await topic.UnsubscribeAsync(subscription.Id); });
            Task<bool> second = Task.Run(async () => { await gate.Task; return await topic.UnsubscribeAsync(subscription.Id); });

            gate.SetResult();
            bool[] results = await Task.WhenAll(first, second).Bounded();

            results.Count(r => r).Should().Be(1);
            subscription.IsRemoved.Should().BeTrue();
        }

        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public async Task Subscribe_FromManyTasksAtOnce_ListsEverySubscriptionOnce()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<Subscription>[] subscribing = Enumerable.Range(0, 64)
            .Select(_ => Task.Run(async () => { await gate.Task; return topic.Subscribe((_, _) => ValueTask.CompletedTask); }))
            .ToArray();
        gate.SetResult();
        Subscription[] subscriptions = await Task.WhenAll(subscribing).Bounded();

        topic.ListSubscriptions().Should().BeEquivalentTo(subscriptions);
        subscriptions.Select(s => s.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task DeleteTopicAsync_WhilePublishing_PublishersSeeOnlySuccessOrTopicDoesNotExist()
    {
        for (int round = 0; round < 20; round++)
        {
            using var broker = new MessageBroker(_clock);
            ITopic<string> topic = broker.CreateTopic<string>("t");
            IMessageQueue<string> queue = broker.CreateQueue<string>("q");
            var probe = new Probe();
            int lateDeliveries = 0;
            topic.Subscribe(queue);
            topic.Subscribe((_, _) =>
            {
                if (probe.Unsubscribed)
                {
                    Interlocked.Increment(ref lateDeliveries);
                }

                return ValueTask.CompletedTask;
            });
            var unexpected = new ConcurrentQueue<Exception>();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task[] publishers = Enumerable.Range(0, Publishers).Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                for (int i = 0; i < 300; i++)
                {
                    try
                    {
                        await topic.PublishAsync("m");
                    }
                    catch (BrokerException e) when (e.ErrorCode == BrokerErrorCode.TopicDoesNotExist)
                    {
                        return;
                    }
                    catch (Exception e)
                    {
                        unexpected.Enqueue(e);
                        return;
                    }
                }
            })).ToArray();

            gate.SetResult();
            await Task.Yield();
            (await broker.DeleteTopicAsync("t").Bounded()).Should().BeTrue();
            probe.Unsubscribed = true;
            long countAtReturn = (await queue.CountsAsync()).Visible;
            await Task.WhenAll(publishers).Bounded();

            unexpected.Should().BeEmpty();
            (await queue.CountsAsync()).Visible.Should().Be(countAtReturn, "nothing reaches the queue after the delete returned");
            Volatile.Read(ref lateDeliveries).Should().Be(0);
        }
    }

    private static List<int> IndexesOf(List<string> bodies, int publisher)
    {
        string prefix = publisher.ToString(CultureInfo.InvariantCulture) + ":";
        return bodies.Where(b => b.StartsWith(prefix, StringComparison.Ordinal))
            .Select(b => int.Parse(b.AsSpan(prefix.Length), CultureInfo.InvariantCulture))
            .ToList();
    }

    private sealed record Window(IMessageQueue<string> Queue, int[] StartedAtSubscribe, int[] CompletedBeforeUnsubscribe, long CountAtUnsubscribeReturn);

    private sealed class Probe
    {
        public int Count;

        public volatile bool Unsubscribed;
    }

    /// <summary>Publishers that each publish "p:i" in sequence and count the publishes they started and completed.</summary>
    /// <remarks>The publishers run at most <see cref="Lead"/> publishes ahead of the round the test last began. Unpaced, on a
    /// busy processor they could reach any fixed bound before the test's rounds were done, and a round waiting for their
    /// progress would then wait in vain.</remarks>
    private sealed class PublisherProgress(int publishers)
    {
        private const int Lead = 1_000;

        private readonly int[] _started = new int[publishers];
        private readonly int[] _completed = new int[publishers];
        private int _limit = Lead;
        private TaskCompletionSource _limitRaised = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _stopped;

        public int[] Completed() => Snapshot(_completed);

        public int Total => Completed().Sum();

        /// <summary>Begins a round: lets every publisher run <see cref="Lead"/> publishes beyond the furthest one started.</summary>
        /// <returns>What each publisher had started when the round began.</returns>
        public int[] BeginRound()
        {
            int[] started = Snapshot(_started);
            Volatile.Write(ref _limit, started.Max() + Lead);
            WakePublishers();
            return started;
        }

        public void Stop()
        {
            _stopped = true;
            WakePublishers();
        }

        /// <summary>Waits until every publisher has completed <paramref name="more"/> publishes beyond <paramref name="from"/>.</summary>
        public Task AdvancedAsync(int[] from, int more)
            => Eventually.HoldsAsync(() => Completed().Zip(from).All(pair => pair.First >= pair.Second + more), "every publisher made progress");

        /// <summary>Publishes until <see cref="Stop"/>, pausing at the round's limit.</summary>
        public Task RunAsync(ITopic<string> topic)
            => Task.WhenAll(Enumerable.Range(0, _started.Length).Select(p => Task.Run(async () =>
            {
                int i = 0;
                while (!_stopped)
                {
                    // Read before the limit: a round that raises the limit after this read also completes this task.
                    Task limitRaised = Volatile.Read(ref _limitRaised).Task;
                    if (i >= Volatile.Read(ref _limit))
                    {
                        await limitRaised;
                        continue;
                    }

                    Volatile.Write(ref _started[p], i + 1);
                    await topic.PublishAsync(string.Create(CultureInfo.InvariantCulture, $"{p}:{i}"));
                    Volatile.Write(ref _completed[p], i + 1);
                    if (i % 64 == 0)
                    {
                        await Task.Yield();
                    }

                    i++;
                }
            })));

        private void WakePublishers()
            => Interlocked.Exchange(ref _limitRaised, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        private static int[] Snapshot(int[] counters)
        {
            var copy = new int[counters.Length];
            for (int i = 0; i < counters.Length; i++)
            {
                copy[i] = Volatile.Read(ref counters[i]);
            }

            return copy;
        }
    }
}
