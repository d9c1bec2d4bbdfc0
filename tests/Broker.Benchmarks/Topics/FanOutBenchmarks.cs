using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using MassTransit;

namespace Broker.Benchmarks.Topics;

/// <summary>Publish once, deliver to many: Broker topics next to Dataflow's BroadcastBlock and MassTransit's fan-out.</summary>
/// <remarks>Figures are per delivery (messages times subscribers), so 1 and 10 subscribers compare directly.</remarks>
public class FanOutBenchmarks
{
    /// <summary>Messages published per invocation.</summary>
    public const int Messages = 100_000;

    /// <summary>Messages published per invocation to MassTransit.</summary>
    public const int MassTransitMessages = 5_000;

    private const int Ten = 10;
    private static readonly Order s_body = new(1);
    private static readonly string s_filter = """{"kind": ["order"], "region": [{"prefix": "eu-"}]}""";

    private readonly CompletionCounter _counter = new();
    private MessageBroker _broker = null!;
    private ITopic<Order> _topicOne = null!;
    private ITopic<Order> _topicTen = null!;
    private ITopic<Order> _topicTenFiltered = null!;
    private ITopic<Order> _topicTenQueues = null!;
    private IMessageQueue<Order>[] _queues = null!;
    private PublishOptions _matchingAttributes = null!;
    private BroadcastBlock<Order> _broadcastOne = null!;
    private BroadcastBlock<Order> _broadcastTen = null!;
    private IBusControl _bus = null!;

    /// <summary>Creates the topics, subscriptions, blocks and bus once.</summary>
    /// <remarks>Synchronous on purpose: BenchmarkDotNet 0.14's in-process toolchain does not await an asynchronous setup, so the
    /// first iterations could run before the bus exists.</remarks>
    [GlobalSetup]
    public void Setup()
    {
        _broker = new MessageBroker();
        _topicOne = _broker.CreateTopic<Order>("one");
        _topicTen = _broker.CreateTopic<Order>("ten");
        _topicTenFiltered = _broker.CreateTopic<Order>("ten-filtered");
        _topicTenQueues = _broker.CreateTopic<Order>("ten-queues");
        _topicOne.Subscribe(Count);
        _queues = new IMessageQueue<Order>[Ten];
        for (int i = 0; i < Ten; i++)
        {
            _topicTen.Subscribe(Count);
            _topicTenFiltered.Subscribe(Count, o => o.FilterPolicy = s_filter);
            _queues[i] = _broker.CreateQueue<Order>($"subscriber-{i}");
            _topicTenQueues.Subscribe(_queues[i]);
        }

        _matchingAttributes = new PublishOptions
        {
            Attributes = new Dictionary<string, MessageAttributeValue> { ["kind"] = "order", ["region"] = "eu-west-1" },
        };

        _broadcastOne = Broadcast(1);
        _broadcastTen = Broadcast(Ten);
        _bus = MassTransitPeer.Start(endpoints: Ten, concurrency: 1, _counter);
    }

    /// <summary>Stops the bus and disposes the broker.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _bus.Stop();
        _broker.Dispose();
    }

    /// <summary>Empties the subscribed queues after the queue fan-out, outside the measurement.</summary>
    [IterationCleanup(Target = nameof(Broker_Publish_10Queues))]
    public void EmptyQueues()
    {
        foreach (IMessageQueue<Order> queue in _queues)
        {
#pragma warning disable VSTHRD002 // An in-memory purge completes synchronously; iteration cleanups are synchronous.
            _ = queue.PurgeAsync().AsTask().GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
        }
    }

    /// <summary>BroadcastBlock linked to one ActionBlock.</summary>
    /// <returns>A task that completes when every delivery has run.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    [BenchmarkCategory("fanout-1")]
    public Task BroadcastBlock_1ActionBlock() => PostAndWaitAsync(_broadcastOne, Messages);

    /// <summary>A topic with one delegate subscriber.</summary>
    /// <returns>A task that completes when every delivery has run.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    [BenchmarkCategory("fanout-1")]
    public Task Broker_Publish_1Delegate() => PublishAndWaitAsync(_topicOne, null, Messages);

    /// <summary>BroadcastBlock linked to ten ActionBlocks.</summary>
    /// <returns>A task that completes when every delivery has run.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages * Ten)]
    [BenchmarkCategory("fanout-10")]
    public Task BroadcastBlock_10ActionBlocks() => PostAndWaitAsync(_broadcastTen, Messages * Ten);

    /// <summary>A topic with ten delegate subscribers.</summary>
    /// <returns>A task that completes when every delivery has run.</returns>
    [Benchmark(OperationsPerInvoke = Messages * Ten)]
    [BenchmarkCategory("fanout-10")]
    public Task Broker_Publish_10Delegates() => PublishAndWaitAsync(_topicTen, null, Messages * Ten);

    /// <summary>A topic with ten delegate subscribers, each with a two-key filter policy that every message matches.</summary>
    /// <returns>A task that completes when every delivery has run.</returns>
    [Benchmark(OperationsPerInvoke = Messages * Ten)]
    [BenchmarkCategory("fanout-10")]
    public Task Broker_Publish_10FilteredDelegates() => PublishAndWaitAsync(_topicTenFiltered, _matchingAttributes, Messages * Ten);

    /// <summary>A topic with ten queue subscribers: the publish returns once all ten queues hold the message.</summary>
    /// <returns>A task that completes when every message is in every queue.</returns>
    [Benchmark(OperationsPerInvoke = Messages * Ten)]
    [BenchmarkCategory("fanout-10")]
    public async Task Broker_Publish_10Queues()
    {
        for (int i = 0; i < Messages; i++)
        {
            await _topicTenQueues.PublishAsync(s_body).ConfigureAwait(false);
        }
    }

    /// <summary>MassTransit 8.4 in memory: publish to ten receive endpoints, each with one counting consumer.</summary>
    /// <returns>A task that completes when every delivery has been consumed.</returns>
    [Benchmark(OperationsPerInvoke = MassTransitMessages * Ten)]
    [BenchmarkCategory("fanout-10")]
    public Task MassTransit_Publish_10Consumers()
    {
        _counter.Reset(MassTransitMessages * Ten);
        return MassTransitPeer.PublishAndWaitAsync(_bus, producers: 1, MassTransitMessages, _counter);
    }

    private BroadcastBlock<Order> Broadcast(int targets)
    {
        var block = new BroadcastBlock<Order>(cloningFunction: null);
        for (int i = 0; i < targets; i++)
        {
            block.LinkTo(new ActionBlock<Order>(_ => _counter.Signal()));
        }

        return block;
    }

    private Task PostAndWaitAsync(BroadcastBlock<Order> block, int deliveries)
    {
        _counter.Reset(deliveries);
        for (int i = 0; i < Messages; i++)
        {
            block.Post(s_body);
        }

        return _counter.Task;
    }

    private async Task PublishAndWaitAsync(ITopic<Order> topic, PublishOptions? options, int deliveries)
    {
        _counter.Reset(deliveries);
        for (int i = 0; i < Messages; i++)
        {
            await topic.PublishAsync(s_body, options).ConfigureAwait(false);
        }

        await _counter.Task.ConfigureAwait(false);
    }

    private ValueTask Count(TopicMessage<Order> message, CancellationToken cancellationToken)
    {
        _counter.Signal();
        return ValueTask.CompletedTask;
    }
}
