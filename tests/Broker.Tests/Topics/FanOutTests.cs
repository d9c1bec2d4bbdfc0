using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Fan-out to many subscriptions of mixed kinds, and isolation: a throwing, slow or removed subscriber affects no one else.</summary>
public sealed class FanOutTests
{
    private const int Messages = 50;
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task Publish_ManyMixedSubscribers_EachGetsEveryMessageExactlyOnce()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var rawQueues = Enumerable.Range(0, 10).Select(i => broker.CreateQueue<string>($"raw-{i}")).ToList();
        var envelopeQueues = Enumerable.Range(0, 10).Select(i => broker.CreateQueue<TopicMessage<string>>($"envelope-{i}")).ToList();
        var recorders = Enumerable.Range(0, 10).Select(_ => new DeliveryRecorder<string>()).ToList();
        rawQueues.ForEach(q => topic.Subscribe(q));
        envelopeQueues.ForEach(q => topic.Subscribe(q));
        recorders.ForEach(r => topic.Subscribe(r.Handle));
        var published = new List<string>();

        for (int i = 0; i < Messages; i++)
        {
            published.Add($"m{i}");
            await topic.PublishAsync($"m{i}");
        }

        foreach (IMessageQueue<string> queue in rawQueues)
        {
            (await queue.DrainAsync()).Should().Equal(published, "queue {0} gets every message once, in publish order", queue.Name);
        }

        foreach (IMessageQueue<TopicMessage<string>> queue in envelopeQueues)
        {
            (await queue.DrainAsync()).Select(m => m.Body).Should().Equal(published);
        }

        foreach (DeliveryRecorder<string> recorder in recorders)
        {
            (await recorder.NextAsync(Messages)).Select(m => m.Body).Should().Equal(published, "one worker delivers in order");
        }

