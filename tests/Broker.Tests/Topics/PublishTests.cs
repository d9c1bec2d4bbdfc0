using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Single publishes and the life of a subscription: ids, listing, acceptance, unsubscribing.</summary>
public sealed class PublishTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task PublishAsync_NoSubscriptions_ReturnsADistinctIdEachTime()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        PublishResult first = await topic.PublishAsync("a");
        PublishResult second = await topic.PublishAsync("a");

        first.MessageId.Should().NotBe(second.MessageId);
        first.SequenceNumber.Should().BeNull();
    }

    [Fact]
    public async Task PublishAsync_QueueSubscriber_MessageIsInTheQueueWhenPublishReturns()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;
        Subscription subscription = setup.Subscription;

        await topic.PublishAsync("latte");

        (await queue.CountsAsync()).Visible.Should().Be(1, "a queue subscription accepts by putting the message in its queue");
        subscription.DeliveredCount.Should().Be(1);
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_DelegateSubscriber_DeliversTheSameIdThePublisherGot()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);

        PublishResult result = await topic.PublishAsync("latte");

        (await recorder.NextAsync()).Single().MessageId.Should().Be(result.MessageId);
    }

    [Fact]
    public async Task PublishAsync_NonMatchingFilter_IsNotAcceptedByThatSubscription()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        Subscription subscription = topic.Subscribe(queue, o => o.FilterPolicy = """{"size": ["large"]}""");

        await topic.PublishAsync("small one", TopicTestKit.With(("size", "small")));
        await topic.PublishAsync("no attributes");
        await topic.PublishAsync("large one", TopicTestKit.With(("size", "large")));

        (await queue.DrainAsync()).Should().Equal("large one");
        subscription.DeliveredCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_BodyScopeFilter_MatchesTheJsonFormOfTheBody()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<CoffeeOrder> topic = broker.CreateTopic<CoffeeOrder>("t");
        var recorder = new DeliveryRecorder<CoffeeOrder>();
        topic.Subscribe(recorder.Handle, o =>
        {
            o.FilterPolicyScope = Broker.Topics.Filtering.FilterPolicyScope.MessageBody;
            o.FilterPolicy = """{"Customer": ["Ana"]}""";
        });

        await topic.PublishAsync(new CoffeeOrder("Bo", "tea"));
        await topic.PublishAsync(new CoffeeOrder("Ana", "latte"));

        (await recorder.NextAsync()).Single().Body.Customer.Should().Be("Ana");
        recorder.Count.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_AttributeDictionaryChangedAfterwards_SubscribersSeeTheOriginal()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);
        Dictionary<string, MessageAttributeValue> attributes = TopicTestKit.Attributes(("size", "large"));

        await topic.PublishAsync("x", new PublishOptions { Attributes = attributes });
        attributes["size"] = "small";
        attributes["extra"] = "y";

        TopicMessage<string> delivered = (await recorder.NextAsync()).Single();
        delivered.Attributes.Should().ContainSingle().Which.Value.StringValue.Should().Be("large");
    }

    [Fact]
    public void Subscribe_ReturnsSubscriptionsWithUniqueIdsListedInOrder()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        IMessageQueue<TopicMessage<string>> envelopes = broker.CreateQueue<TopicMessage<string>>("e");

        Subscription raw = topic.Subscribe(queue);
        Subscription enveloped = topic.Subscribe(envelopes);
        Subscription function = topic.Subscribe((_, _) => ValueTask.CompletedTask);

        topic.ListSubscriptions().Should().Equal(raw, enveloped, function);
        new[] { raw.Id, enveloped.Id, function.Id }.Should().OnlyHaveUniqueItems();
        raw.TopicName.Should().Be("t");
        (raw.Protocol, raw.Endpoint, raw.RawMessageDelivery).Should().Be(("queue", "q", true));
        (enveloped.Protocol, enveloped.Endpoint, enveloped.RawMessageDelivery).Should().Be(("queue", "e", false));
        (function.Protocol, function.RawMessageDelivery).Should().Be(("delegate", false));
    }

    [Fact]
    public void Subscribe_SameQueueTwice_MakesTwoSubscriptions()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");

        Subscription first = topic.Subscribe(queue);
        Subscription second = topic.Subscribe(queue);

        second.Id.Should().NotBe(first.Id);
        topic.ListSubscriptions().Should().HaveCount(2);
    }

    [Fact]
    public void Subscribe_WithFilter_ExposesThePolicyAndScope()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Subscription filtered = topic.Subscribe((_, _) => ValueTask.CompletedTask, o => o.FilterPolicy = """{"size": ["large"]}""");
        Subscription unfiltered = topic.Subscribe((_, _) => ValueTask.CompletedTask);

        filtered.FilterPolicy.Should().Contain("size").And.Contain("large");
        filtered.FilterPolicyScope.Should().Be(Broker.Topics.Filtering.FilterPolicyScope.MessageAttributes);
        unfiltered.FilterPolicy.Should().BeNull();
    }

    [Fact]
    public async Task Subscribe_OptionsChangedInsideConfigureAfterwards_DoNotAffectTheSubscription()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        SubscriptionOptions? captured = null;
        topic.Subscribe(queue, o =>
        {
            o.FilterPolicy = """{"size": ["large"]}""";
            captured = o;
        });

        captured!.FilterPolicy = null;
        await topic.PublishAsync("small", TopicTestKit.With(("size", "small")));

        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task UnsubscribeAsync_Existing_RemovesItAndLaterPublishesSkipIt()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        Subscription kept = topic.Subscribe((_, _) => ValueTask.CompletedTask);
        Subscription removed = topic.Subscribe(queue);

        bool result = await topic.UnsubscribeAsync(removed.Id).Bounded();
        await topic.PublishAsync("after");

        result.Should().BeTrue();
        removed.IsRemoved.Should().BeTrue();
        topic.ListSubscriptions().Should().Equal(kept);
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task UnsubscribeAsync_UnknownOrAlreadyRemoved_ReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        Subscription subscription = topic.Subscribe((_, _) => ValueTask.CompletedTask);
        await topic.UnsubscribeAsync(subscription.Id).Bounded();

        bool again = await topic.UnsubscribeAsync(subscription.Id).Bounded();
        bool unknown = await topic.UnsubscribeAsync("t:nothing").Bounded();

        again.Should().BeFalse();
        unknown.Should().BeFalse();
    }

    [Fact]
    public async Task DisposeAsync_Subscription_Unsubscribes()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        Subscription subscription = topic.Subscribe((_, _) => ValueTask.CompletedTask);

        await subscription.DisposeAsync().Bounded();

        subscription.IsRemoved.Should().BeTrue();
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public async Task UnsubscribeAsync_IdOfAnotherTopic_LeavesThatSubscription()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> one = broker.CreateTopic<string>("one");
        ITopic<string> two = broker.CreateTopic<string>("two");
        Subscription onTwo = two.Subscribe((_, _) => ValueTask.CompletedTask);

        bool removed = await one.UnsubscribeAsync(onTwo.Id).Bounded();

        removed.Should().BeFalse();
        onTwo.IsRemoved.Should().BeFalse();
        two.ListSubscriptions().Should().ContainSingle();
    }

    [Fact]
    public async Task UnsubscribeAsync_BacklogNotDelivered_DropsItAndPendingReturnsToZero()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int invocations = 0;
        Subscription subscription = topic.Subscribe(async (_, cancellationToken) =>
        {
            Interlocked.Increment(ref invocations);
            await release.Task.WaitAsync(cancellationToken);
        });
        for (int i = 0; i < 5; i++)
        {
            await topic.PublishAsync($"m{i}");
        }

        await Eventually.HoldsAsync(() => Volatile.Read(ref invocations) == 1, "the first delivery is running");
        subscription.PendingCount.Should().Be(5);
        await topic.UnsubscribeAsync(subscription.Id).Bounded();

        Volatile.Read(ref invocations).Should().Be(1);
        subscription.PendingCount.Should().Be(0);
        subscription.DeliveredCount.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_QueueFullAndWaiting_ReturnsAtOnceAndDeliversWhenThereIsRoom()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q", o => o.Capacity = 1);
        Subscription subscription = topic.Subscribe(queue);
        await topic.PublishAsync("first");

        Task<PublishResult> second = topic.PublishAsync("second").AsTask();

        second.IsCompletedSuccessfully.Should().BeTrue("a full queue does not hold up the publisher; the subscription keeps the message");
        subscription.PendingCount.Should().Be(1);
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync();
        await queue.DeleteAsync(first.ReceiptHandle);
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 2, "the waiting message enters the queue");
        (await queue.ReceiveSingleAsync()).Body.Should().Be("second");
    }

    [Fact]
    public async Task UnsubscribeAsync_SendWaitingForRoomInAFullQueue_IsAbandonedAndNeverArrives()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q", o => o.Capacity = 1);
        Subscription subscription = topic.Subscribe(queue);
        await topic.PublishAsync("first");
        await topic.PublishAsync("waiting");

        await topic.UnsubscribeAsync(subscription.Id).Bounded();
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync();
        await queue.DeleteAsync(first.ReceiptHandle);

        subscription.PendingCount.Should().Be(0);
        subscription.DeliveredCount.Should().Be(1);
        (await queue.CountsAsync()).Visible.Should().Be(0, "the unsubscribe cancelled the send that waited for room");
    }
}
