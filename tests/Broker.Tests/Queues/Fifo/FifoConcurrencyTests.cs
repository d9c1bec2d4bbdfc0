using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoConcurrencyTests
{
    private const int Rounds = 50;
    private const int Contenders = 8;

    [Fact]
    public async Task ReceiveAsync_ConcurrentReceiversOfOneGroup_OnlyOneGetsTheGroup()
    {
        for (int round = 0; round < Rounds; round++)
        {
            using var broker = new MessageBroker(new ManualTimeProvider());
            IMessageQueue<string> queue = broker.CreateQueue<string>("race.fifo");
            await SendAllAsync(queue, "a", "a1", "a2", "a3");
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            Task<IReadOnlyList<ReceivedMessage<string>>>[] receivers = Enumerable.Range(0, Contenders)
                .Select(_ => Task.Run(async () =>
                {
                    await start.Task;
                    return await queue.ReceiveAsync(maxMessages: 2);
                }))
                .ToArray();
            start.SetResult();
            IReadOnlyList<ReceivedMessage<string>>[] results = await Task.WhenAll(receivers).WaitAsync(Bound);

            results.Where(r => r.Count > 0).Should().ContainSingle("round {0}: one receiver holds group a", round)
                .Which.Bodies().Should().Equal("a1", "a2");
        }
    }

    [Fact]
    public async Task SendAsync_ConcurrentSendsOfOneDeduplicationId_StoreOneMessageAndReturnOneResult()
    {
        for (int round = 0; round < Rounds; round++)
        {
            using var broker = new MessageBroker(new ManualTimeProvider());
            IMessageQueue<string> queue = broker.CreateQueue<string>("race.fifo");
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            Task<SendResult>[] senders = Enumerable.Range(0, Contenders)
                .Select(i => Task.Run(async () =>
                {
                    await start.Task;
                    return await queue.SendAsync($"copy{i}", Group($"g{i % 2}", "same"));
                }))
                .ToArray();
            start.SetResult();
            SendResult[] results = await Task.WhenAll(senders).WaitAsync(Bound);
            var received = await ReceiveAsync(queue);

            results.Distinct().Should().ContainSingle("round {0}: every send reports the one stored message", round);
            received.Should().ContainSingle().Which.MessageId.Should().Be(results[0].MessageId);
        }
    }

    [Fact]
    public async Task DeleteAsync_RacingReceiversAfterDelete_NextMessageGoesToExactlyOne()
    {
        for (int round = 0; round < Rounds; round++)
        {
            using var broker = new MessageBroker(new ManualTimeProvider());
            IMessageQueue<string> queue = broker.CreateQueue<string>("race.fifo");
            await SendAllAsync(queue, "a", "a1", "a2");
            var head = await ReceiveAsync(queue, maxMessages: 1);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            Task<IReadOnlyList<ReceivedMessage<string>>>[] receivers = Enumerable.Range(0, Contenders)
                .Select(_ => Task.Run(async () =>
                {
                    await start.Task;
                    return await queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.FromSeconds(20));
                }))
                .ToArray();
            Task<bool> deleting = Task.Run(async () =>
            {
                await start.Task;
                return await queue.DeleteAsync(head[0].ReceiptHandle);
            });
            start.SetResult();
            (await deleting.WaitAsync(Bound)).Should().BeTrue();
            Task<IReadOnlyList<ReceivedMessage<string>>> winner = await Task.WhenAny(receivers).WaitAsync(Bound);
            IReadOnlyList<ReceivedMessage<string>> won = await winner;
            broker.DeleteQueue("race.fifo");
            IReadOnlyList<ReceivedMessage<string>>[] others = await Task.WhenAll(receivers.Where(r => r != winner).Select(async r =>
            {
                try
                {
                    return await r;
                }
                catch (BrokerException e) when (e.ErrorCode == BrokerErrorCode.QueueDoesNotExist)
                {
                    return [];
                }
            })).WaitAsync(Bound);

            won.Bodies().Should().Equal("a2");
            others.Should().AllSatisfy(r => r.Should().BeEmpty("round {0}: a2 goes to one receiver only", round));
        }
    }
}
