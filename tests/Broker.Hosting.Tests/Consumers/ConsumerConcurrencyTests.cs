using Broker.Hosting.Consumers;
using Broker.Messages;
using Broker.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.Consumers;

public sealed class ConsumerConcurrencyTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(3, 5)]
    public async Task Consumer_Concurrency_RunsExactlyThatManyHandlersAtOnce(int concurrency, int maxMessages)
    {
        var meter = new ConcurrencyMeter(concurrency);
        string queue = $"concurrency-{concurrency}-{maxMessages}";
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>(queue).AddConsumer<MeteredHandler, string>(queue, c => { c.Concurrency = concurrency; c.MaxMessages = maxMessages; }),
            services: s => s.AddSingleton(meter));
        IMessageQueue<string> orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>(queue);
        for (int i = 0; i < 40; i++)
        {
            await orders.SendAsync($"order-{i}");
        }

        await host.StartAsync();
        await meter.AllBusy.WaitAsync(TimeSpan.FromSeconds(10));
        meter.Open();
        await TestHost.WaitUntilAsync(() => meter.Completed == 40, "every message is handled");
        await host.StopAsync();

        meter.MaxActive.Should().Be(concurrency, "the limit is reached and never exceeded");
    }

    /// <summary>Counts handlers running at once. Handlers wait until <see cref="Open"/>, which the test calls once the limit is
    /// reached, so the limit is certainly reached and any worker beyond it would enter while the others are held.</summary>
    internal sealed class ConcurrencyMeter(int limit)
    {
        private readonly TaskCompletionSource _allBusy = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _active;
        private int _maxActive;
        private int _completed;

        public Task AllBusy => _allBusy.Task;

        public int MaxActive => Volatile.Read(ref _maxActive);

        public int Completed => Volatile.Read(ref _completed);

        public void Open() => _open.TrySetResult();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            int active = Interlocked.Increment(ref _active);
            int max = Volatile.Read(ref _maxActive);
            while (active > max && Interlocked.CompareExchange(ref _maxActive, active, max) != max)
            {
                max = Volatile.Read(ref _maxActive);
            }

            if (active == limit)
            {
                _allBusy.TrySetResult();
            }

            try
            {
                await _open.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _active);
                Interlocked.Increment(ref _completed);
            }
        }
    }

    internal sealed class MeteredHandler(ConcurrencyMeter meter) : IMessageHandler<string>
    {
        public async ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken) => await meter.RunAsync(cancellationToken);
    }
}
