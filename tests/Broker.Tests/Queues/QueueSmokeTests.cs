using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class QueueSmokeTests
{
    [Fact]
    public async Task Receive_AfterVisibilityTimeoutElapses_RedeliversMessage()
    {
        var clock = new ManualTimeProvider();
        using var broker = new MessageBroker(clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(30));
        await queue.SendAsync("latte");
        (await queue.ReceiveAsync()).Should().ContainSingle();
        (await queue.ReceiveAsync()).Should().BeEmpty();

        clock.Advance(TimeSpan.FromSeconds(30));
        var again = await queue.ReceiveAsync();

        again.Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }
}
