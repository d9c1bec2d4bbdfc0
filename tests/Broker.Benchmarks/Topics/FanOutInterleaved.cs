using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks.Dataflow;
using Broker.Benchmarks.Support;
using Broker.Topics;

namespace Broker.Benchmarks.Topics;

/// <summary>Fan-out to 10 delegates and BroadcastBlock to 10 ActionBlocks in alternating rounds of one process, so both are
/// measured under the same machine conditions.</summary>
/// <remarks>
/// BenchmarkDotNet measures one case after the other, tens of seconds apart. On this machine both transports have a faster
/// and a slower steady state, and the machine can move from one to the other between two cases, which then decides their
/// ratio. Here the rounds alternate (and alternate which transport goes first), so each pair of rounds sees the same state.
/// Every round publishes 100,000 messages; the first half of the rounds warms up. Reports the median time per delivery of
/// each transport, the median of the per-pair ratios, in how many pairs Broker was at least as fast, and the thread pool's
/// size at the end (before the topic feed, Broker's fan-out was slower with a larger pool).
/// </remarks>
public static class FanOutInterleaved
{
    private const int Messages = 100_000;
    private const int Subscribers = 10;
    private static readonly Order s_body = new(1);

    /// <summary>Measures and prints a Markdown table.</summary>
    /// <param name="rounds">Rounds per transport; the first half warms up.</param>
    /// <param name="output">Where the table goes.</param>
    /// <returns>A task that completes when every round is measured.</returns>
    public static async Task RunAsync(int rounds, TextWriter output)
    {
        var counter = new CompletionCounter();
        using var broker = new MessageBroker();
        ITopic<Order> topic = broker.CreateTopic<Order>("interleaved");
        var broadcast = new BroadcastBlock<Order>(cloningFunction: null);
        for (int i = 0; i < Subscribers; i++)
        {
            topic.Subscribe((_, _) =>
            {
                counter.Signal();
                return ValueTask.CompletedTask;
            });
            broadcast.LinkTo(new ActionBlock<Order>(_ => counter.Signal()));
        }

        var brokerTimes = new List<double>();
        var broadcastTimes = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            double brokerTime;
            double broadcastTime;
            if (round % 2 == 0)
            {
                brokerTime = await PublishAsync(topic, counter).ConfigureAwait(false);
                broadcastTime = await PostAsync(broadcast, counter).ConfigureAwait(false);
            }
            else
            {
                broadcastTime = await PostAsync(broadcast, counter).ConfigureAwait(false);
                brokerTime = await PublishAsync(topic, counter).ConfigureAwait(false);
            }

            if (round >= rounds / 2)
            {
                brokerTimes.Add(brokerTime);
                broadcastTimes.Add(broadcastTime);
            }
        }

        double[] ratios = brokerTimes.Zip(broadcastTimes, (b, d) => d / b).ToArray();
        int brokerAhead = ratios.Count(r => r >= 1);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fan-out to {Subscribers} delegates, interleaved ({Environment.ProcessorCount} processors, {rounds} rounds of {Messages:N0} publishes each, ns per delivery, the second half)"));
        output.WriteLine();
        output.WriteLine("| Broker, median | BroadcastBlock, median | BroadcastBlock / Broker time, median of the pairs | pairs with Broker at least as fast | thread-pool threads |");
        output.WriteLine("|---:|---:|---:|---:|---:|");
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {Median(brokerTimes):F1} | {Median(broadcastTimes):F1} | {Median(ratios) * 100:F0}% | {brokerAhead} of {ratios.Length} | {ThreadPool.ThreadCount} |"));
    }

    private static async Task<double> PublishAsync(ITopic<Order> topic, CompletionCounter counter)
    {
        counter.Reset(Messages * Subscribers);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Messages; i++)
        {
            await topic.PublishAsync(s_body).ConfigureAwait(false);
        }

        await counter.Task.ConfigureAwait(false);
        return PerDelivery(start);
    }

    private static async Task<double> PostAsync(BroadcastBlock<Order> broadcast, CompletionCounter counter)
    {
        counter.Reset(Messages * Subscribers);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Messages; i++)
        {
            broadcast.Post(s_body);
        }

        await counter.Task.ConfigureAwait(false);
        return PerDelivery(start);
    }

    private static double PerDelivery(long start) => Stopwatch.GetElapsedTime(start).TotalNanoseconds / (Messages * Subscribers);

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
