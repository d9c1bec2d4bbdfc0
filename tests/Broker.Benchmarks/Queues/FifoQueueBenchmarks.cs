using System.Globalization;
using BenchmarkDotNet.Attributes;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;

namespace Broker.Benchmarks.Queues;

/// <summary>A FIFO queue with many message groups, next to a standard queue driven the same way (one producer sending
/// singly, one consumer receiving up to 10 and deleting them in a batch).</summary>
[BenchmarkCategory("fifo")]
public class FifoQueueBenchmarks
{
    /// <summary>Messages per invocation.</summary>
    public const int Messages = 100_000;

    /// <summary>How many message groups the FIFO messages are spread over.</summary>
    public const int Groups = 1_000;

    private static readonly Order s_body = new(1);
    private static readonly string[] s_groups = Enumerable.Range(0, Groups).Select(i => $"group-{i}").ToArray();

    private MessageBroker _broker = null!;
    private IMessageQueue<Order> _fifo = null!;
    private IMessageQueue<Order> _standard = null!;
    private long _nextDeduplicationId;

    /// <summary>Creates the queues.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _broker = new MessageBroker();
        _fifo = _broker.CreateQueue<Order>("orders.fifo");
        _standard = _broker.CreateQueue<Order>("orders");
    }

    /// <summary>Disposes the broker.</summary>
    [GlobalCleanup]
    public void Cleanup() => _broker.Dispose();

    /// <summary>The standard queue, for reference.</summary>
    /// <returns>A task that completes when every message has been deleted.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public Task Broker_Standard_SendReceive10Delete10() => RunAsync(_standard, fifo: false);

    /// <summary>The FIFO queue: each message has a group (round robin over <see cref="Groups"/>) and a de-duplication id.</summary>
    /// <returns>A task that completes when every message has been deleted.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Broker_Fifo1000Groups_SendReceive10Delete10() => RunAsync(_fifo, fifo: true);

    private async Task RunAsync(IMessageQueue<Order> queue, bool fifo)
    {
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Messages; i++)
            {
                SendOptions? options = fifo
                    ? new SendOptions { MessageGroupId = s_groups[i % Groups], DeduplicationId = (++_nextDeduplicationId).ToString(CultureInfo.InvariantCulture) }
                    : null;
                await queue.SendAsync(s_body, options).ConfigureAwait(false);
            }
        });
        Task consumer = Task.Run(async () =>
        {
            int taken = 0;
            while (taken < Messages)
            {
                IReadOnlyList<ReceivedMessage<Order>> received = await queue.ReceiveAsync(BatchEntries.Size, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
                if (received.Count == 0)
                {
                    continue;
                }

                await queue.DeleteBatchAsync(BatchEntries.ToDelete(received)).ConfigureAwait(false);
                taken += received.Count;
            }
        });
        await Task.WhenAll(producer, consumer).ConfigureAwait(false);
    }
}
