using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Delivery formats: raw (the body as published, attributes as queue attributes) and the SNS-style envelope.</summary>
public sealed class EnvelopeTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 89, TimeSpan.Zero));

    [Fact]
    public async Task Publish_EnvelopeQueue_ReceivesEveryEnvelopeField()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<CoffeeOrder> topic = broker.CreateTopic<CoffeeOrder>("order-ready");
        IMessageQueue<TopicMessage<CoffeeOrder>> queue = broker.CreateQueue<TopicMessage<CoffeeOrder>>("envelopes");
        topic.Subscribe(queue);
        var order = new CoffeeOrder("Ana", "flat white");

        PublishResult result = await topic.PublishAsync(order, new PublishOptions
        {
            Subject = "Order ready",
            Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large", ["shots"] = MessageAttributeValue.FromNumber(2) },
        });

        TopicMessage<CoffeeOrder> envelope = (await queue.ReceiveSingleAsync()).Body;
        envelope.Type.Should().Be("Notification");
        envelope.MessageId.Should().Be(result.MessageId);
        envelope.TopicName.Should().Be("order-ready");
        envelope.Subject.Should().Be("Order ready");
        envelope.Body.Should().BeSameAs(order, "in-process bodies are not serialized");
        envelope.Timestamp.Should().Be(_clock.GetUtcNow());
        envelope.Attributes.Should().HaveCount(2);
        envelope.Attributes["size"].StringValue.Should().Be("large");
        envelope.Attributes["shots"].Type.Should().Be(MessageAttributeType.Number);
        envelope.MessageGroupId.Should().BeNull();
        envelope.DeduplicationId.Should().BeNull();
        envelope.SequenceNumber.Should().BeNull();
    }

    [Fact]
    public async Task Publish_NoSubjectNoAttributes_EnvelopeHasNullSubjectAndEmptyAttributes()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<TopicMessage<string>> queue = broker.CreateQueue<TopicMessage<string>>("envelopes");
        topic.Subscribe(queue);

        await topic.PublishAsync("plain");

        TopicMessage<string> envelope = (await queue.ReceiveSingleAsync()).Body;
        envelope.Subject.Should().BeNull();
        envelope.Attributes.Should().BeEmpty();
    }

    [Fact]
    public async Task Publish_EnvelopeQueue_AttributesAreAlsoQueueMessageAttributes()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<TopicMessage<string>> queue = broker.CreateQueue<TopicMessage<string>>("envelopes");
        topic.Subscribe(queue);

        await topic.PublishAsync("x", TopicTestKit.With(("size", "large")));

        ReceivedMessage<TopicMessage<string>> received = await queue.ReceiveSingleAsync();
        received.Attributes["size"].StringValue.Should().Be("large");
    }

    [Fact]
    public async Task Publish_RawQueue_ReceivesTheBodyAsPublishedWithItsAttributes()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<CoffeeOrder> topic = broker.CreateTopic<CoffeeOrder>("t");
        IMessageQueue<CoffeeOrder> queue = broker.CreateQueue<CoffeeOrder>("raw");
        Subscription subscription = topic.Subscribe(queue);
        var order = new CoffeeOrder("Bo", "latte");
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["size"] = "large",
            ["price"] = MessageAttributeValue.FromNumber(3.5m),
            ["blob"] = MessageAttributeValue.FromBinary([1, 2, 3]),
        };

        await topic.PublishAsync(order, new PublishOptions { Subject = "not in raw delivery", Attributes = attributes });

        ReceivedMessage<CoffeeOrder> received = await queue.ReceiveSingleAsync();
        subscription.RawMessageDelivery.Should().BeTrue();
        received.Body.Should().BeSameAs(order);
        received.Attributes.Should().BeEquivalentTo(attributes);
        received.SentTimestamp.Should().Be(_clock.GetUtcNow());
    }

    [Fact]
    public async Task Publish_RawQueue_QueueMessageIdIsTheQueuesOwn()
    {
        // As with SNS to SQS: the queue assigns its own message id; the topic's id is in the envelope only.
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> raw = broker.CreateQueue<string>("raw");
        IMessageQueue<TopicMessage<string>> enveloped = broker.CreateQueue<TopicMessage<string>>("enveloped");
        topic.Subscribe(raw);
        topic.Subscribe(enveloped);

        PublishResult result = await topic.PublishAsync("x");

        ReceivedMessage<string> rawMessage = await raw.ReceiveSingleAsync();
        ReceivedMessage<TopicMessage<string>> envelopeMessage = await enveloped.ReceiveSingleAsync();
        envelopeMessage.Body.MessageId.Should().Be(result.MessageId);
        rawMessage.MessageId.Should().NotBe(envelopeMessage.MessageId);
    }

    [Fact]
    public async Task Publish_ManySubscriptions_AllShareOneEnvelopeWithTheSameId()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<TopicMessage<string>> first = broker.CreateQueue<TopicMessage<string>>("first");
        IMessageQueue<TopicMessage<string>> second = broker.CreateQueue<TopicMessage<string>>("second");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(first);
        topic.Subscribe(second);
        topic.Subscribe(recorder.Handle);

        PublishResult result = await topic.PublishAsync("x");

        TopicMessage<string> a = (await first.ReceiveSingleAsync()).Body;
        TopicMessage<string> b = (await second.ReceiveSingleAsync()).Body;
        TopicMessage<string> c = (await recorder.NextAsync()).Single();
        new[] { a.MessageId, b.MessageId, c.MessageId }.Should().AllBeEquivalentTo(result.MessageId);
        b.Should().BeSameAs(a);
        c.Should().BeSameAs(a);
    }

    [Fact]
    public async Task Publish_DeliveredAfterTheClockMoved_TimestampIsThePublishTime()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        int calls = 0;
        topic.Subscribe(
            (message, cancellationToken) => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("first attempt fails")
                : recorder.Handle(message, cancellationToken),
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 1, MinDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(5) });
        DateTimeOffset publishedAt = _clock.GetUtcNow();

        await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => _clock.HasTimerDueWithin(TimeSpan.FromSeconds(5)), "the retry is scheduled");
        _clock.Advance(TimeSpan.FromSeconds(5));

        TopicMessage<string> delivered = (await recorder.NextAsync()).Single();
        delivered.Timestamp.Should().Be(publishedAt);
        _clock.GetUtcNow().Should().Be(publishedAt + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Publish_TracedPublisher_EnvelopeCarriesTheTraceParent()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);
        using var activity = new System.Diagnostics.Activity("test-publisher");
        activity.SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C);
        activity.Start();

        await topic.PublishAsync("x");
        activity.Stop();

        TopicMessage<string> delivered = (await recorder.NextAsync()).Single();
        delivered.TraceParent.Should().NotBeNull().And.Contain(activity.TraceId.ToHexString());
    }
}
