using System.Collections;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

/// <summary>A receive of one message returns a list of one that is its own first enumerator; it must still behave as an
/// ordinary read-only list however it is read, again and again, and from several threads.</summary>
public sealed class ReceiveResultListTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task ReceiveAsync_OneMessage_ListHasCountOneAndIndexZeroOnly()
    {
        (MessageBroker broker, IReadOnlyList<ReceivedMessage<string>> received) = await ReceiveOneAsync();
        using (broker)
        {
            received.Should().HaveCount(1);
            received[0].Body.Should().Be("latte");
            FluentActions.Invoking(() => received[1]).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("index");
            FluentActions.Invoking(() => received[-1]).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("index");
        }
    }

    [Fact]
    public async Task ReceiveAsync_OneMessage_EnumeratesTheSameMessageEveryTime()
    {
        (MessageBroker broker, IReadOnlyList<ReceivedMessage<string>> received) = await ReceiveOneAsync();
        using (broker)
        {
            var first = new List<ReceivedMessage<string>>();
            foreach (ReceivedMessage<string> message in received)
            {
                first.Add(message);
            }

            received.ToList().Should().Equal(first);
            received.Select(m => m.Body).Should().Equal("latte");
            first.Should().ContainSingle().Which.ReceiveCount.Should().Be(1);
        }
    }

    [Fact]
    public async Task ReceiveAsync_OneMessage_NestedAndNonGenericEnumerationsAreIndependent()
    {
        (MessageBroker broker, IReadOnlyList<ReceivedMessage<string>> received) = await ReceiveOneAsync();
        using (broker)
        {
            using IEnumerator<ReceivedMessage<string>> outer = received.GetEnumerator();
            outer.MoveNext().Should().BeTrue();
            using IEnumerator<ReceivedMessage<string>> inner = received.GetEnumerator();
            inner.MoveNext().Should().BeTrue();
            inner.Current.Body.Should().Be("latte");
            inner.MoveNext().Should().BeFalse();
            outer.Current.Body.Should().Be("latte");
            outer.MoveNext().Should().BeFalse();

            IEnumerator untyped = ((IEnumerable)received).GetEnumerator();
            untyped.MoveNext().Should().BeTrue();
            untyped.Current.Should().BeOfType<ReceivedMessage<string>>().Which.Body.Should().Be("latte");
            untyped.MoveNext().Should().BeFalse();
        }
    }

    [Fact]
    public async Task ReceiveAsync_OneMessage_ConcurrentEnumerationsEachSeeTheMessageOnce()
    {
        (MessageBroker broker, IReadOnlyList<ReceivedMessage<string>> received) = await ReceiveOneAsync();
        using (broker)
        {
            int[] seen = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => received.Count(m => m.Body == "latte"))));

            seen.Should().AllBeEquivalentTo(1);
        }
    }

    private async Task<(MessageBroker Broker, IReadOnlyList<ReceivedMessage<string>> Received)> ReceiveOneAsync()
    {
        var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.Zero);
        return (broker, received);
    }
}
