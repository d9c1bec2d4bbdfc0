using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

public sealed class SubscriberHookTests
{
    [Fact]
    public void Subscribe_CustomSubscriber_ReceivesItsSubscriptionAndTheBrokerSettings()
    {
        var clock = new ManualTimeProvider();
        using var broker = new MessageBroker(clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var subscriber = new ProbeSubscriber();

        Subscription subscription = topic.Subscribe(subscriber);

        subscriber.Context.Should().NotBeNull();
        subscriber.Context!.Subscription.Should().BeSameAs(subscription);
        subscriber.Context.TimeProvider.Should().BeSameAs(clock);
        subscriber.Context.JsonSerializerOptions.Should().BeSameAs(broker.JsonSerializerOptions);
    }

    [Fact]
    public async Task Publish_SubscriberNotActive_MessageIsNotAccepted()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var subscriber = new ProbeSubscriber { Active = false };
        Subscription subscription = topic.Subscribe(subscriber);

        await topic.PublishAsync("early");
        subscriber.Active = true;
        await topic.PublishAsync("late");
        TopicMessage<string> delivered = await subscriber.Delivered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        delivered.Body.Should().Be("late");
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public void Subscribe_OnSubscribedThrows_AddsNoSubscription()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.Subscribe(new ProbeSubscriber { Refuse = true });

        subscribe.Should().Throw<InvalidOperationException>();
        topic.ListSubscriptions().Should().BeEmpty();
    }

    private sealed class ProbeSubscriber : ITopicSubscriber<string>
    {
        public SubscriberContext? Context { get; private set; }

        public volatile bool Active = true;

        public bool Refuse { get; init; }

        public TaskCompletionSource<TopicMessage<string>> Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Protocol => "probe";

        public string Endpoint => "probe";

        public bool IsActive => Active;

        public void OnSubscribed(SubscriberContext context)
        {
            if (Refuse)
            {
                throw new InvalidOperationException("refused");
            }

            Context = context;
        }

        public ValueTask DeliverAsync(TopicMessage<string> message, CancellationToken cancellationToken)
        {
            Delivered.TrySetResult(message);
            return ValueTask.CompletedTask;
        }
    }
}
