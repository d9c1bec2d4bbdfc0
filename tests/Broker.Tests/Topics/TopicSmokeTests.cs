using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

public sealed class TopicSmokeTests
{
    [Fact]
    public async Task Publish_ToQueueAndDelegate_DeliversToBoth()
    {
        var clock = new ManualTimeProvider();
        using var broker = new MessageBroker(clock);
        ITopic<string> topic = broker.CreateTopic<string>("order-ready");
        IMessageQueue<string> analytics = broker.CreateQueue<string>("analytics");
        var seen = new TaskCompletionSource<TopicMessage<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        topic.Subscribe(analytics, o => o.FilterPolicy = """{"size":["large"]}""");
        topic.Subscribe((message, _) => { seen.TrySetResult(message); return ValueTask.CompletedTask; });

        PublishResult small = await topic.PublishAsync("latte", new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "small" } });
        PublishResult large = await topic.PublishAsync("mocha", new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" } });

        (await analytics.ReceiveAsync(10)).Select(m => m.Body).Should().Equal("mocha");
        (await seen.Task.WaitAsync(TimeSpan.FromSeconds(5))).MessageId.Should().Be(small.MessageId);
        large.MessageId.Should().NotBe(small.MessageId);
    }

    [Fact]
    public async Task Publish_DelegateAlwaysThrows_DeadLettersAfterRetries()
    {
        var clock = new ManualTimeProvider();
        using var broker = new MessageBroker(clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        int attempts = 0;
        Subscription subscription = topic.Subscribe(
            (_, _) => { Interlocked.Increment(ref attempts); throw new InvalidOperationException("boom"); },
            o =>
            {
                o.DeadLetterQueueName = "t-dlq";
                o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 2, MinDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(2), BackoffFunction = BackoffFunction.Linear };
            });

        await topic.PublishAsync("x");
        await WaitUntil(() => Volatile.Read(ref attempts) == 1 && clock.HasTimerDueWithin(TimeSpan.FromSeconds(1.5)));
        clock.Advance(TimeSpan.FromSeconds(1.5));
        await WaitUntil(() => Volatile.Read(ref attempts) == 2 && clock.HasTimerDueWithin(TimeSpan.FromSeconds(2)));
        clock.Advance(TimeSpan.FromSeconds(2));
        var failed = await dlq.ReceiveAsync(1, waitTime: TimeSpan.FromSeconds(20)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        failed.Should().ContainSingle().Which.Body.Attempts.Should().Be(3);
        subscription.DeadLetteredCount.Should().Be(1);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
