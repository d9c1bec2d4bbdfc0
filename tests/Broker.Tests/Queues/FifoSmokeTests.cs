using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class FifoSmokeTests
{
    [Fact]
    public async Task Receive_GroupInFlight_HoldsBackLaterMessagesOfThatGroup()
    {
        var clock = new ManualTimeProvider();
        using var broker = new MessageBroker(clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);
        await queue.SendAsync("a1", new SendOptions { MessageGroupId = "a" });
        await queue.SendAsync("a2", new SendOptions { MessageGroupId = "a" });
        await queue.SendAsync("b1", new SendOptions { MessageGroupId = "b" });
        await queue.SendAsync("a1", new SendOptions { MessageGroupId = "a" }); // duplicate

        var first = await queue.ReceiveAsync(maxMessages: 1);
        var second = await queue.ReceiveAsync(maxMessages: 10);
        var third = await queue.ReceiveAsync(maxMessages: 10);
        await queue.DeleteAsync(first[0].ReceiptHandle);
        var fourth = await queue.ReceiveAsync(maxMessages: 10);

        first.Select(m => m.Body).Should().Equal("a1");
        second.Select(m => m.Body).Should().Equal("b1");
        third.Should().BeEmpty();
        fourth.Select(m => m.Body).Should().Equal("a2");
        string.CompareOrdinal(fourth[0].SequenceNumber, first[0].SequenceNumber).Should().BePositive();
    }
}
