using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoSequenceNumberTests : IDisposable
{
    private readonly MessageBroker _broker = new(new ManualTimeProvider());
    private readonly IMessageQueue<string> _queue;

    public FifoSequenceNumberTests()
    {
        _queue = _broker.CreateQueue<string>("orders.fifo");
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task SendAsync_ReturnsTwentyDigitSequenceNumbers()
    {
        SendResult sent = await _queue.SendAsync("a1", Group("a", "d1"));

        sent.SequenceNumber.Should().MatchRegex("^[0-9]{20}$");
    }

    [Fact]
    public async Task SendAsync_SequenceNumbersStrictlyIncreaseAcrossGroups()
    {
        var numbers = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            numbers.Add((await _queue.SendAsync($"m{i}", Group($"g{i % 4}", $"m{i}"))).SequenceNumber!);
        }

        numbers.Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        numbers.Select(n => decimal.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task ReceiveAsync_ReturnsSequenceNumberGroupAndDeduplicationIdOfTheSend()
    {
        SendResult a1 = await _queue.SendAsync("a1", Group("a", "dedup-a1"));
        SendResult b1 = await _queue.SendAsync("b1", Group("b", "dedup-b1"));

        var received = await ReceiveAsync(_queue);

        received.Select(m => (m.Body, m.MessageId, m.SequenceNumber, m.MessageGroupId, m.MessageDeduplicationId)).Should().Equal(
            ("a1", a1.MessageId, a1.SequenceNumber, "a", "dedup-a1"),
            ("b1", b1.MessageId, b1.SequenceNumber, "b", "dedup-b1"));
    }

    [Fact]
    public async Task ReceiveAsync_Redelivery_KeepsSequenceNumber()
    {
        SendResult sent = await _queue.SendAsync("a1", Group("a", "d1"));
        var first = await ReceiveAsync(_queue);
        await _queue.ChangeVisibilityAsync(first[0].ReceiptHandle, TimeSpan.Zero);

        var again = await ReceiveAsync(_queue);

        again.Should().ContainSingle().Which.SequenceNumber.Should().Be(sent.SequenceNumber);
    }

    [Fact]
    public async Task ReceiveAsync_WithinGroup_SequenceNumbersStrictlyIncreaseInDeliveryOrder()
    {
        for (int i = 0; i < 10; i++)
        {
            await _queue.SendAsync($"a{i}", Group("a", $"a{i}"));
            await _queue.SendAsync($"b{i}", Group("b", $"b{i}"));
        }

        var received = new List<(string Group, string Sequence)>();
        for (int round = 0; round < 40 && received.Count < 20; round++)
        {
            foreach (var message in await ReceiveAsync(_queue, maxMessages: 3))
            {
                received.Add((message.MessageGroupId!, message.SequenceNumber!));
                await _queue.DeleteAsync(message.ReceiptHandle);
            }
        }

        received.Should().HaveCount(20);
        received.Where(r => r.Group == "a").Select(r => r.Sequence).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        received.Where(r => r.Group == "b").Select(r => r.Sequence).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task SendAsync_AfterPurge_SequenceNumbersKeepIncreasing()
    {
        SendResult before = await _queue.SendAsync("a1", Group("a", "d1"));
        await _queue.PurgeAsync();

        SendResult after = await _queue.SendAsync("a2", Group("a", "d2"));

        string.CompareOrdinal(after.SequenceNumber, before.SequenceNumber).Should().BePositive();
    }
}
