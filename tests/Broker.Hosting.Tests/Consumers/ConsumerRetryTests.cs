using System.Collections.Concurrent;
using Broker.Hosting.Consumers;
using Broker.Hosting.Tests.Support;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.Consumers;

public sealed class ConsumerRetryTests
{
    [Fact]
    public async Task Consumer_HandlerKeepsThrowing_BackOffDoublesUpToMaxRetryDelay()
    {
        const string queue = "retry-doubling";
        var clock = new ManualTimeProvider();
        var attempts = new AttemptLog(clock);
        using var metrics = new MetricCollector(queue);
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>(queue, o => o.VisibilityTimeout = TimeSpan.FromMinutes(1))
                .AddConsumer<AlwaysFailingHandler, string>(queue, c => { c.RetryDelay = TimeSpan.FromSeconds(2); c.MaxRetryDelay = TimeSpan.FromSeconds(5); c.HeartbeatInterval = TimeSpan.Zero; }),
            clock,
            services: s => s.AddSingleton(attempts));
        await host.StartAsync();
        await host.Services.GetRequiredKeyedService<IMessageQueue<string>>(queue).SendAsync("retry-me");
        var hiddenFor = new List<(bool EarlierTimer, bool TimerAtDelay)>();

        foreach (TimeSpan delay in new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5) })
        {
            int settled = hiddenFor.Count + 1;
            await TestHost.WaitUntilAsync(() => metrics.Of("messaging.process.duration").Count == settled, $"attempt {settled} has set its back-off");
            hiddenFor.Add((clock.HasTimerDueWithin(delay - TimeSpan.FromMilliseconds(1)), clock.HasTimerDueWithin(delay)));
            clock.Advance(delay);
            await TestHost.WaitUntilAsync(() => attempts.Times.Count == settled + 1, $"attempt {settled + 1} starts once the back-off ends");
        }

        await host.StopAsync();

        hiddenFor.Should().Equal([(false, true), (false, true), (false, true), (false, true)], "the only timer due before the next receive is the back-off's visibility change");
        DateTimeOffset[] times = [.. attempts.Times];
        times.Zip(times.Skip(1), (a, b) => b - a).Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        attempts.ReceiveCounts.Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Consumer_HandlerCannotBeConstructed_RetriesLikeAFailureAndKeepsConsuming()
    {
        const string queue = "retry-construction";
        var dependency = new FlakyDependencyState(failures: 2);
        var handled = new ConcurrentQueue<string>();
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>(queue).AddConsumer<HandlerWithFlakyDependency, string>(queue, c => { c.RetryDelay = TimeSpan.Zero; c.MaxRetryDelay = TimeSpan.Zero; }),
            services: s => s.AddSingleton(dependency).AddSingleton(handled).AddScoped<FlakyDependency>());
        await host.StartAsync();
        IMessageQueue<string> orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>(queue);

        await orders.SendAsync("first");
        await TestHost.WaitUntilAsync(() => handled.Count == 1, "the first message is handled once the dependency can be built");
        await orders.SendAsync("second");
        await TestHost.WaitUntilAsync(() => handled.Count == 2, "the worker is still consuming");
        await TestHost.WaitUntilAsync(async () => (await orders.GetAttributesAsync()).ApproximateNumberOfMessagesNotVisible == 0, "both are deleted");
        await host.StopAsync();

        handled.Should().Equal("first", "second");
        dependency.Constructions.Should().Be(4, "two failed constructions, then one per handled message");
        (await orders.GetAttributesAsync()).ApproximateNumberOfMessages.Should().Be(0);
    }

    internal sealed class AttemptLog(TimeProvider clock)
    {
        public ConcurrentQueue<DateTimeOffset> Times { get; } = new();

        public ConcurrentQueue<int> ReceiveCounts { get; } = new();

        public void Record(ReceivedMessage<string> message)
        {
            ReceiveCounts.Enqueue(message.ReceiveCount);
            Times.Enqueue(clock.GetUtcNow());
        }
    }

    internal sealed class AlwaysFailingHandler(AttemptLog log) : IMessageHandler<string>
    {
        public ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            log.Record(message);
            throw new InvalidOperationException("not today");
        }
    }

    internal sealed class FlakyDependencyState(int failures)
    {
        private int _constructions;

        public int Constructions => Volatile.Read(ref _constructions);

        public void Construct()
        {
            if (Interlocked.Increment(ref _constructions) <= failures)
            {
                throw new InvalidOperationException("the dependency is not ready yet");
            }
        }
    }

    internal sealed class FlakyDependency
    {
        public FlakyDependency(FlakyDependencyState state) => state.Construct();
    }

    internal sealed class HandlerWithFlakyDependency(FlakyDependency dependency, ConcurrentQueue<string> handled) : IMessageHandler<string>
    {
        public ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            GC.KeepAlive(dependency);
            handled.Enqueue(message.Body);
            return ValueTask.CompletedTask;
        }
    }
}
