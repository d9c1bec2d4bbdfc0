using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>A subscription's <see cref="Subscription.PendingCount"/>, which a publish counts once per set of subscriptions
/// (the set's feed) rather than once per subscription. Each test holds the subscription under test on its first message,
/// so that everything published to it stays pending until released.</summary>
public sealed class PendingCountTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task PendingCount_SubscribedAfterEarlierPublishes_CountsOnlyWhatCameAfter()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        topic.Subscribe((_, _) => ValueTask.CompletedTask);
        for (int i = 0; i < 5; i++)
        {
            await topic.PublishAsync(i);
        }

        var endpoint = new HeldEndpoint();
        Subscription late = topic.Subscribe(endpoint.Handle);
        late.PendingCount.Should().Be(0);
        await topic.PublishAsync(5);
        await topic.PublishAsync(6);

        late.PendingCount.Should().Be(2);
        endpoint.Release();
        await Eventually.HoldsAsync(() => late.DeliveredCount == 2, "both are delivered");
        late.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task PendingCount_FilterPolicyRejectsSome_CountsOnlyTheMatchingMessages()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        var endpoint = new HeldEndpoint();
        Subscription filtered = topic.Subscribe(endpoint.Handle, o => o.FilterPolicy = """{"kind": ["order"]}""");

        for (int i = 0; i < 10; i++)
        {
            await topic.PublishAsync(i, TopicTestKit.With(("kind", i % 2 == 0 ? "order" : "refund")));
        }

        filtered.PendingCount.Should().Be(5);
        endpoint.Release();
        await Eventually.HoldsAsync(() => filtered.DeliveredCount == 5, "the five orders are delivered");
        filtered.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task PendingCount_EndpointNotConfirmed_CountsNothingUntilItIs()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        var endpoint = new ConfirmableSubscriber();
        Subscription subscription = topic.Subscribe(endpoint);

        await topic.PublishAsync(1);
        await topic.PublishAsync(2);
        subscription.PendingCount.Should().Be(0, "nothing is accepted for an endpoint that has not confirmed");

        endpoint.Confirm();
        await topic.PublishAsync(3);
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 1, "the message after the confirmation is delivered");
        subscription.PendingCount.Should().Be(0);
        endpoint.Received.Should().Equal(3);
    }

    [Fact]
    public async Task PendingCount_SubscriptionsChurningWhilePublishing_StaysExact()
    {
        const int Publishers = 4;
        const int MinimumPerPublisher = 2_000;
        const int MinimumChurns = 100;
        using var broker = new MessageBroker(_clock);
        ITopic<int> topic = broker.CreateTopic<int>("t");
        var heldEndpoint = new HeldEndpoint();
        var evenEndpoint = new HeldEndpoint();
        Subscription held = topic.Subscribe(heldEndpoint.Handle);
        Subscription even = topic.Subscribe(evenEndpoint.Handle, o => o.FilterPolicy = """{"parity": ["even"]}""");
        using var stop = new CancellationTokenSource();
        var churned = new List<Subscription>();
        int churns = 0;
        long published = 0;
        long evenPublished = 0;

        Task churn = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Every subscribe and unsubscribe seals the tally the publishers are counting in.
                Subscription extra = topic.Subscribe((_, _) => ValueTask.CompletedTask);
                churned.Add(extra);
                await topic.UnsubscribeAsync(extra.Id);
                Interlocked.Increment(ref churns);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < MinimumPerPublisher || Volatile.Read(ref churns) < MinimumChurns; i++)
            {
                bool isEven = i % 2 == 0;
                await topic.PublishAsync(i, TopicTestKit.With(("parity", isEven ? "even" : "odd")));
                Interlocked.Increment(ref published);
                if (isEven)
                {
                    Interlocked.Increment(ref evenPublished);
                }
            }
        })));
        await stop.CancelAsync();
        await churn.Bounded();

        churned.Should().HaveCountGreaterThanOrEqualTo(MinimumChurns);
        held.PendingCount.Should().Be(published);
        even.PendingCount.Should().Be(evenPublished);
        churned.Should().OnlyContain(s => s.PendingCount == 0);
        heldEndpoint.Release();
        evenEndpoint.Release();
        await Eventually.HoldsAsync(() => held.DeliveredCount == published, "every message reaches the held subscription");
        await Eventually.HoldsAsync(() => even.DeliveredCount == evenPublished, "every even message reaches the filtered one");
        held.PendingCount.Should().Be(0);
        even.PendingCount.Should().Be(0);
    }

    /// <summary>A delegate endpoint whose first delivery waits until <see cref="Release"/>.</summary>
    private sealed class HeldEndpoint
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public ValueTask Handle(TopicMessage<int> message, CancellationToken cancellationToken)
            => Interlocked.Increment(ref _calls) == 1 ? new ValueTask(_release.Task) : ValueTask.CompletedTask;

        public void Release() => _release.SetResult();
    }

    /// <summary>An endpoint that accepts nothing until it is confirmed, as a webhook waiting for its confirmation.</summary>
    private sealed class ConfirmableSubscriber : ITopicSubscriber<int>
    {
        private volatile bool _confirmed;

        public string Protocol => "test";

        public string Endpoint => "confirmable";

        public bool IsActive => _confirmed;

        public List<int> Received { get; } = [];

        public void Confirm() => _confirmed = true;

        public ValueTask DeliverAsync(TopicMessage<int> message, CancellationToken cancellationToken)
        {
            Received.Add(message.Body);
            return ValueTask.CompletedTask;
        }
    }
}
