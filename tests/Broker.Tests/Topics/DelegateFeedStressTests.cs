using System.Collections.Concurrent;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Delegate subscriptions reading their topic's feed while several publishers publish and other delegate
/// subscriptions come and go, so that the feed is sealed and replaced many times under the readers.</summary>
public sealed class DelegateFeedStressTests
{
    private const int Publishers = 3;
    private const int PerPublisher = 30_000;
    private const int Stride = 1_000_000;
    private const int ChurnRounds = 100;

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task Publish_WhileDelegateSubscriptionsChurn_EveryOneGetsEachMessageOnceInEachPublishersOrder()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        Recorder[] permanent = [new(), new()];
        Subscription[] permanentSubscriptions = Array.ConvertAll(permanent, r => topic.Subscribe(r.Handle));
        var churned = new List<(Subscription Subscription, Recorder Recorder)>();
        var random = new Random(8);
        int published = 0;

        Task[] publishing = Enumerable.Range(0, Publishers).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < PerPublisher; i++)
            {
                await topic.PublishAsync((p * Stride) + i);
                Interlocked.Increment(ref published);
            }
        })).ToArray();

        for (int round = 0; round < ChurnRounds; round++)
        {
            // Spread over the publishing, so that every round meets publishes in flight.
            int due = round * Publishers * PerPublisher / ChurnRounds;
            await Eventually.HoldsAsync(() => Volatile.Read(ref published) >= due, "the publishers reach the round");
            var recorder = new Recorder(slowEvery: 1 + random.Next(50));
            churned.Add((topic.Subscribe(recorder.Handle), recorder));
            if (round % 2 == 1)
            {
                // Half the rounds remove an older churned subscription, which has a backlog or is caught up.
                Subscription[] subscribed = churned.Select(c => c.Subscription).Where(s => !s.IsRemoved).ToArray();
                (await topic.UnsubscribeAsync(subscribed[random.Next(subscribed.Length)].Id).Bounded()).Should().BeTrue();
            }
        }

        await Task.WhenAll(publishing).WaitAsync(TimeSpan.FromSeconds(60));
        foreach ((Subscription subscription, _) in churned.Where(c => !c.Subscription.IsRemoved))
        {
            await Eventually.HoldsAsync(() => subscription.PendingCount == 0, "a remaining subscription delivers its backlog");
        }

        foreach (Subscription subscription in permanentSubscriptions)
        {
            await Eventually.HoldsAsync(() => subscription.PendingCount == 0, "a permanent subscription delivers everything");
        }

        foreach (Recorder recorder in permanent)
        {
            recorder.Bodies.Should().HaveCount(Publishers * PerPublisher);
            recorder.ShouldHaveRunsOfConsecutiveBodies(fromZero: true);
        }

        foreach ((Subscription subscription, Recorder recorder) in churned)
        {
            // A subscription gets every message published while it was in the topic's sets, less, if it was removed, the
            // tail it had not delivered yet: per publisher, one run of consecutive bodies.
            recorder.ShouldHaveRunsOfConsecutiveBodies(fromZero: false);
            subscription.DeliveredCount.Should().Be(recorder.Bodies.Count);
            subscription.PendingCount.Should().Be(0);
        }
    }

    private sealed class Recorder(int slowEvery = 0)
    {
        private readonly ConcurrentQueue<int> _bodies = new();

        public ConcurrentQueue<int> Bodies => _bodies;

        public async ValueTask Handle(TopicMessage<int> message, CancellationToken cancellationToken)
        {
            _bodies.Enqueue(message.Body);
            if (slowEvery > 0 && message.Body % slowEvery == 0)
            {
                await Task.Yield(); // Some deliveries finish asynchronously, so the worker leaves its run and comes back.
            }
        }

        public void ShouldHaveRunsOfConsecutiveBodies(bool fromZero)
        {
            foreach (IGrouping<int, int> publisher in _bodies.GroupBy(b => b / Stride))
            {
                int[] sequence = publisher.Select(b => b % Stride).ToArray();
                int first = fromZero ? 0 : sequence[0];
                sequence.Should().Equal(Enumerable.Range(first, sequence.Length), "publisher {0}'s messages come once each, in order, with none skipped", publisher.Key);
            }
        }
    }
}
