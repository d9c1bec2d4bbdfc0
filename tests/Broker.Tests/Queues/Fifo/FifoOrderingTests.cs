using System.Globalization;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoOrderingTests : IDisposable
{
    private static readonly TimeSpan s_visibility = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _clock = new();
    private readonly MessageBroker _broker;
    private readonly IMessageQueue<string> _queue;

    public FifoOrderingTests()
    {
        _broker = new MessageBroker(_clock);
        _queue = _broker.CreateQueue<string>("orders.fifo", o => o.VisibilityTimeout = s_visibility);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task ReceiveAsync_OneGroup_ReturnsMessagesInSendOrder()
    {
        string[] sent = Enumerable.Range(0, 25).Select(i => $"a{i}").ToArray();
        await SendAllAsync(_queue, "a", sent);
        var received = new List<string>();

        for (int i = 0; i < sent.Length; i++)
        {
            var batch = await ReceiveAsync(_queue, maxMessages: 1);
            batch.Should().ContainSingle();
            received.Add(batch[0].Body);
            (await _queue.DeleteAsync(batch[0].ReceiptHandle)).Should().BeTrue();
        }

        received.Should().Equal(sent);
    }

    [Fact]
    public async Task ReceiveAsync_GroupInFlight_ReturnsNoLaterMessageOfThatGroup()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3");
        (await ReceiveAsync(_queue, maxMessages: 1)).Bodies().Should().Equal("a1");

        var second = await ReceiveAsync(_queue);

        second.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_GroupInFlight_ReturnsNoMessageSentToThatGroupLater()
    {
        await SendAllAsync(_queue, "a", "a1");
        (await ReceiveAsync(_queue)).Bodies().Should().Equal("a1");
        await SendAllAsync(_queue, "a", "a2");

        var second = await ReceiveAsync(_queue);

        second.Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteAsync_HeadOfGroup_UnblocksNextMessage()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        var first = await ReceiveAsync(_queue, maxMessages: 1);

        (await _queue.DeleteAsync(first[0].ReceiptHandle)).Should().BeTrue();
        var second = await ReceiveAsync(_queue);

        second.Bodies().Should().Equal("a2");
    }

    [Fact]
    public async Task ReceiveAsync_OtherGroupWhileOneIsInFlight_ReturnsOtherGroup()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        await SendAllAsync(_queue, "b", "b1", "b2");

        var first = await ReceiveAsync(_queue, maxMessages: 1);
        var second = await ReceiveAsync(_queue, maxMessages: 1);
        var third = await ReceiveAsync(_queue, maxMessages: 1);

        first.Bodies().Should().Equal("a1");
        second.Bodies().Should().Equal("b1");
        third.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_SeveralMessages_TakesAsManyOfOneGroupAsItCanFirst()
    {
        foreach (string body in new[] { "a1", "b1", "a2", "b2", "a3", "b3" })
        {
            await _queue.SendAsync(body, Group(body[..1], body));
        }

        var first = await ReceiveAsync(_queue, maxMessages: 4);
        var second = await ReceiveAsync(_queue);

        first.Bodies().Should().Equal("a1", "a2", "a3", "b1");
        second.Should().BeEmpty("b1 of group b is in flight, so b2 and b3 wait");
    }

    [Fact]
    public async Task ReceiveAsync_UpToTen_MixesGroupsEachInOrder()
    {
        for (int i = 1; i <= 3; i++)
        {
            foreach (string group in new[] { "a", "b", "c" })
            {
                await _queue.SendAsync($"{group}{i}", Group(group, $"{group}{i}"));
            }
        }

        var received = await ReceiveAsync(_queue, maxMessages: 10);

        received.Should().HaveCount(9);
        foreach (string group in new[] { "a", "b", "c" })
        {
            received.Where(m => m.MessageGroupId == group).Bodies().Should().Equal($"{group}1", $"{group}2", $"{group}3");
        }
    }

    [Fact]
    public async Task ReceiveAsync_BatchOfGroupPartlyDeleted_KeepsGroupBlocked()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3");
        var batch = await ReceiveAsync(_queue, maxMessages: 2);
        await _queue.DeleteAsync(batch[0].ReceiptHandle);

        var whileA2InFlight = await ReceiveAsync(_queue);
        await _queue.DeleteAsync(batch[1].ReceiptHandle);
        var afterAllDeleted = await ReceiveAsync(_queue);

        batch.Bodies().Should().Equal("a1", "a2");
        whileA2InFlight.Should().BeEmpty();
        afterAllDeleted.Bodies().Should().Equal("a3");
    }

    [Fact]
    public async Task ReceiveAsync_AfterVisibilityLapses_RedeliversGroupFromTheFrontInOrder()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3");
        (await ReceiveAsync(_queue, maxMessages: 2)).Bodies().Should().Equal("a1", "a2");

        _clock.Advance(s_visibility);
        var again = await ReceiveAsync(_queue);

        again.Bodies().Should().Equal("a1", "a2", "a3");
        again.Select(m => m.ReceiveCount).Should().Equal(2, 2, 1);
    }

    [Fact]
    public async Task ReceiveAsync_JustBeforeVisibilityLapses_ReturnsNothing()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        (await ReceiveAsync(_queue, maxMessages: 1)).Should().ContainSingle();

        _clock.Advance(s_visibility - TimeSpan.FromMilliseconds(1));
        var again = await ReceiveAsync(_queue);

        again.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveAsync_PartOfBatchDeletedThenVisibilityLapses_RedeliversTheRestInOrder()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3", "a4");
        var batch = await ReceiveAsync(_queue, maxMessages: 3);
        await _queue.DeleteAsync(batch[0].ReceiptHandle);

        _clock.Advance(s_visibility);
        var again = await ReceiveAsync(_queue);

        again.Bodies().Should().Equal("a2", "a3", "a4");
        again.Select(m => m.ReceiveCount).Should().Equal(2, 2, 1);
    }

    [Fact]
    public async Task DeleteAsync_HandleFromBeforeRedelivery_ReturnsFalseAndKeepsGroupBlocked()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        var first = await ReceiveAsync(_queue, maxMessages: 1);
        _clock.Advance(s_visibility);
        var again = await ReceiveAsync(_queue, maxMessages: 1);

        bool deleted = await _queue.DeleteAsync(first[0].ReceiptHandle);
        var afterStaleDelete = await ReceiveAsync(_queue);

        again.Bodies().Should().Equal("a1");
        deleted.Should().BeFalse();
        afterStaleDelete.Should().BeEmpty();
    }

    [Fact]
    public async Task ChangeVisibilityAsync_ToZero_ReleasesGroupAtOnce()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        var first = await ReceiveAsync(_queue, maxMessages: 1);

        await _queue.ChangeVisibilityAsync(first[0].ReceiptHandle, TimeSpan.Zero);
        var again = await ReceiveAsync(_queue);

        again.Bodies().Should().Equal("a1", "a2");
        again[0].ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_OneOfBatchToZero_KeepsGroupBlockedWhileTheOtherIsInFlight()
    {
        await SendAllAsync(_queue, "a", "a1", "a2", "a3");
        var batch = await ReceiveAsync(_queue, maxMessages: 2);

        await _queue.ChangeVisibilityAsync(batch[0].ReceiptHandle, TimeSpan.Zero);
        var whileA2InFlight = await ReceiveAsync(_queue);
        await _queue.ChangeVisibilityAsync(batch[1].ReceiptHandle, TimeSpan.Zero);
        var afterBothReleased = await ReceiveAsync(_queue);

        whileA2InFlight.Should().BeEmpty();
        afterBothReleased.Bodies().Should().Equal("a1", "a2", "a3");
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Extended_KeepsGroupBlockedPastQueueTimeout()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        var first = await ReceiveAsync(_queue, maxMessages: 1);
        await _queue.ChangeVisibilityAsync(first[0].ReceiptHandle, TimeSpan.FromMinutes(2));

        _clock.Advance(s_visibility + TimeSpan.FromSeconds(1));
        var blocked = await ReceiveAsync(_queue);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var released = await ReceiveAsync(_queue);

        blocked.Should().BeEmpty();
        released.Bodies().Should().Equal("a1", "a2");
    }

    [Fact]
    public async Task ReceiveAsync_ZeroVisibilityTimeout_LeavesGroupAvailable()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");

        var peek = await _queue.ReceiveAsync(maxMessages: 1, visibilityTimeout: TimeSpan.Zero).AsTask().WaitAsync(Bound);
        var next = await ReceiveAsync(_queue);

        peek.Bodies().Should().Equal("a1");
        next.Bodies().Should().Equal("a1", "a2");
        next[0].ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ReceiveAsync_LongPollWhileGroupBlocked_ReturnsWhenHeadIsDeleted()
    {
        await SendAllAsync(_queue, "a", "a1", "a2");
        var first = await ReceiveAsync(_queue, maxMessages: 1);
        Task<IReadOnlyList<ReceivedMessage<string>>> waiting = _queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.FromSeconds(20)).AsTask();
        waiting.IsCompleted.Should().BeFalse();

        await _queue.DeleteAsync(first[0].ReceiptHandle);
        var received = await waiting.WaitAsync(Bound);

        received.Bodies().Should().Equal("a2");
    }

    [Fact]
    public async Task ReceiveAsync_LongPollWhileGroupBlocked_ReturnsWhenVisibilityLapses()
    {
        await SendAllAsync(_queue, "a", "a1");
        (await _queue.ReceiveAsync(maxMessages: 1, visibilityTimeout: TimeSpan.FromSeconds(10))).Should().ContainSingle();
        Task<IReadOnlyList<ReceivedMessage<string>>> waiting = _queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.FromSeconds(20)).AsTask();
        waiting.IsCompleted.Should().BeFalse();

        _clock.Advance(TimeSpan.FromSeconds(10));
        var received = await waiting.WaitAsync(Bound);

        received.Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ReceiveAsync_QueueDeliveryDelay_DelaysEveryMessageAndKeepsOrder()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("delayed.fifo", o => o.DeliveryDelay = TimeSpan.FromSeconds(10));
        await SendAllAsync(queue, "a", "a1");
        _clock.Advance(TimeSpan.FromSeconds(5));
        await SendAllAsync(queue, "a", "a2");

        var beforeDelay = await ReceiveAsync(queue);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var firstDue = await ReceiveAsync(queue);
        await queue.DeleteAsync(firstDue[0].ReceiptHandle);
        var secondNotDue = await ReceiveAsync(queue);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var secondDue = await ReceiveAsync(queue);

        beforeDelay.Should().BeEmpty();
        firstDue.Bodies().Should().Equal("a1");
        secondNotDue.Should().BeEmpty();
        secondDue.Bodies().Should().Equal("a2");
    }

    [Fact]
    public async Task ReceiveAsync_ManyGroups_EachGroupInOrderAcrossManyReceives()
    {
        const int groups = 5;
        const int perGroup = 12;
        for (int i = 0; i < perGroup; i++)
        {
            for (int g = 0; g < groups; g++)
            {
                await _queue.SendAsync($"{g}:{i}", Group($"g{g}", $"{g}:{i}"));
            }
        }

        var order = new Dictionary<string, List<int>>();
        for (int round = 0; round < 100 && order.Values.Sum(l => l.Count) < groups * perGroup; round++)
        {
            var batch = await ReceiveAsync(_queue, maxMessages: 1 + (round % 4));
            foreach (ReceivedMessage<string> message in batch)
            {
                string[] parts = message.Body.Split(':');
                if (!order.TryGetValue(parts[0], out List<int>? list))
                {
                    list = [];
                    order.Add(parts[0], list);
                }

                list.Add(int.Parse(parts[1], CultureInfo.InvariantCulture));
                await _queue.DeleteAsync(message.ReceiptHandle);
            }
        }

        order.Should().HaveCount(groups);
        order.Values.Should().AllSatisfy(list => list.Should().Equal(Enumerable.Range(0, perGroup)));
    }
}
