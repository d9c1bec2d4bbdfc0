using Broker.Hosting.Consumers;
using Broker.Hosting.DependencyInjection;
using Broker.Hosting.Tests.Support;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.Diagnostics;

public sealed class MetricsTests
{
    [Fact]
    public async Task Consumer_SuccessAndPoison_RecordsSendReceiveDeleteDeadLetterAndDuration()
    {
        using var metrics = new MetricCollector("metrics-consumer");
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("metrics-consumer", o => o.DeadLetter("metrics-consumer-dlq", maxReceiveCount: 2))
                .AddQueue<string>("metrics-consumer-dlq")
                .AddConsumer<PoisonAwareHandler, string>("metrics-consumer", c => { c.RetryDelay = TimeSpan.Zero; c.MaxRetryDelay = TimeSpan.Zero; }),
            new ManualTimeProvider());
        await host.StartAsync();
        IMessageQueue<string> orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("metrics-consumer");

        await orders.SendAsync("ok");
        await orders.SendAsync("poison");
        await TestHost.WaitUntilAsync(() => metrics.Sum("broker.messages.dead_lettered", "metrics-consumer") == 1 && metrics.Sum("broker.messages.deleted", "metrics-consumer") == 1, "one message is deleted and one dead-lettered");
        await host.StopAsync();

