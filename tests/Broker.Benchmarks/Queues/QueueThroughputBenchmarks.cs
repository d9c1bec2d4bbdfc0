using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;
using MassTransit;

namespace Broker.Benchmarks.Queues;

/// <summary>Send, receive and delete of a batch of messages through a standard queue, next to what a user would
/// otherwise pick: a raw unbounded channel, a Dataflow buffer, and MassTransit's in-memory transport.</summary>
/// <remarks>Every figure is per message. <see cref="Workers"/> producers and as many consumers run at once.</remarks>
[BenchmarkCategory("queue")]
public class QueueThroughputBenchmarks
{
    /// <summary>Messages per invocation for the in-process peers and Broker.</summary>
    public const int Messages = 100_000;

    /// <summary>Messages per invocation for MassTransit, which is about a thousand times slower per message.</summary>
    public const int MassTransitMessages = 10_000;

    private static readonly Order s_body = new(1);
    private static readonly TimeSpan s_longPoll = TimeSpan.FromSeconds(20);

    private static readonly long s_visibilityTicks = TimeSpan.FromSeconds(30).Ticks;
    private static readonly long s_visibilityMilliseconds = (long)TimeSpan.FromSeconds(30).TotalMilliseconds;

    private readonly CompletionCounter _massTransitCounter = new();
    private MessageBroker _broker = null!;
    private IMessageQueue<Order> _queue = null!;
    private IBusControl _bus = null!;

    /// <summary>Gets or sets how many producers and how many consumers run at once.</summary>
    [Params(1, 4)]
    public int Workers { get; set; }

    /// <summary>Creates the queue and starts the bus once per parameter set.</summary>
    /// <remarks>Synchronous on purpose: BenchmarkDotNet 0.14's in-process toolchain does not await an asynchronous setup, so the
    /// first iterations could run before the bus exists.</remarks>
    [GlobalSetup]
    public void Setup()
    {
        _broker = new MessageBroker();
        _queue = _broker.CreateQueue<Order>("orders");
        _bus = MassTransitPeer.Start(endpoints: 1, concurrency: Workers, _massTransitCounter);
    }

