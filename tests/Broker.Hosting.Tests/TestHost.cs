using Broker.Hosting.DependencyInjection;
using Broker.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Hosting.Tests;

/// <summary>Builds a real generic host with Broker, a manual clock and optional in-memory configuration.</summary>
internal static class TestHost
{
    public static IHost Build(Action<BrokerBuilder> configure, ManualTimeProvider? clock = null, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
        }

        services?.Invoke(builder.Services);
        builder.Services.AddBroker(b =>
        {
            if (settings is not null)
            {
                b.BindConfiguration(builder.Configuration.GetSection("Broker"));
            }

            configure(b);
        });
        return builder.Build();
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Timed out waiting until " + because);
            }

            await Task.Yield();
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string because)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Timed out waiting until " + because);
            }

            await Task.Yield();
        }
    }
}
