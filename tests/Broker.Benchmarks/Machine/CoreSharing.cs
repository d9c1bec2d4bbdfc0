using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;

namespace Broker.Benchmarks.Machine;

/// <summary>How much two threads get from the machine's cores: a one-thread loop alone and with another thread busy, and
/// the same work split between a producer and a consumer.</summary>
/// <remarks>
/// The queue targets compare two-thread pipelines. Where two cores share one core's execution resources (hyperthreads, or
/// virtual CPUs placed on them), a busy second thread slows the first, and a producer/consumer pair is bound by the sum of
/// its two sides' work rather than by the slower side. The loops: a raw channel's TryWrite then ReadAsync on one thread,
/// and Broker's send, receive and delete on one thread, each alone and with a thread spinning on arithmetic beside it;
/// then each split into one producer and one consumer. Medians of the second half of the rounds, in ns per message.
/// </remarks>
public static class CoreSharing
{
    private const int Messages = 100_000;
    private static readonly Order s_body = new(1);

    /// <summary>Measures and prints a Markdown table.</summary>
    /// <param name="rounds">Rounds per loop; the first half warms up.</param>
    /// <param name="output">Where the table goes.</param>
    /// <returns>A task that completes when every loop is measured.</returns>
    public static async Task RunAsync(int rounds, TextWriter output)
    {
        using var broker = new MessageBroker();
        IMessageQueue<Order> queue = broker.CreateQueue<Order>("core-sharing");
        var channelAlone = new List<double>();
        var channelBusy = new List<double>();
        var channelPair = new List<double>();
        var brokerAlone = new List<double>();
        var brokerBusy = new List<double>();
        var brokerPair = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            channelAlone.Add(await ChannelOneThreadAsync().ConfigureAwait(false));
            brokerAlone.Add(await BrokerOneThreadAsync(queue).ConfigureAwait(false));
            using (BusyThread.Start())
            {
                channelBusy.Add(await ChannelOneThreadAsync().ConfigureAwait(false));
                brokerBusy.Add(await BrokerOneThreadAsync(queue).ConfigureAwait(false));
            }

            channelPair.Add(await ChannelPairAsync().ConfigureAwait(false));
            brokerPair.Add(await BrokerPairAsync(queue).ConfigureAwait(false));
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Core sharing ({Environment.ProcessorCount} processors, {rounds} rounds of {Messages:N0} messages, ns per message, medians of the second half)"));
        output.WriteLine();
        output.WriteLine("| loop | one thread alone | one thread, another thread busy | slowdown | producer + consumer (1/1) | 1/1 against one thread alone |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        output.WriteLine(Row("Channel<T> TryWrite + ReadAsync", channelAlone, channelBusy, channelPair));
        output.WriteLine(Row("Broker send + receive + delete", brokerAlone, brokerBusy, brokerPair));
    }

    private static async Task<double> ChannelOneThreadAsync()
    {
        Channel<Order> channel = Channel.CreateUnbounded<Order>();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Messages; i++)
        {
            channel.Writer.TryWrite(s_body);
            await channel.Reader.ReadAsync().ConfigureAwait(false);
        }

        return PerMessage(start);
    }

    private static async Task<double> BrokerOneThreadAsync(IMessageQueue<Order> queue)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Messages; i++)
        {
            await queue.SendAsync(s_body).ConfigureAwait(false);
            IReadOnlyList<ReceivedMessage<Order>> received = await queue.ReceiveAsync(1).ConfigureAwait(false);
            await queue.DeleteAsync(received[0].ReceiptHandle).ConfigureAwait(false);
        }

        return PerMessage(start);
    }

    private static async Task<double> ChannelPairAsync()
    {
        Channel<Order> channel = Channel.CreateUnbounded<Order>();
        long start = Stopwatch.GetTimestamp();
        Task consumer = Task.Run(async () =>
        {
            for (int i = 0; i < Messages; i++)
            {
                await channel.Reader.ReadAsync().ConfigureAwait(false);
            }
        });
        Task producer = Task.Run(() =>
        {
            for (int i = 0; i < Messages; i++)
            {
                channel.Writer.TryWrite(s_body);
            }
        });
        await Task.WhenAll(consumer, producer).ConfigureAwait(false);
        return PerMessage(start);
    }

    private static async Task<double> BrokerPairAsync(IMessageQueue<Order> queue)
    {
        long start = Stopwatch.GetTimestamp();
        Task consumer = Task.Run(async () =>
        {
            for (int taken = 0; taken < Messages;)
            {
                foreach (ReceivedMessage<Order> message in await queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).ConfigureAwait(false))
                {
                    await queue.DeleteAsync(message.ReceiptHandle).ConfigureAwait(false);
                    taken++;
                }
            }
        });
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Messages; i++)
            {
                await queue.SendAsync(s_body).ConfigureAwait(false);
            }
        });
        await Task.WhenAll(consumer, producer).ConfigureAwait(false);
        return PerMessage(start);
    }

    private static double PerMessage(long start) => Stopwatch.GetElapsedTime(start).TotalNanoseconds / Messages;

    private static string Row(string name, List<double> alone, List<double> busy, List<double> pair)
    {
        double a = Median(alone);
        double b = Median(busy);
        double p = Median(pair);
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {a:F1} | {b:F1} | x{b / a:F2} | {p:F1} | x{p / a:F2} |");
    }

    private static double Median(List<double> rounds)
    {
        List<double> measured = [.. rounds.Skip(rounds.Count / 2).Order()];
        return measured[measured.Count / 2];
    }

    /// <summary>A thread that spins on arithmetic until disposed: the other core's work in the "busy" columns.</summary>
    private sealed class BusyThread : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;

        private BusyThread()
        {
            _thread = new Thread(Spin) { IsBackground = true, Name = "busy" };
        }

        public static BusyThread Start()
        {
            var busy = new BusyThread();
            busy._thread.Start();
            return busy;
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }

        private void Spin()
        {
            long x = 1;
            while (!_stop)
            {
                for (int i = 0; i < 1_000; i++)
                {
                    x = (x * 31) + i;
                }
            }

            GC.KeepAlive(x);
        }
    }
}