    /// <summary>Stops the bus and disposes the broker.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _bus.Stop();
        _broker.Dispose();
    }

    /// <summary>The raw unbounded channel: TryWrite, then ReadAsync per message.</summary>
    /// <returns>A task that completes when every message has been read.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public Task Channel_WriteRead()
    {
        Channel<Order> channel = Channel.CreateUnbounded<Order>();
        return RunAsync(
            () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    channel.Writer.TryWrite(s_body);
                }

                return Task.CompletedTask;
            },
            async () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    await channel.Reader.ReadAsync().ConfigureAwait(false);
                }
            });
    }

    /// <summary>The floor of any queue with SQS's timestamps and visibility timeouts, however it stores messages: the raw
    /// channel with one clock read per send (its timestamp) and one per receive (its visibility deadline), as Broker reads.</summary>
    /// <returns>A task that completes when every message has been read.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Floor_ChannelWithClockReads() => ChannelWithClockReads<PreciseClock>(s_visibilityTicks);

    /// <summary>As <see cref="Floor_ChannelWithClockReads"/> with the coarse clock (<see cref="Environment.TickCount64"/>, which
    /// moves in steps of the kernel's tick, 4 ms here): what a queue with timestamps and timers that coarse would pay.</summary>
    /// <returns>A task that completes when every message has been read.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Floor_ChannelWithCoarseClockReads() => ChannelWithClockReads<CoarseClock>(s_visibilityMilliseconds);

    /// <summary>The floor of any queue that keeps a state per message: a channel carrying a new 96-byte record per message,
    /// which the consumer takes with one compare-and-swap.</summary>
    /// <returns>A task that completes when every message has been read.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Floor_ChannelOfNewRecords()
    {
        Channel<MessageRecordStandIn> channel = Channel.CreateUnbounded<MessageRecordStandIn>();
        return RunAsync(
            () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    channel.Writer.TryWrite(new MessageRecordStandIn(s_body, sentAt: i + 1));
                }

                return Task.CompletedTask;
            },
            async () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    MessageRecordStandIn record = await channel.Reader.ReadAsync().ConfigureAwait(false);
                    record.TryReceive(i + 1, s_visibilityTicks);
                }
            });
    }

    /// <summary>The floor of a queue with SQS's timestamps and visibility timeouts: as <see cref="Floor_ChannelOfNewRecords"/>,
    /// with one clock read per send (its timestamp) and one per receive (its visibility deadline), as Broker reads.</summary>
    /// <returns>A task that completes when every message has been read.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Floor_ChannelOfNewRecordsWithClockReads()
    {
        Channel<MessageRecordStandIn> channel = Channel.CreateUnbounded<MessageRecordStandIn>();
        TimeProvider time = TimeProvider.System;
        return RunAsync(
            () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    channel.Writer.TryWrite(new MessageRecordStandIn(s_body, time.GetTimestamp()));
                }

                return Task.CompletedTask;
            },
            async () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    MessageRecordStandIn record = await channel.Reader.ReadAsync().ConfigureAwait(false);
                    record.TryReceive(time.GetTimestamp(), s_visibilityTicks);
                }
            });
    }

    /// <summary>Dataflow's BufferBlock: Post, then ReceiveAsync per message.</summary>
    /// <returns>A task that completes when every message has been received.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task BufferBlock_PostReceive()
    {
        var block = new BufferBlock<Order>();
        return RunAsync(
            () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    block.Post(s_body);
                }

                return Task.CompletedTask;
            },
            async () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    await block.ReceiveAsync().ConfigureAwait(false);
                }
            });
    }

    /// <summary>MassTransit 8.4 in memory: Publish, consumed by a consumer that counts.</summary>
    /// <returns>A task that completes when every message has been consumed.</returns>
    [Benchmark(OperationsPerInvoke = MassTransitMessages)]
    public Task MassTransit_PublishConsume()
    {
        _massTransitCounter.Reset(MassTransitMessages);
        return MassTransitPeer.PublishAndWaitAsync(_bus, Workers, MassTransitMessages, _massTransitCounter);
    }

    /// <summary>Broker: SendAsync, ReceiveAsync (one message, long poll) and DeleteAsync per message.</summary>
    /// <remarks>As the channel's readers, each consumer takes its share of the messages, so none needs a count shared with
    /// the others or a token to end its last wait.</remarks>
    /// <returns>A task that completes when every message has been deleted.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Broker_SendReceiveDelete()
    {
        return RunAsync(
            async () =>
            {
                for (int i = 0; i < Messages / Workers; i++)
                {
                    await _queue.SendAsync(s_body).ConfigureAwait(false);
                }
            },
            async () =>
            {
                for (int taken = 0; taken < Messages / Workers;)
                {
                    foreach (ReceivedMessage<Order> message in await _queue.ReceiveAsync(1, s_longPoll).ConfigureAwait(false))
                    {
                        await _queue.DeleteAsync(message.ReceiptHandle).ConfigureAwait(false);
                        taken++;
                    }
                }
            });
    }

    /// <summary>Broker in batches of 10: SendBatchAsync, ReceiveAsync of up to 10 (long poll) and DeleteBatchAsync.</summary>
    /// <remarks>Each consumer takes its share, asking for no more than it still needs.</remarks>
    /// <returns>A task that completes when every message has been deleted.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Broker_SendReceiveDelete_Batch10()
    {
        return RunAsync(
            async () =>
            {
                SendBatchEntry<Order>[] batch = BatchEntries.Ids.Select(id => new SendBatchEntry<Order>(id, s_body)).ToArray();
                for (int i = 0; i < Messages / Workers / BatchEntries.Size; i++)
                {
                    await _queue.SendBatchAsync(batch).ConfigureAwait(false);
                }
            },
            async () =>
            {
                for (int taken = 0; taken < Messages / Workers;)
                {
                    int wanted = Math.Min(BatchEntries.Size, (Messages / Workers) - taken);
                    IReadOnlyList<ReceivedMessage<Order>> received = await _queue.ReceiveAsync(wanted, s_longPoll).ConfigureAwait(false);
                    if (received.Count > 0)
                    {
                        await _queue.DeleteBatchAsync(BatchEntries.ToDelete(received)).ConfigureAwait(false);
                        taken += received.Count;
                    }
                }
            });
    }

    /// <summary>The raw channel with a read of <typeparamref name="TClock"/> per send and per receive.</summary>
    /// <remarks>The clock is a struct type parameter, so each case is compiled with its clock read inlined.</remarks>
    private Task ChannelWithClockReads<TClock>(long visibility)
        where TClock : struct, IFloorClock
    {
        Channel<Order> channel = Channel.CreateUnbounded<Order>();
        long sum = 0;
        return RunAsync(
            () =>
            {
                long stamps = 0;
                for (int i = 0; i < Messages / Workers; i++)
                {
                    stamps += TClock.Read();
                    channel.Writer.TryWrite(s_body);
                }

                Interlocked.Add(ref sum, stamps);
                return Task.CompletedTask;
            },
            async () =>
            {
                long deadlines = 0;
                for (int i = 0; i < Messages / Workers; i++)
                {
                    await channel.Reader.ReadAsync().ConfigureAwait(false);
                    deadlines += TClock.Read() + visibility;
                }

                Interlocked.Add(ref sum, deadlines);
            });
    }

    private async Task RunAsync(Func<Task> produce, Func<Task> consume)
    {
        var tasks = new Task[2 * Workers];
        for (int i = 0; i < Workers; i++)
        {
            tasks[i] = Task.Run(consume);
            tasks[Workers + i] = Task.Run(produce);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
