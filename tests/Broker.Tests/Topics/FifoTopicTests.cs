using System.Collections.Concurrent;
using System.Globalization;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>FIFO topics: group order per subscription, sequence numbers, de-duplication as for FIFO queues, FIFO-only queue subscribers.</summary>
public sealed class FifoTopicTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task PublishAsync_NoGroupId_ThrowsNamingTheGroupId()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");

        Func<Task> publish = async () => await topic.PublishAsync("x", new PublishOptions { DeduplicationId = "d" });

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*MessageGroupId*")).Which.ParamName.Should().Be("options.MessageGroupId");
    }

    [Fact]
    public async Task PublishAsync_NoDeduplicationIdWithoutContentBasedDeduplication_ThrowsNamingTheDeduplicationId()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");

        Func<Task> publish = async () => await topic.PublishAsync("x", new PublishOptions { MessageGroupId = "g" });

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*ContentBasedDeduplication*")).Which.ParamName.Should().Be("options.DeduplicationId");
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("punctuation!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", true)]
    public async Task PublishAsync_GroupIdCharacters_FollowTheFifoQueueRules(string groupId, bool valid)
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");

        Func<Task> publish = async () => await topic.PublishAsync("x", new PublishOptions { MessageGroupId = groupId, DeduplicationId = "d" });

        if (valid)
        {
            await publish.Should().NotThrowAsync();
        }
        else
        {
            (await publish.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("options.MessageGroupId");
        }
    }

    [Fact]
    public async Task PublishAsync_IdsOf128And129Characters_AcceptsTheFirstOnly()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");

        Func<Task> atLimit = async () => await topic.PublishAsync("x", new PublishOptions { MessageGroupId = new string('g', 128), DeduplicationId = new string('d', 128) });
        Func<Task> groupOver = async () => await topic.PublishAsync("x", new PublishOptions { MessageGroupId = new string('g', 129), DeduplicationId = "d" });
        Func<Task> deduplicationOver = async () => await topic.PublishAsync("x", new PublishOptions { MessageGroupId = "g", DeduplicationId = new string('d', 129) });

        await atLimit.Should().NotThrowAsync();
        (await groupOver.Should().ThrowAsync<ArgumentException>().WithMessage("*128*")).Which.ParamName.Should().Be("options.MessageGroupId");
        (await deduplicationOver.Should().ThrowAsync<ArgumentException>().WithMessage("*128*")).Which.ParamName.Should().Be("options.DeduplicationId");
    }

    [Fact]
    public async Task PublishAsync_SequenceNumbers_Are20DigitsAndIncrease()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.ContentBasedDeduplication = true);

        var numbers = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            numbers.Add((await topic.PublishAsync($"m{i}", Group(i % 2 == 0 ? "a" : "b"))).SequenceNumber!);
        }

        numbers.Should().OnlyContain(n => n.Length == 20 && n.All(char.IsAsciiDigit));
        numbers.Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task PublishAsync_DuplicateWithinFiveMinutes_ReturnsTheOriginalAndIsNotDeliveredAgain()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q.fifo");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(queue);
        topic.Subscribe(recorder.Handle);

        PublishResult original = await topic.PublishAsync("first", Group("g", "same"));
        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        PublishResult duplicate = await topic.PublishAsync("changed body", Group("g", "same"));
        PublishResult next = await topic.PublishAsync("next", Group("g", "other"));

        duplicate.Should().Be(original);
        next.MessageId.Should().NotBe(original.MessageId);
        (await recorder.NextAsync(2)).Select(m => m.Body).Should().Equal("first", "next");
        (await DrainFifoAsync(queue)).Should().Equal("first", "next");
    }

    [Fact]
    public async Task PublishAsync_SameDeduplicationIdAfterTheWindow_IsANewMessage()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);

        PublishResult first = await topic.PublishAsync("one", Group("g", "same"));
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        PublishResult second = await topic.PublishAsync("two", Group("g", "same"));

        second.MessageId.Should().NotBe(first.MessageId);
        (await recorder.NextAsync(2)).Select(m => m.Body).Should().Equal("one", "two");
    }

    [Fact]
    public async Task PublishAsync_ContentBasedDeduplication_SameBodyIsADuplicateOtherBodyIsNot()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.ContentBasedDeduplication = true);
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);

        PublishResult first = await topic.PublishAsync("latte", Group("g"));
        PublishResult again = await topic.PublishAsync("latte", Group("g"));
        PublishResult other = await topic.PublishAsync("mocha", Group("g"));
        PublishResult explicitId = await topic.PublishAsync("latte", Group("g", "explicit"));

        again.Should().Be(first);
        other.MessageId.Should().NotBe(first.MessageId);
        explicitId.MessageId.Should().NotBe(first.MessageId, "an explicit id takes precedence over the body's hash");
        (await recorder.NextAsync(3)).Select(m => m.Body).Should().Equal("latte", "mocha", "latte");
    }

    [Fact]
    public async Task PublishAsync_DuplicateInTopicScope_IsADuplicateAcrossGroups()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");

        PublishResult inA = await topic.PublishAsync("x", Group("a", "d"));
        PublishResult inB = await topic.PublishAsync("x", Group("b", "d"));

        inB.Should().Be(inA);
    }

    [Fact]
    public async Task PublishAsync_GroupDeduplicationScope_SameIdInAnotherGroupIsNew()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.DeduplicationScope = DeduplicationScope.MessageGroup);
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);

        PublishResult inA = await topic.PublishAsync("a1", Group("a", "d"));
        PublishResult inB = await topic.PublishAsync("b1", Group("b", "d"));
        PublishResult againInA = await topic.PublishAsync("a2", Group("a", "d"));

        inB.MessageId.Should().NotBe(inA.MessageId);
        againInA.Should().Be(inA);
        (await recorder.NextAsync(2)).Select(m => m.Body).Should().Equal("a1", "b1");
    }

    [Fact]
    public async Task Publish_FifoEnvelope_CarriesGroupDeduplicationIdAndSequenceNumber()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");
        IMessageQueue<TopicMessage<string>> envelopes = broker.CreateQueue<TopicMessage<string>>("envelopes.fifo");
        topic.Subscribe(envelopes);

        PublishResult result = await topic.PublishAsync("x", Group("g", "d"));

        TopicMessage<string> envelope = (await envelopes.ReceiveSingleAsync()).Body;
        envelope.MessageGroupId.Should().Be("g");
        envelope.DeduplicationId.Should().Be("d");
        envelope.SequenceNumber.Should().Be(result.SequenceNumber);
    }

    [Fact]
    public async Task Publish_FifoQueueSubscriber_ReceivesTheGroupAndDeduplicationIds()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.ContentBasedDeduplication = true);
        IMessageQueue<string> queue = broker.CreateQueue<string>("q.fifo");
        topic.Subscribe(queue);

        await topic.PublishAsync("x", new PublishOptions { MessageGroupId = "g", Attributes = TopicTestKit.Attributes(("k", "v")) });

        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        received.MessageGroupId.Should().Be("g");
        received.MessageDeduplicationId.Should().NotBeNullOrEmpty("the topic passes on the id it de-duplicated with");
        received.Attributes["k"].StringValue.Should().Be("v");
    }

    [Fact]
    public void Subscribe_StandardQueueToFifoTopic_ThrowsNamingTheQueue()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");
        IMessageQueue<string> standard = broker.CreateQueue<string>("standard");
        IMessageQueue<TopicMessage<string>> standardEnvelopes = broker.CreateQueue<TopicMessage<string>>("standard-envelopes");

        Action raw = () => topic.Subscribe(standard);
        Action enveloped = () => topic.Subscribe(standardEnvelopes);

        raw.Should().Throw<ArgumentException>().WithMessage("*FIFO*").Which.ParamName.Should().Be("queue");
        enveloped.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("queue");
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public void Subscribe_FifoQueueToStandardTopic_ThrowsNamingTheQueue()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> fifo = broker.CreateQueue<string>("q.fifo");

        Action subscribe = () => topic.Subscribe(fifo);

        subscribe.Should().Throw<ArgumentException>().WithMessage("*FIFO*").Which.ParamName.Should().Be("queue");
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public async Task PublishBatchAsync_FifoTopic_KeepsBatchOrderAndDeduplicatesWithinTheBatch()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q.fifo");
        topic.Subscribe(queue);

        BatchResult<PublishBatchResultEntry> result = await topic.PublishBatchAsync([
            new PublishBatchEntry<string>("a", "one") { MessageGroupId = "g", DeduplicationId = "1" },
            new PublishBatchEntry<string>("b", "two") { MessageGroupId = "g", DeduplicationId = "2" },
            new PublishBatchEntry<string>("c", "one again") { MessageGroupId = "g", DeduplicationId = "1" },
            new PublishBatchEntry<string>("d", "no group") { DeduplicationId = "3" },
            new PublishBatchEntry<string>("e", "three") { MessageGroupId = "g", DeduplicationId = "4" },
        ]);

        result.Successful.Select(s => s.Id).Should().Equal("a", "b", "c", "e");
        result.Failed.Should().ContainSingle().Which.Id.Should().Be("d");
        result.Successful[2].MessageId.Should().Be(result.Successful[0].MessageId);
        result.Successful[2].SequenceNumber.Should().Be(result.Successful[0].SequenceNumber);
        (await DrainFifoAsync(queue)).Should().Equal("one", "two", "three");
    }

    [Fact]
    public async Task Publish_ConcurrentPublishersSharingGroups_EverySubscriptionSeesEachGroupInSequenceOrder()
    {
        const int PublishersCount = 4;
        const int Each = 250;
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.ContentBasedDeduplication = true);
        IMessageQueue<TopicMessage<string>> queue = broker.CreateQueue<TopicMessage<string>>("q.fifo");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(queue);
        topic.Subscribe(recorder.Handle);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task[] publishers = Enumerable.Range(0, PublishersCount).Select(p => Task.Run(async () =>
        {
            await gate.Task;
            for (int i = 0; i < Each; i++)
            {
                // Two publishers share each group, so order within a group is decided by the topic, not by one caller.
                await topic.PublishAsync(string.Create(CultureInfo.InvariantCulture, $"{p}:{i}"), Group($"g{p % 2}"));
            }
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(publishers).Bounded();

        List<TopicMessage<string>> delegated = await recorder.NextAsync(PublishersCount * Each);
        var queued = new List<TopicMessage<string>>();
        while (true)
        {
            IReadOnlyList<ReceivedMessage<TopicMessage<string>>> batch = await queue.ReceiveNowAsync(10);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (ReceivedMessage<TopicMessage<string>> message in batch)
            {
                queued.Add(message.Body);
                await queue.DeleteAsync(message.ReceiptHandle);
            }
        }

        foreach (List<TopicMessage<string>> seen in new[] { delegated, queued })
        {
            seen.Should().HaveCount(PublishersCount * Each);
            foreach (IGrouping<string?, TopicMessage<string>> group in seen.GroupBy(m => m.MessageGroupId))
            {
                group.Select(m => m.SequenceNumber).Should().BeInAscendingOrder(StringComparer.Ordinal, "group {0} keeps publish order", group.Key);
                foreach (IGrouping<string, TopicMessage<string>> byPublisher in group.GroupBy(m => m.Body.Split(':')[0]))
                {
                    byPublisher.Select(m => int.Parse(m.Body.Split(':')[1], CultureInfo.InvariantCulture)).Should().BeInAscendingOrder();
                }
            }
        }
    }

    [Fact]
    public async Task Deliver_FifoDelegateRetrying_HoldsBackLaterMessagesOfTheTopic()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.ContentBasedDeduplication = true);
        var order = new ConcurrentQueue<string>();
        int attempts = 0;
        Subscription subscription = topic.Subscribe(
            (message, _) =>
            {
                if (message.Body == "a1" && Interlocked.Increment(ref attempts) == 1)
                {
                    throw new InvalidOperationException("once");
                }

                order.Enqueue(message.Body);
                return ValueTask.CompletedTask;
            },
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 1, MinDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1) });

        await topic.PublishAsync("a1", Group("a"));
        await topic.PublishAsync("a2", Group("a"));
        await Eventually.HoldsAsync(() => _clock.HasTimerDueWithin(TimeSpan.FromSeconds(1)), "the retry is scheduled");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 2, "both are delivered");

        order.Should().Equal("a1", "a2");
    }

    [Fact]
    public async Task Deliver_FifoTopicFailingDelegate_DeadLettersIntoTheFifoQueueInGroupOrder()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.ContentBasedDeduplication = true);
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq.fifo");
        Subscription subscription = topic.SubscribeFailing("dlq.fifo");

        await topic.PublishAsync("a1", Group("a"));
        await topic.PublishAsync("a2", Group("a"));
        await Eventually.HoldsAsync(() => subscription.DeadLetteredCount + subscription.DroppedCount == 2, "both messages failed");

        subscription.DroppedCount.Should().Be(0);
        IReadOnlyList<ReceivedMessage<FailedDelivery<string>>> failed = await dlq.ReceiveNowAsync(10);
        failed.Select(m => m.Body.Message.Body).Should().Equal("a1", "a2");
        failed.Should().OnlyContain(m => m.MessageGroupId == "a");
    }

    [Fact]
    public async Task Deliver_TwoFifoSubscriptionsSharingADeadLetterQueue_BothDeadLettersArrive()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo", o => o.ContentBasedDeduplication = true);
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq.fifo");
        Subscription[] subscriptions = [topic.SubscribeFailing("dlq.fifo"), topic.SubscribeFailing("dlq.fifo")];

        await topic.PublishAsync("x", Group("g"));
        await Eventually.HoldsAsync(() => subscriptions.All(s => s.DeadLetteredCount + s.DroppedCount == 1), "both subscriptions failed");

        subscriptions.Should().OnlyContain(s => s.DeadLetteredCount == 1);
        var dead = new List<string>();
        while ((await dlq.ReceiveNowAsync(10)) is { Count: > 0 } batch)
        {
            foreach (ReceivedMessage<FailedDelivery<string>> message in batch)
            {
                dead.Add(message.Body.SubscriptionId);
                await dlq.DeleteAsync(message.ReceiptHandle);
            }
        }

        dead.Should().BeEquivalentTo(subscriptions.Select(s => s.Id));
    }

    [Fact]
    public void Subscribe_StandardDeadLetterQueueOnFifoTopic_ThrowsAndAddsNothing()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t.fifo");
        broker.CreateQueue<FailedDelivery<string>>("dlq");

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask, o => o.DeadLetterQueueName = "dlq");

        subscribe.Should().Throw<ArgumentException>().WithMessage("*FIFO*").Which.ParamName.Should().Be("configure");
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public void Subscribe_FifoDeadLetterQueueOnStandardTopic_ThrowsAndAddsNothing()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        broker.CreateQueue<FailedDelivery<string>>("dlq.fifo");

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask, o => o.DeadLetterQueueName = "dlq.fifo");

        subscribe.Should().Throw<ArgumentException>().WithMessage("*FIFO*").Which.ParamName.Should().Be("configure");
        topic.ListSubscriptions().Should().BeEmpty();
    }

    private static PublishOptions Group(string groupId, string? deduplicationId = null)
        => new() { MessageGroupId = groupId, DeduplicationId = deduplicationId };

    private static async Task<List<string>> DrainFifoAsync(IMessageQueue<string> queue)
    {
        var bodies = new List<string>();
        while (true)
        {
            IReadOnlyList<ReceivedMessage<string>> batch = await queue.ReceiveNowAsync(10);
            if (batch.Count == 0)
            {
                return bodies;
            }

            foreach (ReceivedMessage<string> message in batch)
            {
                bodies.Add(message.Body);
                await queue.DeleteAsync(message.ReceiptHandle);
            }
        }
    }
}