        ShouldBeTagged(metrics.Of("messaging.client.sent.messages").Where(m => m.Destination == "metrics-consumer"), "send").Sum(m => m.Value).Should().Be(2);
        ShouldBeTagged(metrics.Of("messaging.client.consumed.messages").Where(m => m.Destination == "metrics-consumer"), "receive").Sum(m => m.Value).Should().BeGreaterThanOrEqualTo(3, "ok once and poison twice");
        ShouldBeTagged(metrics.Of("broker.messages.deleted"), "delete").Should().ContainSingle().Which.Value.Should().Be(1);
        ShouldBeTagged(metrics.Of("broker.messages.dead_lettered"), "dead_letter").Should().ContainSingle().Which.Destination.Should().Be("metrics-consumer", "the source queue is the destination");
        IReadOnlyList<MetricCollector.Measurement> durations = metrics.Of("messaging.process.duration");
        ShouldBeTagged(durations, "process").Should().HaveCount(3);
        durations.Should().OnlyContain(m => m.Unit == "s" && m.Destination == "metrics-consumer" && m.Value >= 0);
        durations.Count(m => m.Tag("error.type") == typeof(InvalidOperationException).FullName).Should().Be(2);
        durations.Count(m => m.Tag("error.type") is null).Should().Be(1);
    }

    [Fact]
    public async Task VisibilityTimeoutLapses_RecordsRedelivered()
    {
        var clock = new ManualTimeProvider();
        using var metrics = new MetricCollector("metrics-redeliver");
        using IHost host = TestHost.Build(b => b.AddQueue<string>("metrics-redeliver", o => o.VisibilityTimeout = TimeSpan.FromSeconds(5)), clock);
        await host.StartAsync();
        IMessageQueue<string> queue = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("metrics-redeliver");
        await queue.SendAsync("forgotten");
        await queue.ReceiveAsync();

        clock.Advance(TimeSpan.FromSeconds(4));
        double early = metrics.Sum("broker.messages.redelivered", "metrics-redeliver");
        clock.Advance(TimeSpan.FromSeconds(1));
        await host.StopAsync();

        early.Should().Be(0);
        ShouldBeTagged(metrics.Of("broker.messages.redelivered"), "redeliver").Should().ContainSingle().Which.Value.Should().Be(1);
    }

    [Fact]
    public async Task QueueGauges_ReportVisibleInFlightDelayedAndOldestAge()
    {
        var clock = new ManualTimeProvider();
        using var metrics = new MetricCollector("metrics-gauges");
        using IHost host = TestHost.Build(b => b.AddQueue<string>("metrics-gauges"), clock);
        await host.StartAsync();
        IMessageQueue<string> queue = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("metrics-gauges");
        await queue.SendAsync("first");
        clock.Advance(TimeSpan.FromSeconds(1));
        await queue.SendAsync("second");
        await queue.SendAsync("later", new SendOptions { Delay = TimeSpan.FromMinutes(1) });
        await queue.SendAsync("third");
        await queue.ReceiveAsync();

        clock.Advance(TimeSpan.FromSeconds(2));
        metrics.Observe();
        await host.StopAsync();

        IReadOnlyList<MetricCollector.Measurement> depths = metrics.Of("broker.queue.messages");
        depths.Should().OnlyContain(m => m.Unit == "{message}");
        depths.ToDictionary(m => m.Tag("broker.queue.state")!, m => m.Value).Should().Equal(new Dictionary<string, double> { ["visible"] = 2, ["in_flight"] = 1, ["delayed"] = 1 });
        MetricCollector.Measurement age = metrics.Of("broker.queue.oldest_message.age").Should().ContainSingle().Subject;
        age.Unit.Should().Be("s");
        age.Value.Should().Be(3, "the first message was sent three seconds ago");
    }

    [Fact]
    public async Task Publish_ToQueueAndHandlers_RecordsPublishedDeliveredPerKindAndFailures()
    {
        using var metrics = new MetricCollector("metrics-events");
        using IHost host = TestHost.Build(b => b
            .AddQueue<string>("metrics-events-copy")
            .AddQueue<FailedDelivery<string>>("metrics-events-failed")
            .AddTopic<string>("metrics-events", t => t
                .SubscribeQueue("metrics-events-copy")
                .Subscribe<OkTopicHandler>()
                .Subscribe<FailingTopicHandler>(configure: o => { o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 0 }; o.DeadLetterQueueName = "metrics-events-failed"; })));
        await host.StartAsync();

        await host.Services.GetRequiredKeyedService<ITopic<string>>("metrics-events").PublishAsync("news");
        await TestHost.WaitUntilAsync(
            () => metrics.Of("broker.deliveries").Count == 2 && metrics.Of("broker.delivery.failures").Count == 1 && metrics.Of("broker.messages.dead_lettered").Count == 1,
            "every subscription had its attempt and the failed one is dead-lettered");
        await host.StopAsync();

        ShouldBeTagged(metrics.Of("messaging.client.sent.messages").Where(m => m.Destination == "metrics-events"), "publish").Should().ContainSingle().Which.Value.Should().Be(1);
        ShouldBeTagged(metrics.Of("messaging.client.sent.messages").Where(m => m.Destination == "metrics-events-copy"), "send").Should().ContainSingle();
        ShouldBeTagged(metrics.Of("broker.deliveries"), "deliver").Select(m => m.Tag("broker.subscription.protocol")).Should().BeEquivalentTo("queue", "delegate");
        ShouldBeTagged(metrics.Of("broker.delivery.failures"), "deliver").Should().ContainSingle().Which.Tag("broker.subscription.protocol").Should().Be("delegate");
        MetricCollector.Measurement deadLettered = ShouldBeTagged(metrics.Of("broker.messages.dead_lettered"), "dead_letter").Should().ContainSingle().Subject;
        deadLettered.Destination.Should().Be("metrics-events", "the topic is the source of a subscription's dead letter");
        deadLettered.Tag("broker.subscription.protocol").Should().Be("delegate");
    }

    private static List<MetricCollector.Measurement> ShouldBeTagged(IEnumerable<MetricCollector.Measurement> measurements, string operation)
    {
        List<MetricCollector.Measurement> list = [.. measurements];
        list.Should().NotBeEmpty();
        list.Should().OnlyContain(m => m.Tag("messaging.system") == "broker" && m.Tag("messaging.operation.name") == operation);
        return list;
    }

    internal sealed class PoisonAwareHandler : IMessageHandler<string>
    {
        public ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
            => message.Body == "poison" ? throw new InvalidOperationException("poison") : ValueTask.CompletedTask;
    }

    internal sealed class OkTopicHandler : ITopicMessageHandler<string>
    {
        public ValueTask HandleAsync(TopicMessage<string> message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    internal sealed class FailingTopicHandler : ITopicMessageHandler<string>
    {
        public ValueTask HandleAsync(TopicMessage<string> message, CancellationToken cancellationToken) => throw new InvalidOperationException("down");
    }
}
