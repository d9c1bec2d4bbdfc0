using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;

namespace Broker.Benchmarks.Latency;

/// <summary>Latency from a send to a consumer that is already waiting (a long poll), as percentiles, with a raw channel's
/// ReadAsync as the reference.</summary>
/// <remarks>
/// One message at a time: the producer sends, the consumer wakes and stamps the time, hands the sample back, and waits
/// again; the producer spins 50 us before the next send so the consumer is waiting by then. A receive that found its
/// message without waiting is not a wake-up; such samples are counted and left out.
/// </remarks>
public static class LongPollLatency
{
    private static readonly TimeSpan s_settle = TimeSpan.FromMicroseconds(50);

    /// <summary>Measures and prints a Markdown table.</summary>
    /// <param name="samples">Samples per transport, after 10% more as warm-up.</param>
    /// <param name="output">Where the table goes.</param>
    /// <returns>A task that completes when both transports are measured.</returns>
    public static async Task RunAsync(int samples, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Latency from send to a waiting consumer ({samples:N0} samples each, in microseconds)"));
        output.WriteLine();
        output.WriteLine("| transport | p50 | p90 | p99 | p99.9 | max | not waiting (left out) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        output.WriteLine(Row("Channel<T> ReadAsync", await MeasureChannelAsync(samples).ConfigureAwait(false)));
        output.WriteLine(Row("Broker ReceiveAsync (20 s long poll)", await MeasureBrokerAsync(samples).ConfigureAwait(false)));
    }

    private static async Task<Result> MeasureChannelAsync(int samples)
    {
        Channel<long> channel = Channel.CreateUnbounded<long>();
        return await MeasureAsync(
            samples,
            stamp => channel.Writer.TryWrite(stamp),
            async () =>
            {
                ValueTask<long> read = channel.Reader.ReadAsync();
                bool waited = !read.IsCompleted;
                long sent = await read.ConfigureAwait(false);
                return (sent, waited);
            }).ConfigureAwait(false);
    }

    private static async Task<Result> MeasureBrokerAsync(int samples)
    {
        using var broker = new MessageBroker();
        IMessageQueue<long> queue = broker.CreateQueue<long>("latency");
        return await MeasureAsync(
            samples,
            stamp =>
            {
                Completed.Result(queue.SendAsync(stamp));
            },
            async () =>
            {
                ValueTask<IReadOnlyList<ReceivedMessage<long>>> receive = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20));
                bool waited = !receive.IsCompleted;
                IReadOnlyList<ReceivedMessage<long>> received = await receive.ConfigureAwait(false);
                await queue.DeleteAsync(received[0].ReceiptHandle).ConfigureAwait(false);
                return (received[0].Body, waited);
            }).ConfigureAwait(false);
    }

    private static async Task<Result> MeasureAsync(int samples, Action<long> send, Func<Task<(long Sent, bool Waited)>> receive)
    {
        int warmup = samples / 10;
        var latencies = new List<double>(samples);
        int notWaiting = 0;
        var sampled = Channel.CreateUnbounded<(long Sent, long Woke, bool Waited)>();
        Task consumer = Task.Run(async () =>
        {
            for (int i = 0; i < warmup + samples; i++)
            {
                (long sent, bool waited) = await receive().ConfigureAwait(false);
                long woke = Stopwatch.GetTimestamp();
                sampled.Writer.TryWrite((sent, woke, waited));
            }
        });

        for (int i = 0; i < warmup + samples; i++)
        {
            Spin(s_settle);
            send(Stopwatch.GetTimestamp());
            (long sent, long woke, bool waited) = await sampled.Reader.ReadAsync().ConfigureAwait(false);
            if (i < warmup)
            {
                continue;
            }

            if (!waited)
            {
                notWaiting++;
                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(sent, woke).TotalMicroseconds);
        }

        await consumer.ConfigureAwait(false);
        latencies.Sort();
        return new Result(latencies, notWaiting);
    }

    /// <summary>Busy-waits, since sleeping a thread is both banned here and far too coarse for 50 us.</summary>
    private static void Spin(TimeSpan span)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < span)
        {
            Thread.SpinWait(20);
        }
    }

    private static string Row(string name, Result result)
    {
        static double At(List<double> sorted, double quantile) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(quantile * sorted.Count))];
        List<double> s = result.Latencies;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {At(s, 0.5):F1} | {At(s, 0.9):F1} | {At(s, 0.99):F1} | {At(s, 0.999):F1} | {(s.Count == 0 ? double.NaN : s[^1]):F1} | {result.NotWaiting} |");
    }

    private sealed record Result(List<double> Latencies, int NotWaiting);
}
