using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoBatchTests : IDisposable
{
    private readonly MessageBroker _broker = new(new ManualTimeProvider());
    private readonly IMessageQueue<string> _queue;

    public FifoBatchTests()
    {
        _queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task SendBatchAsync_OneGroup_KeepsBatchOrder()
    {
        string[] bodies = Enumerable.Range(0, 10).Select(i => $"a{i}").ToArray();

        var result = await SendBatchAsync(bodies.Select(b => Entry(b, "a")).ToArray());
        var received = await ReceiveAsync(_queue);

        result.Failed.Should().BeEmpty();
        result.Successful.Select(e => e.Id).Should().Equal(bodies);
        received.Bodies().Should().Equal(bodies);
    }

    [Fact]
    public async Task SendBatchAsync_MixedGroups_KeepsOrderWithinEachGroup()
    {
        var result = await SendBatchAsync(Entry("a1", "a"), Entry("b1", "b"), Entry("a2", "a"), Entry("b2", "b"), Entry("a3", "a"));

        var received = await ReceiveAsync(_queue);

        result.Failed.Should().BeEmpty();
        received.Where(m => m.MessageGroupId == "a").Bodies().Should().Equal("a1", "a2", "a3");
        received.Where(m => m.MessageGroupId == "b").Bodies().Should().Equal("b1", "b2");
    }

    [Fact]
    public async Task SendBatchAsync_AfterSingleSends_QueuesBehindThemInTheGroup()
    {
        await _queue.SendAsync("a1", Group("a"));

        await SendBatchAsync(Entry("a2", "a"), Entry("a3", "a"));
        var received = await ReceiveAsync(_queue);

        received.Bodies().Should().Equal("a1", "a2", "a3");
    }

    [Fact]
    public async Task SendBatchAsync_ReturnsIncreasingSequenceNumbersInBatchOrder()
    {
        var result = await SendBatchAsync(Entry("a1", "a"), Entry("b1", "b"), Entry("a2", "a"));

        var received = await ReceiveAsync(_queue);

        result.Successful.Select(e => e.SequenceNumber).Should().AllSatisfy(s => s.Should().MatchRegex("^[0-9]{20}$"));
        result.Successful.Select(e => e.SequenceNumber).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        received.Select(m => (m.Body, m.SequenceNumber, m.MessageId))
            .Should().BeEquivalentTo(result.Successful.Select(e => (Body: e.Id, e.SequenceNumber, e.MessageId)));
    }

    [Fact]
    public async Task SendBatchAsync_DuplicateInsideBatch_IsDeduplicated()
    {
        var result = await SendBatchAsync(
            new SendBatchEntry<string>("first", "a1") { MessageGroupId = "a", DeduplicationId = "d1" },
            new SendBatchEntry<string>("second", "a2") { MessageGroupId = "a", DeduplicationId = "d2" },
            new SendBatchEntry<string>("again", "a1-again") { MessageGroupId = "a", DeduplicationId = "d1" });

        var received = await ReceiveAsync(_queue);

        result.Failed.Should().BeEmpty();
        result.Successful.Should().HaveCount(3);
        result.Successful[2].MessageId.Should().Be(result.Successful[0].MessageId);
        result.Successful[2].SequenceNumber.Should().Be(result.Successful[0].SequenceNumber);
        received.Bodies().Should().Equal("a1", "a2");
    }

    [Fact]
    public async Task SendBatchAsync_ContentBasedDuplicateInsideBatch_IsDeduplicated()
    {
        var result = await SendBatchAsync(Entry("same", "a"), new SendBatchEntry<string>("copy", "same") { MessageGroupId = "b" });

        var received = await ReceiveAsync(_queue);

        result.Successful.Should().HaveCount(2);
        result.Successful[1].MessageId.Should().Be(result.Successful[0].MessageId);
        received.Should().ContainSingle().Which.MessageGroupId.Should().Be("a");
    }

    [Fact]
    public async Task SendBatchAsync_DuplicateOfEarlierSend_ReturnsOriginal()
    {
        SendResult original = await _queue.SendAsync("a1", Group("a"));

        var result = await SendBatchAsync(Entry("a1", "a"), Entry("a2", "a"));
        var received = await ReceiveAsync(_queue);

        result.Successful[0].MessageId.Should().Be(original.MessageId);
        result.Successful[0].SequenceNumber.Should().Be(original.SequenceNumber);
        received.Bodies().Should().Equal("a1", "a2");
    }

    [Fact]
    public async Task SendBatchAsync_EntryWithoutGroupId_FailsOnlyThatEntry()
    {
        var result = await SendBatchAsync(Entry("a1", "a"), new SendBatchEntry<string>("nogroup", "x"), Entry("a2", "a"));

        var received = await ReceiveAsync(_queue);

        result.Failed.Should().ContainSingle().Which.Should().Match<BatchResultErrorEntry>(e => e.Id == "nogroup" && e.Code == "InvalidParameterValue" && e.SenderFault);
        result.Successful.Select(e => e.Id).Should().Equal("a1", "a2");
        received.Bodies().Should().Equal("a1", "a2");
    }

    [Fact]
    public async Task SendBatchAsync_EntryWithDelay_FailsOnlyThatEntry()
    {
        var result = await SendBatchAsync(Entry("a1", "a"), new SendBatchEntry<string>("delayed", "x") { MessageGroupId = "a", Delay = TimeSpan.FromSeconds(1) });

        result.Failed.Should().ContainSingle().Which.Id.Should().Be("delayed");
        result.Successful.Should().ContainSingle().Which.Id.Should().Be("a1");
    }

    [Fact]
    public async Task SendBatchAsync_WithoutDeduplicationIdOnQueueWithoutContentBasedDeduplication_FailsThoseEntries()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("explicit.fifo");

        var result = await queue.SendBatchAsync(
        [
            new SendBatchEntry<string>("with", "a1") { MessageGroupId = "a", DeduplicationId = "d1" },
            new SendBatchEntry<string>("without", "a2") { MessageGroupId = "a" },
        ]).AsTask().WaitAsync(Bound);

        result.Successful.Should().ContainSingle().Which.Id.Should().Be("with");
        result.Failed.Should().ContainSingle().Which.Id.Should().Be("without");
    }

    [Fact]
    public async Task DeleteBatchAsync_WholeBatchOfGroup_UnblocksGroup()
    {
        await SendBatchAsync(Entry("a1", "a"), Entry("a2", "a"), Entry("a3", "a"));
        var first = await ReceiveAsync(_queue, maxMessages: 2);

        var deleted = await _queue.DeleteBatchAsync(first.Select((m, i) => new DeleteBatchEntry($"e{i}", m.ReceiptHandle)).ToArray());
        var next = await ReceiveAsync(_queue);

        deleted.Failed.Should().BeEmpty();
        next.Bodies().Should().Equal("a3");
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_WholeBatchToZero_RedeliversGroupInOrder()
    {
        await SendBatchAsync(Entry("a1", "a"), Entry("a2", "a"), Entry("a3", "a"));
        var first = await ReceiveAsync(_queue, maxMessages: 2);

        var changed = await _queue.ChangeVisibilityBatchAsync(first.Select((m, i) => new ChangeVisibilityBatchEntry($"e{i}", m.ReceiptHandle, TimeSpan.Zero)).ToArray());
        var next = await ReceiveAsync(_queue);

        changed.Failed.Should().BeEmpty();
        next.Bodies().Should().Equal("a1", "a2", "a3");
        next.Select(m => m.ReceiveCount).Should().Equal(2, 2, 1);
    }

    private static SendBatchEntry<string> Entry(string body, string groupId) => new(body, body) { MessageGroupId = groupId };

    private async Task<BatchResult<SendBatchResultEntry>> SendBatchAsync(params SendBatchEntry<string>[] entries)
        => await _queue.SendBatchAsync(entries).AsTask().WaitAsync(Bound);
}
