using Broker.Hosting.HealthChecks;
using Broker.Queues;
using Broker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.HealthChecks;

public sealed class QueueHealthRegistrationTests
{
    [Fact]
    public async Task CheckHealth_SubSecondAgeThreshold_ComparesTheExactAge()
    {
        var clock = new ManualTimeProvider();
        using IHost host = BuildHost(clock, s => s.AddHealthChecks().AddBrokerQueue("health-orders", h => h.DegradedOldestMessageAge = TimeSpan.FromMilliseconds(500)));
        await host.StartAsync();
        HealthStatus empty = (await CheckAsync(host)).Status;
        await host.Services.GetRequiredKeyedService<IMessageQueue<string>>("health-orders").SendAsync("waiting");
        clock.Advance(TimeSpan.FromMilliseconds(499));
        HealthStatus young = (await CheckAsync(host)).Status;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        HealthStatus old = (await CheckAsync(host)).Status;
        await host.StopAsync();

        empty.Should().Be(HealthStatus.Healthy, "an empty queue has no old message");
        young.Should().Be(HealthStatus.Healthy);
        old.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task CheckHealth_UndeclaredQueue_ReportsTheFailureStatus()
    {
        using IHost host = BuildHost(new ManualTimeProvider(), s => s.AddHealthChecks().AddBrokerQueue("health-missing", failureStatus: HealthStatus.Degraded));
        await host.StartAsync();

        HealthReportEntry entry = (await CheckAsync(host)).Entries["broker-queue-health-missing"];
        await host.StopAsync();

        entry.Status.Should().Be(HealthStatus.Degraded);
        entry.Description.Should().Contain("health-missing");
    }

    [Fact]
    public async Task CheckHealth_UnhealthyWithCustomFailureStatus_ReportsThatStatusAndTags()
    {
        using IHost host = BuildHost(new ManualTimeProvider(), s => s.AddHealthChecks().AddBrokerQueue("health-orders", h => h.UnhealthyDepth = 1, HealthStatus.Degraded, ["broker"]));
        await host.StartAsync();
        await host.Services.GetRequiredKeyedService<IMessageQueue<string>>("health-orders").SendAsync("waiting");

        HealthReportEntry entry = (await CheckAsync(host)).Entries["broker-queue-health-orders"];
        await host.StopAsync();

        entry.Status.Should().Be(HealthStatus.Degraded);
        entry.Tags.Should().Equal("broker");
        entry.Data["depth"].Should().Be(1L);
    }

    [Theory]
    [InlineData(0L, null, "DegradedDepth is 0")]
    [InlineData(5L, 4L, "DegradedDepth (5) must not exceed UnhealthyDepth (4)")]
    public void AddBrokerQueue_BadDepthThresholds_ThrowsNamingTheOption(long? degraded, long? unhealthy, string expected)
    {
        IHealthChecksBuilder checks = new ServiceCollection().AddHealthChecks();

        Action add = () => checks.AddBrokerQueue("orders", h => { h.DegradedDepth = degraded; h.UnhealthyDepth = unhealthy; });

        add.Should().Throw<ArgumentException>().WithMessage($"*{expected}*").Which.ParamName.Should().Be("configure");
    }

    [Fact]
    public void AddBrokerQueue_SeveralBadThresholds_ListsEveryOne()
    {
        IHealthChecksBuilder checks = new ServiceCollection().AddHealthChecks();

        Action add = () => checks.AddBrokerQueue("orders", h => { h.UnhealthyOldestMessageAge = TimeSpan.Zero; h.DegradedDeadLetterCount = -1; });

        add.Should().Throw<ArgumentException>().WithMessage("*UnhealthyOldestMessageAge is 00:00:00*").WithMessage("*DegradedDeadLetterCount is -1*");
    }

    private static IHost BuildHost(ManualTimeProvider clock, Action<IServiceCollection> services)
        => TestHost.Build(b => b.AddQueue<string>("health-orders"), clock, services: services);

    private static Task<HealthReport> CheckAsync(IHost host) => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
}
