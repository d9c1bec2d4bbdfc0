using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>PublishBatch: 1 to 10 entries with distinct ids, per-entry results, and the batch size limit.</summary>
public sealed class PublishBatchTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task PublishBatchAsync_TenEntries_AllSucceedInOrderWithDistinctIds()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;
        PublishBatchEntry<string>[] entries = Enumerable.Range(0, 10).Select(i => new PublishBatchEntry<string>($"e{i}", $"m{i}")).ToArray();

        BatchResult<PublishBatchResultEntry> result = await topic.PublishBatchAsync(entries);

        result.Failed.Should().BeEmpty();
        result.Successful.Select(s => s.Id).Should().Equal(entries.Select(e => e.Id));
        result.Successful.Select(s => s.MessageId).Should().OnlyHaveUniqueItems();
        (await queue.DrainAsync()).Should().BeEquivalentTo(entries.Select(e => e.Body));
    }

    [Fact]
    public async Task PublishBatchAsync_EntryMessageIds_AreTheIdsSubscribersSee()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);

        BatchResult<PublishBatchResultEntry> result = await topic.PublishBatchAsync([
            new PublishBatchEntry<string>("a", "first") { Subject = "one", Attributes = TopicTestKit.Attributes(("k", "1")) },
            new PublishBatchEntry<string>("b", "second"),
        ]);

        List<TopicMessage<string>> delivered = await recorder.NextAsync(2);
        delivered.Select(m => m.MessageId).Should().Equal(result.Successful.Select(s => s.MessageId));
        delivered[0].Subject.Should().Be("one");
        delivered[0].Attributes["k"].StringValue.Should().Be("1");
        delivered[1].Subject.Should().BeNull();
        delivered[1].Attributes.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishBatchAsync_SystemClock_PublishesEveryEntryAtOneTime()
    {
        // A batch is one request, so its messages share one timestamp; with the system clock, separate reads would differ.
        using var broker = new MessageBroker(TimeProvider.System);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);

        await topic.PublishBatchAsync([.. Enumerable.Range(0, 10).Select(i => new PublishBatchEntry<string>($"e{i}", $"m{i}"))]);

        List<TopicMessage<string>> delivered = await recorder.NextAsync(10);
        delivered.Select(m => m.Timestamp).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task PublishBatchAsync_InvalidEntries_FailAloneWhileTheOthersArePublished()
    {
        using var setup = new TopicWithQueue(_clock, o => o.MaximumMessageSize = 1024);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;

        BatchResult<PublishBatchResultEntry> result = await topic.PublishBatchAsync([
            new PublishBatchEntry<string>("ok1", "fine"),
            new PublishBatchEntry<string>("subject", "bad subject") { Subject = "two\nlines" },
            new PublishBatchEntry<string>("null", null!),
            new PublishBatchEntry<string>("group", "no groups here") { MessageGroupId = "g" },
            new PublishBatchEntry<string>("ok2", "also fine"),
        ]);

        result.Successful.Select(s => s.Id).Should().Equal("ok1", "ok2");
        result.Failed.Select(f => f.Id).Should().Equal("subject", "null", "group");
        result.Failed.Should().OnlyContain(f => f.SenderFault && f.Code == "InvalidParameter" && f.Message.Length > 0);
        (await queue.DrainAsync()).Should().BeEquivalentTo(["fine", "also fine"]);
    }

    [Fact]
    public async Task PublishBatchAsync_OneEntryOverTheLimit_ThrowsBatchRequestTooLongAndPublishesNothing()
    {
        // SNS limits each message and the batch's total to the same size, so one oversized entry makes the whole batch too long.
        using var setup = new TopicWithQueue(_clock, o => o.MaximumMessageSize = 1024);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;

        Func<Task> publish = async () => await topic.PublishBatchAsync([
            new PublishBatchEntry<string>("ok", "fine"),
            new PublishBatchEntry<string>("big", new string('x', 1025)),
        ]);

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*BatchRequestTooLong*")).Which.ParamName.Should().Be("entries");
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishBatchAsync_Empty_ThrowsEmptyBatchRequest()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Func<Task> publish = async () => await topic.PublishBatchAsync([]);

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*EmptyBatchRequest*")).Which.ParamName.Should().Be("entries");
    }

    [Fact]
    public async Task PublishBatchAsync_ElevenEntries_ThrowsTooManyEntriesAndPublishesNothing()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;
        PublishBatchEntry<string>[] entries = Enumerable.Range(0, 11).Select(i => new PublishBatchEntry<string>($"e{i}", "m")).ToArray();

        Func<Task> publish = async () => await topic.PublishBatchAsync(entries);

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*TooManyEntriesInBatchRequest*10*")).Which.ParamName.Should().Be("entries");
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishBatchAsync_DuplicateIds_ThrowsAndPublishesNothing()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;

        Func<Task> publish = async () => await topic.PublishBatchAsync([
            new PublishBatchEntry<string>("same", "a"),
            new PublishBatchEntry<string>("other", "b"),
            new PublishBatchEntry<string>("same", "c"),
        ]);

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*BatchEntryIdsNotDistinct*")).Which.ParamName.Should().Be("entries");
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishBatchAsync_IdsDifferingInCase_AreDistinct()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        BatchResult<PublishBatchResultEntry> result = await topic.PublishBatchAsync([
            new PublishBatchEntry<string>("id", "a"),
            new PublishBatchEntry<string>("ID", "b"),
        ]);

        result.Successful.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("81-characters-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task PublishBatchAsync_BadEntryId_ThrowsInvalidBatchEntryIdAndPublishesNothing(string id)
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;

        Func<Task> publish = async () => await topic.PublishBatchAsync([new PublishBatchEntry<string>("fine", "a"), new PublishBatchEntry<string>(id, "b")]);

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*InvalidBatchEntryId*")).Which.ParamName.Should().Be("entries");
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishBatchAsync_EntryIdOf80Characters_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        string id = new('a', 80);

        BatchResult<PublishBatchResultEntry> result = await topic.PublishBatchAsync([new PublishBatchEntry<string>(id, "a")]);

        result.Successful.Should().ContainSingle().Which.Id.Should().Be(id);
    }

    [Fact]
    public async Task PublishBatchAsync_NullListOrNullEntry_Throws()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Func<Task> nullList = async () => await topic.PublishBatchAsync(null!);
        Func<Task> nullEntry = async () => await topic.PublishBatchAsync([new PublishBatchEntry<string>("a", "x"), null!]);

        (await nullList.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("entries");
        (await nullEntry.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("entries");
    }

    [Fact]
    public async Task PublishBatchAsync_TotalExactlyAtTheLimit_IsAccepted()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;
        // Four entries of 64 KiB: 262,144 bytes in all, the default limit.
        PublishBatchEntry<string>[] entries = Enumerable.Range(0, 4).Select(i => new PublishBatchEntry<string>($"e{i}", new string('x', 65_536))).ToArray();

        BatchResult<PublishBatchResultEntry> result = await topic.PublishBatchAsync(entries);

        result.Successful.Should().HaveCount(4);
        (await queue.CountsAsync()).Visible.Should().Be(4);
    }

    [Fact]
    public async Task PublishBatchAsync_TotalOneByteOverTheLimit_ThrowsBatchRequestTooLongAndPublishesNothing()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;
        PublishBatchEntry<string>[] entries = Enumerable.Range(0, 4).Select(i => new PublishBatchEntry<string>($"e{i}", new string('x', 65_536))).ToArray();
        entries[3] = entries[3] with { Body = new string('x', 65_537) };

        Func<Task> publish = async () => await topic.PublishBatchAsync(entries);

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*BatchRequestTooLong*")).Which.ParamName.Should().Be("entries");
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishBatchAsync_ConfiguredLimit_AppliesToTheBatchTotal()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t", o => o.MaximumMessageSize = 2048);

        Func<Task> inside = async () => await topic.PublishBatchAsync([new PublishBatchEntry<string>("a", new string('x', 1024)), new PublishBatchEntry<string>("b", new string('x', 1024))]);
        Func<Task> outside = async () => await topic.PublishBatchAsync([new PublishBatchEntry<string>("a", new string('x', 1024)), new PublishBatchEntry<string>("b", new string('x', 1025))]);

        await inside.Should().NotThrowAsync();
        await outside.Should().ThrowAsync<ArgumentException>().WithMessage("*2049*2048*");
    }

    [Fact]
    public async Task PublishBatchAsync_CancelledToken_PublishesNothing()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        ValueTask<BatchResult<PublishBatchResultEntry>> publish = topic.PublishBatchAsync([new PublishBatchEntry<string>("a", "x")], cancelled.Token);

        publish.IsCanceled.Should().BeTrue();
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishBatchAsync_EntriesWithAttributes_FilterPerEntry()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> large = broker.CreateQueue<string>("large");
        topic.Subscribe(large, o => o.FilterPolicy = """{"size": ["large"]}""");

        await topic.PublishBatchAsync([
            new PublishBatchEntry<string>("a", "small") { Attributes = TopicTestKit.Attributes(("size", "small")) },
            new PublishBatchEntry<string>("b", "big") { Attributes = TopicTestKit.Attributes(("size", "large")) },
        ]);

        (await large.DrainAsync()).Should().Equal("big");
    }
}
