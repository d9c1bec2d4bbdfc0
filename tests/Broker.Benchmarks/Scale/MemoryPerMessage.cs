using System.Globalization;
using System.Threading.Channels;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;

namespace Broker.Benchmarks.Scale;

/// <summary>Measures the memory a queue keeps per stored and per in-flight message, beyond the body: the live heap after
/// a full collection, before and after, divided by the number of messages. Every message shares one body instance.</summary>
public static class MemoryPerMessage
{
    /// <summary>Measures at each population and prints a Markdown table.</summary>
    /// <param name="populations">The message counts, e.g. 100,000 and 1,000,000.</param>
    /// <param name="output">Where the table goes.</param>
    public static void Run(IReadOnlyList<int> populations, TextWriter output)
    {
        var body = new Order(1);
        output.WriteLine();
        output.WriteLine("Memory per message beyond the body (live heap after a full GC, divided by N)");
        output.WriteLine();
        output.WriteLine("| N | Channel<T> (ref only) | Broker stored (visible) | Broker in flight (received, 30 s timeout) |");
        output.WriteLine("|---:|---:|---:|---:|");
        foreach (int n in populations)
        {
            double channelBytes = MeasureChannel(n, body);
            (double stored, double inFlight) = MeasureQueue(n, body);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n:N0} | {channelBytes:F1} B | {stored:F1} B | {inFlight:F1} B |"));
        }
    }

    private static double MeasureChannel(int n, Order body)
    {
        long before = LiveBytes();
        Channel<Order> channel = Channel.CreateUnbounded<Order>();
        for (int i = 0; i < n; i++)
        {
            channel.Writer.TryWrite(body);
        }

        long after = LiveBytes();
        GC.KeepAlive(channel);
        return (after - before) / (double)n;
    }

    private static (double Stored, double InFlight) MeasureQueue(int n, Order body)
    {
        long before = LiveBytes();
        var broker = new MessageBroker();
        IMessageQueue<Order> queue = broker.CreateQueue<Order>("memory", o => o.VisibilityTimeout = TimeSpan.FromSeconds(30));
        for (int i = 0; i < n; i++)
        {
            Completed.Result(queue.SendAsync(body));
        }

        long stored = LiveBytes();
        int taken = 0;
        while (taken < n)
        {
            IReadOnlyList<ReceivedMessage<Order>> received = Completed.Result(queue.ReceiveAsync(10, TimeSpan.Zero));
            if (received.Count == 0)
            {
                break;
            }

            taken += received.Count;
        }

        long inFlight = LiveBytes();
        GC.KeepAlive(queue);
        broker.Dispose();
        return ((stored - before) / (double)n, (inFlight - before) / (double)n);
    }

    private static long LiveBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
