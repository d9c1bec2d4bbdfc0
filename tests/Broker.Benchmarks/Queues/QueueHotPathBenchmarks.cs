using BenchmarkDotNet.Attributes;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;

namespace Broker.Benchmarks.Queues;

/// <summary>The parts of a standard queue's send, receive and delete on one thread, with no waiting: where the time of
/// <see cref="QueueThroughputBenchmarks"/> goes once the thread hand-offs are taken out. Used to profile the hot path.</summary>
[BenchmarkCategory("hot-path")]
public class QueueHotPathBenchmarks
{
    /// <summary>Messages per invocation.</summary>
    public const int Messages = 100_000;

    /// <summary>Messages per invocation of the long-poll case, in which every message waits for a thread-pool hand-off.</summary>
    public const int WaitedMessages = 10_000;

    private static readonly Order s_body = new(1);

    private MessageBroker _broker = null!;
    private IMessageQueue<Order> _queue = null!;
    private ReceiptHandle[] _handles = null!;

    /// <summary>Creates the queue.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _broker = new MessageBroker();
        _queue = _broker.CreateQueue<Order>("orders");
        _handles = new ReceiptHandle[Messages];
    }

    /// <summary>Disposes the broker.</summary>
    [GlobalCleanup]
    public void Cleanup() => _broker.Dispose();

    /// <summary>Fills the queue before the receive benchmark.</summary>
    [IterationSetup(Targets = [nameof(Receive)])]
    public void Fill() => SendAll();

    /// <summary>Fills the queue and receives every message before the delete benchmark.</summary>
    [IterationSetup(Targets = [nameof(Delete)])]
    public void FillAndReceive()
    {
        SendAll();
        ReceiveAll();
    }

    /// <summary>Empties the queue after the send benchmark.</summary>
    [IterationCleanup(Targets = [nameof(Send)])]
    public void Empty() => Completed.Result(_queue.PurgeAsync());

    /// <summary>Empties the queue after the receive benchmark (the messages are in flight).</summary>
    [IterationCleanup(Targets = [nameof(Receive)])]
    public void DeleteAll() => Delete();

    /// <summary>SendAsync alone.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public void Send() => SendAll();

    /// <summary>ReceiveAsync of one message, without a wait, from a full queue.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public void Receive() => ReceiveAll();

    /// <summary>DeleteAsync of in-flight messages.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public void Delete()
    {
        foreach (ReceiptHandle handle in _handles)
        {
            Completed.Result(_queue.DeleteAsync(handle));
        }
    }

    /// <summary>Send, receive and delete one message at a time, so the queue is never deeper than one.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public void SendReceiveDelete_OneByOne()
    {
        for (int i = 0; i < Messages; i++)
        {
            Completed.Result(_queue.SendAsync(s_body));
            ReceivedMessage<Order> message = Completed.Result(_queue.ReceiveAsync(1, TimeSpan.Zero))[0];
            Completed.Result(_queue.DeleteAsync(message.ReceiptHandle));
        }
    }

    /// <summary>A long poll waiting on the empty queue, the send that ends it, and the delete: what a consumer that keeps up
    /// with its producer pays per message, a wait included.</summary>
    /// <returns>A task that completes when every message is deleted.</returns>
    [Benchmark(OperationsPerInvoke = WaitedMessages)]
    public async Task LongPoll_SendDelete_OneByOne()
    {
        for (int i = 0; i < WaitedMessages; i++)
        {
#pragma warning disable CA2012 // Awaited once, below, after the send that completes it.
            ValueTask<IReadOnlyList<ReceivedMessage<Order>>> waiting = _queue.ReceiveAsync(1, TimeSpan.FromSeconds(20));
#pragma warning restore CA2012
            await _queue.SendAsync(s_body);
            ReceivedMessage<Order> message = (await waiting)[0];
            await _queue.DeleteAsync(message.ReceiptHandle);
        }
    }

    private void SendAll()
    {
        for (int i = 0; i < Messages; i++)
        {
            Completed.Result(_queue.SendAsync(s_body));
        }
    }

    private void ReceiveAll()
    {
        for (int i = 0; i < Messages; i++)
        {
            _handles[i] = Completed.Result(_queue.ReceiveAsync(1, TimeSpan.Zero))[0].ReceiptHandle;
        }
    }
}
