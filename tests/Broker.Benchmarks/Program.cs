using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Broker.Benchmarks.Latency;
using Broker.Benchmarks.Machine;
using Broker.Benchmarks.Queues;
using Broker.Benchmarks.Scale;
using Broker.Benchmarks.Support;
using Broker.Benchmarks.Topics;

// Modes (see docs/benchmarks.md):
//   (no arguments)        every benchmark, then the latency and memory measurements: the figures in the docs.
//   --quick               a small subset with fewer iterations, for a smoke test (under 2 minutes).
//   --latency [samples]   only the latency measurement.
//   --memory              only the memory-per-message measurement.
//   --cores [rounds]      only the core-sharing measurement: what a second busy thread costs one thread here.
//   --fanout [rounds]     only the interleaved fan-out measurement: Broker and BroadcastBlock in alternating rounds.
//   anything else         passed to BenchmarkDotNet's switcher with the full settings, e.g. --filter *FanOut*.
Type[] all = [typeof(QueueThroughputBenchmarks), typeof(QueueHotPathBenchmarks), typeof(FifoQueueBenchmarks), typeof(FanOutBenchmarks), typeof(FilterPolicyBenchmarks), typeof(VisibilityExpiryBenchmarks)];
string mode = args.Length > 0 ? args[0] : string.Empty;
switch (mode)
{
    case "--quick":
        string[] quick =
        [
            nameof(QueueThroughputBenchmarks.Channel_WriteRead),
            nameof(QueueThroughputBenchmarks.Floor_ChannelOfNewRecordsWithClockReads),
            nameof(QueueThroughputBenchmarks.BufferBlock_PostReceive),
            nameof(QueueThroughputBenchmarks.Broker_SendReceiveDelete),
            nameof(QueueThroughputBenchmarks.Broker_SendReceiveDelete_Batch10),
            nameof(QueueThroughputBenchmarks.MassTransit_PublishConsume),
            nameof(FanOutBenchmarks.BroadcastBlock_10ActionBlocks),
            nameof(FanOutBenchmarks.Broker_Publish_10Delegates),
            nameof(FilterPolicyBenchmarks.Matches_ThreeKeys_Match),
        ];
        ManualConfig quickConfig = BenchmarkJobs.Quick().AddFilter(new SimpleFilter(b =>
            quick.Contains(b.Descriptor.WorkloadMethod.Name)
            && b.Parameters.Items.All(p => p.Name != nameof(QueueThroughputBenchmarks.Workers) || (int)p.Value! == 1)));
        Fail(BenchmarkRunner.Run([typeof(QueueThroughputBenchmarks), typeof(FanOutBenchmarks), typeof(FilterPolicyBenchmarks)], quickConfig));
        await LongPollLatency.RunAsync(2_000, Console.Out).ConfigureAwait(false);
        MemoryPerMessage.Run([100_000], Console.Out);
        await CoreSharing.RunAsync(2, Console.Out).ConfigureAwait(false);
        await FanOutInterleaved.RunAsync(2, Console.Out).ConfigureAwait(false);
        break;
    case "--latency":
        await LongPollLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000, Console.Out).ConfigureAwait(false);
        break;
    case "--memory":
        MemoryPerMessage.Run([100_000, 1_000_000], Console.Out);
        break;
    case "--cores":
        await CoreSharing.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30, Console.Out).ConfigureAwait(false);
        break;
    case "--fanout":
        await FanOutInterleaved.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40, Console.Out).ConfigureAwait(false);
        break;
    case "":
        Fail(BenchmarkRunner.Run(all, BenchmarkJobs.Full()));
        await LongPollLatency.RunAsync(20_000, Console.Out).ConfigureAwait(false);
        MemoryPerMessage.Run([100_000, 1_000_000], Console.Out);
        await CoreSharing.RunAsync(30, Console.Out).ConfigureAwait(false);
        await FanOutInterleaved.RunAsync(40, Console.Out).ConfigureAwait(false);
        break;
    default:
        Fail(BenchmarkSwitcher.FromTypes(all).Run(args, BenchmarkJobs.Full()));
        break;
}

// A benchmark that threw still leaves BenchmarkDotNet's exit code at 0; a smoke test must see it fail.
static void Fail(IEnumerable<Summary> summaries)
{
    if (summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)))
    {
        Console.Error.WriteLine("Some benchmarks failed; see the log above.");
        Environment.ExitCode = 1;
    }
}
