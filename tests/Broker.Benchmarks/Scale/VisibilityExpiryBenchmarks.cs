using BenchmarkDotNet.Attributes;
using Broker.Benchmarks.Support;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Benchmarks.Scale;

/// <summary>The cost of visibility expiry and redelivery with 100,000 and 1,000,000 messages in flight, per message.</summary>
/// <remarks>The clock is manual: each iteration's setup sends and receives every message (30 s visibility timeout), then
/// the benchmark moves the clock past the timeout, so every message's timer fires at once on the benchmark's thread.</remarks>
[BenchmarkCategory("scale")]
public class VisibilityExpiryBenchmarks
{
    /// <summary>The smaller population.</summary>
    public const int Small = 100_000;

    /// <summary>The larger population.</summary>
    public const int Large = 1_000_000;

    private static readonly Order s_body = new(1);
    private static readonly TimeSpan s_pastTimeout = TimeSpan.FromSeconds(31);

    private ManualTimeProvider _clock = null!;
    private MessageBroker _broker = null!;
    private IMessageQueue<Order> _queue = null!;

    /// <summary>Sends and receives 100,000 messages before each iteration.</summary>
    [IterationSetup(Targets = [nameof(Expire_100k), nameof(ExpireAndReceiveAgain_100k)])]
    public void SetupSmall() => Fill(Small);

    /// <summary>Sends and receives 1,000,000 messages before each iteration.</summary>
    [IterationSetup(Targets = [nameof(Expire_1M), nameof(ExpireAndReceiveAgain_1M)])]
    public void SetupLarge() => Fill(Large);

    /// <summary>Drops the iteration's broker.</summary>
    [IterationCleanup]
    public void Cleanup() => _broker.Dispose();

    /// <summary>Visibility expiry of 100,000 in-flight messages: each goes back to visible.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Small)]
    public void Expire_100k() => _clock.Advance(s_pastTimeout);

    /// <summary>Visibility expiry of 1,000,000 in-flight messages.</summary>
    [Benchmark(OperationsPerInvoke = Large)]
    public void Expire_1M() => _clock.Advance(s_pastTimeout);

    /// <summary>Expiry of 100,000 messages and their redelivery: all received again, 10 at a time.</summary>
    /// <returns>How many were received again.</returns>
    [Benchmark(OperationsPerInvoke = Small)]
    public int ExpireAndReceiveAgain_100k()
    {
        _clock.Advance(s_pastTimeout);
        return ReceiveAll(Small);
    }

    /// <summary>Expiry of 1,000,000 messages and their redelivery.</summary>
    /// <returns>How many were received again.</returns>
    [Benchmark(OperationsPerInvoke = Large)]
    public int ExpireAndReceiveAgain_1M()
    {
        _clock.Advance(s_pastTimeout);
        return ReceiveAll(Large);
    }

    private void Fill(int count)
    {
        _clock = new ManualTimeProvider();
        _broker = new MessageBroker(_clock);
        _queue = _broker.CreateQueue<Order>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(30));
        for (int i = 0; i < count; i++)
        {
            Completed.Result(_queue.SendAsync(s_body));
        }

        int received = ReceiveAll(count);
        if (received != count)
        {
            throw new InvalidOperationException($"Received {received} of {count} messages in setup.");
        }
    }

    /// <summary>Receives until <paramref name="count"/> messages are taken; every in-memory receive without a wait completes synchronously.</summary>
    private int ReceiveAll(int count)
    {
        int taken = 0;
        while (taken < count)
        {
            int got = Completed.Result(_queue.ReceiveAsync(10, TimeSpan.Zero)).Count;
            if (got == 0)
            {
                break;
            }

            taken += got;
        }

        return taken;
    }
}
