using Broker.Queues;
using Broker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.HealthChecks;

public sealed class QueueHealthCheckTests
{
    [Fact]
    public async Task CheckHealth_BelowEveryThreshold_IsHealthy()
    {
        using IHost host = BuildHost(new ManualTimeProvider(), h => h.DegradedDepth = 2);
        await host.StartAsync();

        HealthReport report = await CheckAsync(host);

        report.Entries["broker-queue-orders"].Status.Should().Be(HealthStatus.Healthy);
        await host.StopAsync();
    }

    [Fact]
    public async Task CheckHealth_DepthReachesDegradedThreshold_IsDegraded()
    {
        using IHost host = BuildHost(new ManualTimeProvider(), h => { h.DegradedDepth = 2; h.UnhealthyDepth = 3; });
        await host.StartAsync();
        await Orders(host).SendAsync("a");
        await Orders(host).SendAsync("b");

        HealthReport report = await CheckAsync(host);

        report.Entries["broker-queue-orders"].Status.Should().Be(HealthStatus.Degraded);
        report.Entries["broker-queue-orders"].Data["depth"].Should().Be(2L);
        await host.StopAsync();
    }

    [Fact]
    public async Task CheckHealth_DepthReachesUnhealthyThreshold_IsUnhealthy()
    {
        using IHost host = BuildHost(new ManualTimeProvider(), h => { h.DegradedDepth = 2; h.UnhealthyDepth = 3; });
        await host.StartAsync();
        for (int i = 0; i < 3; i++)
        {
            await Orders(host).SendAsync($"order-{i}");
        }

        HealthReport report = await CheckAsync(host);

        report.Entries["broker-queue-orders"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["broker-queue-orders"].Description.Should().Contain("unhealthy threshold 3");
        await host.StopAsync();
    }

    [Fact]
    public async Task CheckHealth_OldestMessageAgesPastThreshold_IsDegradedThenUnhealthy()
    {
        var clock = new ManualTimeProvider();
        using IHost host = BuildHost(clock, h => { h.DegradedOldestMessageAge = TimeSpan.FromMinutes(1); h.UnhealthyOldestMessageAge = TimeSpan.FromMinutes(5); });
        await host.StartAsync();
        await Orders(host).SendAsync("waiting");

        HealthStatus fresh = (await CheckAsync(host)).Status;
        clock.Advance(TimeSpan.FromMinutes(2));
        HealthStatus older = (await CheckAsync(host)).Status;
        clock.Advance(TimeSpan.FromMinutes(4));
        HealthStatus oldest = (await CheckAsync(host)).Status;

        fresh.Should().Be(HealthStatus.Healthy);
        older.Should().Be(HealthStatus.Degraded);
        oldest.Should().Be(HealthStatus.Unhealthy);
        await host.StopAsync();
    }

    [Fact]
    public async Task CheckHealth_DeadLetterQueueHoldsMessages_IsUnhealthy()
    {
        using IHost host = BuildHost(new ManualTimeProvider(), h => h.UnhealthyDeadLetterCount = 1);
        await host.StartAsync();
        await Orders(host).SendAsync("poison");
        await Orders(host).ReceiveAsync(visibilityTimeout: TimeSpan.Zero);
        await Orders(host).ReceiveAsync();

        HealthReport report = await CheckAsync(host);

        report.Entries["broker-queue-orders"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["broker-queue-orders"].Data["deadLettered"].Should().Be(1L);
        await host.StopAsync();
    }

    private static IHost BuildHost(ManualTimeProvider clock, Action<Broker.Hosting.HealthChecks.QueueHealthOptions> thresholds)
        => TestHost.Build(
            b => b.AddQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 1)).AddQueue<string>("orders-dlq"),
            clock,
            services: s => s.AddHealthChecks().AddBrokerQueue("orders", thresholds));

    private static IMessageQueue<string> Orders(IHost host) => host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");

    private static Task<HealthReport> CheckAsync(IHost host) => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
}
