using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class BatchTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task SendBatchAsync_OneEntry_AcceptsIt()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync([new SendBatchEntry<string>("only", "latte")]);

        result.Successful.Should().ContainSingle().Which.Id.Should().Be("only");
        result.Failed.Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendBatchAsync_TenEntries_AcceptsAllInOrder()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(Entries(10));

        result.Successful.Select(e => e.Id).Should().Equal(Enumerable.Range(0, 10).Select(i => "e" + i));
        result.Failed.Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(10, 0, 0));
    }

    [Fact]
    public async Task SendBatchAsync_SystemClock_SendsEveryEntryAtOneTime()
    {
        // A batch is one request, so its messages share one sent time; with the system clock, separate reads would differ.
        using var broker = new MessageBroker(TimeProvider.System);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        await queue.SendBatchAsync([.. Enumerable.Range(0, 10).Select(i => new SendBatchEntry<string>("e" + i, "latte"))]);
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(10);

        received.Should().HaveCount(10);
        received.Select(m => m.SentTimestamp).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task SendBatchAsync_AcceptedEntries_ReportTheMessageIdsThatAreReceived()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(Entries(3));
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(10);

        received.Select(m => (m.MessageId, m.Body)).Should().BeEquivalentTo(
            result.Successful.Select(e => (e.MessageId, "body " + e.Id[1..])));
    }

    [Fact]
    public async Task SendBatchAsync_EntryWithAttributes_DeliversThem()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" };

        await queue.SendBatchAsync([new SendBatchEntry<string>("a", "latte") { Attributes = attributes }]);

        (await queue.ReceiveSingleAsync()).Attributes.Should().BeEquivalentTo(attributes);
    }

    [Fact]
    public async Task SendBatchAsync_EmptyBatch_ThrowsArgumentExceptionNamingEntries()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendBatchAsync([]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_NullBatch_ThrowsArgumentNullException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendBatchAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("entries");
    }

    [Fact]
    public async Task SendBatchAsync_ElevenEntries_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendBatchAsync(Entries(11));

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_DuplicateEntryIds_ThrowsArgumentExceptionNamingEntriesAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendBatchAsync(
            [new SendBatchEntry<string>("same", "latte"), new SendBatchEntry<string>("other", "mocha"), new SendBatchEntry<string>("same", "tea")]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries").WithMessage("*same*");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_FirstAndLastOfTenEntriesShareAnId_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        SendBatchEntry<string>[] entries = [.. Enumerable.Range(0, 10).Select(i => new SendBatchEntry<string>(i == 9 ? "e0" : "e" + i, "latte"))];

        Func<Task> act = async () => await queue.SendBatchAsync(entries);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries").WithMessage("*'e0' appears twice*");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_EntryIdsDifferingOnlyInCase_AreDistinct()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("id", "latte"), new SendBatchEntry<string>("ID", "mocha")]);

        result.Successful.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("caf\u00e9")]
    [InlineData("slash/")]
    public async Task SendBatchAsync_InvalidEntryId_ThrowsArgumentExceptionAndStoresNothing(string id)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendBatchAsync([new SendBatchEntry<string>("good", "latte"), new SendBatchEntry<string>(id, "mocha")]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_EntryIdOf80Characters_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        string id = new string('a', 40) + new string('Z', 20) + "0123456789-_-_-_-_-_";

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync([new SendBatchEntry<string>(id, "latte")]);

        result.Successful.Should().ContainSingle().Which.Id.Should().Be(id);
    }

    [Fact]
    public async Task SendBatchAsync_EntryIdOf81Characters_ThrowsArgumentExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendBatchAsync([new SendBatchEntry<string>(new string('a', 81), "latte")]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_OneEntryWithInvalidAttribute_FailsOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        var badAttributes = new Dictionary<string, MessageAttributeValue> { ["AWS.reserved"] = "x" };

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("a", "latte"), new SendBatchEntry<string>("b", "mocha") { Attributes = badAttributes }, new SendBatchEntry<string>("c", "tea")]);

        result.Successful.Select(e => e.Id).Should().Equal("a", "c");
        BatchResultErrorEntry failure = result.Failed.Should().ContainSingle().Subject;
        failure.Id.Should().Be("b");
        failure.Code.Should().Be("InvalidParameterValue");
        failure.SenderFault.Should().BeTrue();
        failure.Message.Should().NotBeNullOrEmpty();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task SendBatchAsync_OneEntryWithDelayOutOfRange_FailsOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("a", "latte"), new SendBatchEntry<string>("b", "mocha") { Delay = TimeSpan.FromMinutes(16) }]);

        result.Successful.Select(e => e.Id).Should().Equal("a");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchResultErrorEntry>(e => e.Id == "b" && e.Code == "InvalidParameterValue" && e.SenderFault);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendBatchAsync_OneEntryWithNullBody_FailsOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("a", null!), new SendBatchEntry<string>("b", "mocha")]);

        result.Successful.Select(e => e.Id).Should().Equal("b");
        result.Failed.Should().ContainSingle().Which.Id.Should().Be("a");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task SendBatchAsync_EveryEntryRefused_ReportsNoSuccessAndEveryFailureInOrder()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<SendBatchResultEntry> result = await queue.SendBatchAsync(
            [new SendBatchEntry<string>("a", null!), new SendBatchEntry<string>("b", null!), new SendBatchEntry<string>("c", null!)]);

        result.Successful.Should().BeEmpty();
        result.Failed.Select(e => e.Id).Should().Equal("a", "b", "c");
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task SendBatchAsync_EntryWithDelay_DelaysOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        await queue.SendBatchAsync([new SendBatchEntry<string>("a", "latte"), new SendBatchEntry<string>("b", "mocha") { Delay = TimeSpan.FromSeconds(10) }]);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 1));
    }

    [Fact]
    public async Task SendBatchAsync_CancelledToken_ThrowsOperationCanceledExceptionAndStoresNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Func<Task> act = async () => await queue.SendBatchAsync(Entries(2), cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeleteBatchAsync_ValidHandles_DeletesAllAndReportsEveryId()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendBatchAsync(Entries(10));
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(10);

        BatchResult<string> result = await queue.DeleteBatchAsync(received.Select((m, i) => new DeleteBatchEntry("d" + i, m.ReceiptHandle)).ToList());

        result.Successful.Should().Equal(Enumerable.Range(0, 10).Select(i => "d" + i));
        result.Failed.Should().BeEmpty();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeleteBatchAsync_HandleFromAnotherQueue_FailsOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        IMessageQueue<string> other = broker.CreateQueue<string>("other");
        await queue.SendAsync("latte");
        await other.SendAsync("mocha");
        ReceivedMessage<string> mine = await queue.ReceiveSingleAsync();
        ReceivedMessage<string> foreign = await other.ReceiveSingleAsync();

        BatchResult<string> result = await queue.DeleteBatchAsync([new DeleteBatchEntry("mine", mine.ReceiptHandle), new DeleteBatchEntry("foreign", foreign.ReceiptHandle)]);

        result.Successful.Should().Equal("mine");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchResultErrorEntry>(
            e => e.Id == "foreign" && e.Code == nameof(BrokerErrorCode.ReceiptHandleIsInvalid) && e.SenderFault);
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
        (await other.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task DeleteBatchAsync_DefaultHandle_FailsOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        BatchResult<string> result = await queue.DeleteBatchAsync([new DeleteBatchEntry("empty", default), new DeleteBatchEntry("good", received.ReceiptHandle)]);

        result.Successful.Should().Equal("good");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchResultErrorEntry>(
            e => e.Id == "empty" && e.Code == nameof(BrokerErrorCode.ReceiptHandleIsInvalid));
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task DeleteBatchAsync_HandleOfEarlierReceive_SucceedsWithoutDeletingTheNewerReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);
        await queue.ReceiveSingleAsync();

        BatchResult<string> result = await queue.DeleteBatchAsync([new DeleteBatchEntry("stale", first.ReceiptHandle)]);

        result.Successful.Should().Equal("stale");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task DeleteBatchAsync_HandleOlderThanTwelveHours_FailsWithReceiptHandleExpired()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromHours(13));

        BatchResult<string> result = await queue.DeleteBatchAsync([new DeleteBatchEntry("old", received.ReceiptHandle)]);

        result.Failed.Should().ContainSingle().Which.Code.Should().Be(nameof(BrokerErrorCode.ReceiptHandleExpired));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task DeleteBatchAsync_DuplicateEntryIds_ThrowsArgumentExceptionAndDeletesNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteBatchAsync([new DeleteBatchEntry("x", received.ReceiptHandle), new DeleteBatchEntry("x", received.ReceiptHandle)]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task DeleteBatchAsync_EmptyBatch_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.DeleteBatchAsync([]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
    }

    [Fact]
    public async Task DeleteBatchAsync_ElevenEntries_ThrowsArgumentExceptionAndDeletesNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendBatchAsync(Entries(10));
        await queue.SendAsync("eleventh");
        var received = (await queue.ReceiveNowAsync(10)).ToList();
        received.AddRange(await queue.ReceiveNowAsync(1));

        Func<Task> act = async () => await queue.DeleteBatchAsync(received.Select((m, i) => new DeleteBatchEntry("d" + i, m.ReceiptHandle)).ToList());

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 11, 0));
    }

    [Fact]
    public async Task DeleteBatchAsync_InvalidEntryId_ThrowsArgumentExceptionAndDeletesNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteBatchAsync([new DeleteBatchEntry("bad id", received.ReceiptHandle)]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_ValidEntries_ChangesEachMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendBatchAsync(Entries(2));
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(2);

        BatchResult<string> result = await queue.ChangeVisibilityBatchAsync(
            [new ChangeVisibilityBatchEntry("now", received[0].ReceiptHandle, TimeSpan.Zero), new ChangeVisibilityBatchEntry("later", received[1].ReceiptHandle, TimeSpan.FromMinutes(5))]);
        QueueCounts afterChange = await queue.CountsAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        result.Successful.Should().Equal("now", "later");
        result.Failed.Should().BeEmpty();
        afterChange.Should().Be(new QueueCounts(1, 1, 0));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(2, 0, 0));
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_TimeoutOutOfRange_FailsOnlyThatEntry()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendBatchAsync(Entries(2));
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(2);

        BatchResult<string> result = await queue.ChangeVisibilityBatchAsync(
            [new ChangeVisibilityBatchEntry("bad", received[0].ReceiptHandle, TimeSpan.FromHours(13)), new ChangeVisibilityBatchEntry("good", received[1].ReceiptHandle, TimeSpan.Zero)]);

        result.Successful.Should().Equal("good");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchResultErrorEntry>(
            e => e.Id == "bad" && e.Code == "InvalidParameterValue" && e.SenderFault);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_BeyondTwelveHoursAfterReceive_FailsWithInvalidParameterValue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync(TimeSpan.FromHours(2));
        _clock.Advance(TimeSpan.FromHours(1));

        BatchResult<string> result = await queue.ChangeVisibilityBatchAsync([new ChangeVisibilityBatchEntry("a", received.ReceiptHandle, TimeSpan.FromHours(12))]);

        result.Failed.Should().ContainSingle().Which.Code.Should().Be("InvalidParameterValue");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_MessageNoLongerInFlight_FailsWithMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        await queue.DeleteAsync(received.ReceiptHandle);

        BatchResult<string> result = await queue.ChangeVisibilityBatchAsync([new ChangeVisibilityBatchEntry("a", received.ReceiptHandle, TimeSpan.Zero)]);

        result.Successful.Should().BeEmpty();
        result.Failed.Should().ContainSingle().Which.Code.Should().Be(nameof(BrokerErrorCode.MessageNotInFlight));
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_InvalidAndDefaultHandles_FailWithReceiptHandleIsInvalid()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        BatchResult<string> result = await queue.ChangeVisibilityBatchAsync(
            [new ChangeVisibilityBatchEntry("garbage", ReceiptHandle.Parse("garbage"), TimeSpan.Zero), new ChangeVisibilityBatchEntry("empty", default, TimeSpan.Zero)]);

        result.Failed.Select(e => (e.Id, e.Code)).Should().Equal(
            ("garbage", nameof(BrokerErrorCode.ReceiptHandleIsInvalid)), ("empty", nameof(BrokerErrorCode.ReceiptHandleIsInvalid)));
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_DuplicateEntryIds_ThrowsArgumentExceptionAndChangesNothing()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityBatchAsync(
            [new ChangeVisibilityBatchEntry("x", received.ReceiptHandle, TimeSpan.Zero), new ChangeVisibilityBatchEntry("x", received.ReceiptHandle, TimeSpan.Zero)]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task ChangeVisibilityBatchAsync_EmptyBatch_ThrowsArgumentException()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.ChangeVisibilityBatchAsync([]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("entries");
    }

    private static List<SendBatchEntry<string>> Entries(int count)
        => Enumerable.Range(0, count).Select(i => new SendBatchEntry<string>("e" + i, "body " + i)).ToList();
}