        await Eventually.HoldsAsync(() => topic.ListSubscriptions().All(s => s.DeliveredCount == Messages && s.PendingCount == 0), "every count settles");
        recorders.Should().OnlyContain(r => r.Count == Messages);
    }

    [Fact]
    public async Task Publish_MixedFilters_EachSubscriptionGetsOnlyItsMatches()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> large = broker.CreateQueue<string>("large");
        IMessageQueue<TopicMessage<string>> hot = broker.CreateQueue<TopicMessage<string>>("hot");
        var everything = new DeliveryRecorder<string>();
        var largeHot = new DeliveryRecorder<string>();
        topic.Subscribe(large, o => o.FilterPolicy = """{"size": ["large"]}""");
        topic.Subscribe(hot, o => o.FilterPolicy = """{"temp": ["hot"]}""");
        topic.Subscribe(everything.Handle);
        topic.Subscribe(largeHot.Handle, o => o.FilterPolicy = """{"size": ["large"], "temp": ["hot"]}""");

        await topic.PublishAsync("large-hot", TopicTestKit.With(("size", "large"), ("temp", "hot")));
        await topic.PublishAsync("large-cold", TopicTestKit.With(("size", "large"), ("temp", "cold")));
        await topic.PublishAsync("small-hot", TopicTestKit.With(("size", "small"), ("temp", "hot")));
        await topic.PublishAsync("bare");

        (await large.DrainAsync()).Should().Equal("large-hot", "large-cold");
        (await hot.DrainAsync()).Select(m => m.Body).Should().Equal("large-hot", "small-hot");
        (await everything.NextAsync(4)).Select(m => m.Body).Should().Equal("large-hot", "large-cold", "small-hot", "bare");
        (await largeHot.NextAsync()).Single().Body.Should().Be("large-hot");
        largeHot.Count.Should().Be(1);
    }

    [Fact]
    public async Task Publish_ThrowingDelegate_OthersGetEveryMessage()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        var healthy = new DeliveryRecorder<string>();
        Subscription failing = topic.Subscribe(
            (_, _) => throw new InvalidOperationException("always"),
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 0 });
        topic.Subscribe(queue);
        topic.Subscribe(healthy.Handle);

        for (int i = 0; i < 10; i++)
        {
            await topic.PublishAsync($"m{i}");
        }

        (await queue.DrainAsync()).Should().HaveCount(10);
        (await healthy.NextAsync(10)).Should().HaveCount(10);
        await Eventually.HoldsAsync(() => failing.DroppedCount == 10, "the failing subscription drops each message after its one attempt");
        failing.FailedAttemptCount.Should().Be(10);
        failing.DeliveredCount.Should().Be(0);
    }

    [Fact]
    public async Task Publish_DelegateThrowingSynchronouslyAndAsynchronously_NeverReachesThePublisher()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        topic.Subscribe((_, _) => throw new InvalidOperationException("sync"), o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 0 });
        topic.Subscribe(async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("async");
        }, o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 0 });

        Func<Task> publish = async () => await topic.PublishAsync("x");

        await publish.Should().NotThrowAsync();
        await Eventually.HoldsAsync(() => topic.ListSubscriptions().All(s => s.DroppedCount == 1), "both failures are handled on the subscriptions' paths");
    }

    [Fact]
    public async Task Publish_SlowDelegate_DoesNotDelayThePublisherOrTheOthers()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var healthy = new DeliveryRecorder<string>();
        int slowStarted = 0;
        Subscription slow = topic.Subscribe(async (_, _) =>
        {
            Interlocked.Increment(ref slowStarted);
            await release.Task;
        });
        topic.Subscribe(queue);
        topic.Subscribe(healthy.Handle);

        for (int i = 0; i < 20; i++)
        {
            Task<PublishResult> publish = topic.PublishAsync($"m{i}").AsTask();
            publish.IsCompleted.Should().BeTrue("publishing only hands the message to each subscription");
            await publish;
        }

        (await queue.DrainAsync()).Should().HaveCount(20);
        (await healthy.NextAsync(20)).Should().HaveCount(20);
        Volatile.Read(ref slowStarted).Should().Be(1, "the slow subscription is still on its first message");
        slow.PendingCount.Should().Be(20);

        release.SetResult();
        await Eventually.HoldsAsync(() => slow.DeliveredCount == 20, "the slow subscription catches up");
        slow.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Publish_SlowDelegateWithConcurrency_RunsDeliveriesInParallel()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int running = 0;
        Subscription subscription = topic.Subscribe(
            async (_, _) =>
            {
                Interlocked.Increment(ref running);
                await release.Task;
            },
            o => o.MaxConcurrency = 4);

        for (int i = 0; i < 6; i++)
        {
            await topic.PublishAsync($"m{i}");
        }

        await Eventually.HoldsAsync(() => Volatile.Read(ref running) == 4, "four deliveries run at once");
        Volatile.Read(ref running).Should().Be(4, "no more than MaxConcurrency deliveries start");
        release.SetResult();
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 6, "all are delivered");
    }

    [Fact]
    public async Task Publish_UnsubscribedDelegate_IsSkippedWhileTheOthersContinue()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        var removed = new DeliveryRecorder<string>();
        var kept = new DeliveryRecorder<string>();
        Subscription removedSubscription = topic.Subscribe(removed.Handle);
        topic.Subscribe(kept.Handle);
        topic.Subscribe(queue);
        await topic.PublishAsync("before");
        await removed.NextAsync();

        await topic.UnsubscribeAsync(removedSubscription.Id).Bounded();
        await topic.PublishAsync("after");

        (await kept.NextAsync(2)).Select(m => m.Body).Should().Equal("before", "after");
        (await queue.DrainAsync()).Should().Equal("before", "after");
        removed.Seen.Select(m => m.Body).Should().Equal("before");
    }

    [Fact]
    public async Task Publish_DeletedQueueSubscriber_IsAPermanentFailureAndTheOthersContinue()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> doomed = broker.CreateQueue<string>("doomed");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq");
        var healthy = new DeliveryRecorder<string>();
        Subscription toDoomed = topic.Subscribe(doomed, o => o.DeadLetterQueueName = "dlq");
        topic.Subscribe(healthy.Handle);
        broker.DeleteQueue("doomed");

        await topic.PublishAsync("x");

        (await healthy.NextAsync()).Single().Body.Should().Be("x");
        FailedDelivery<string> failed = await dlq.NextDeadLetterAsync();
        failed.Attempts.Should().Be(1, "a deleted queue is not retried");
        failed.Protocol.Should().Be("queue");
        failed.Endpoint.Should().Be("doomed");
        toDoomed.DeadLetteredCount.Should().Be(1);
    }

    [Fact]
    public async Task Publish_MessageTooLargeForTheQueue_IsDeadLetteredWithoutRetries()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> small = broker.CreateQueue<string>("small", o => o.MaximumMessageSize = 1024);
        broker.CreateQueue<FailedDelivery<string>>("dlq");
        Subscription subscription = topic.Subscribe(small, o => o.DeadLetterQueueName = "dlq");

        await topic.PublishAsync(new string('x', 2000));

        await Eventually.HoldsAsync(() => subscription.DeadLetteredCount == 1, "the refused message is dead-lettered");
        subscription.FailedAttemptCount.Should().Be(1);
        (await small.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task Publish_FullQueueThatFailsFast_IsRetriedUntilThereIsRoom()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> bounded = broker.CreateQueue<string>("bounded", o =>
        {
            o.Capacity = 1;
            o.FullMode = QueueFullMode.Fail;
        });
        Subscription subscription = topic.Subscribe(bounded, o => o.DeliveryPolicy = new DeliveryPolicy
        {
            NumRetries = 1,
            MinDelay = TimeSpan.FromSeconds(3),
            MaxDelay = TimeSpan.FromSeconds(3),
        });
        await topic.PublishAsync("first");

        await topic.PublishAsync("second");
        await Eventually.HoldsAsync(() => subscription.FailedAttemptCount == 1 && _clock.HasTimerDueWithin(TimeSpan.FromSeconds(3)), "the full queue's refusal is scheduled for a retry");
        ReceivedMessage<string> first = await bounded.ReceiveSingleAsync();
        await bounded.DeleteAsync(first.ReceiptHandle);
        _clock.Advance(TimeSpan.FromSeconds(3));

        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 2, "the retry finds room");
        (await bounded.ReceiveSingleAsync()).Body.Should().Be("second");
    }
}
