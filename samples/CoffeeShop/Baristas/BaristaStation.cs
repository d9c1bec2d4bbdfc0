using Broker;
using Broker.Topics;
using CoffeeShop.Shop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoffeeShop.Baristas;

/// <summary>One barista's own host: a hosted consumer of the <c>orders</c> queue, as a separately deployed service instance would
/// be. Adding stations scales out; stopping one is a break; killing one is a crash.</summary>
/// <remarks>Every station shares the shop's broker, the way instances of a service share one queue.</remarks>
internal sealed class BaristaStation : IAsyncDisposable
{
    private readonly IHost _host;

    private BaristaStation(string name, IHost host)
    {
        Name = name;
        _host = host;
    }

    public string Name { get; }

    public static async Task<BaristaStation> OpenAsync(string name, MessageBroker broker, ShopParts parts, CancellationToken cancellationToken)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        // A barista who is stopped (a break) finishes the drink in hand first: brewing takes well under this much real time.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(broker);
        builder.Services.AddSingleton(new BaristaBadge(name));
        builder.Services.AddSingleton(parts.Ledger);
        builder.Services.AddSingleton(parts.Chaos);
        builder.Services.AddSingleton(parts.Pantry);
        builder.Services.AddSingleton(parts.Clock);
        builder.Services.AddSingleton(broker.GetTopic<OrderReady>(ShopParts.OrderReadyTopic));
        builder.Services.AddBroker(b => b.AddConsumer<Barista, CoffeeOrder>(ShopParts.OrdersQueue, c =>
        {
            c.RetryDelay = ShopParts.RetryDelay;
            c.MaxRetryDelay = ShopParts.RetryDelay * 8;

            // No heartbeat: it would run in the same process as a frozen handler and keep extending the order, whereas a
            // crashed process stops extending. Every drink is brewed well within the visibility timeout.
            c.HeartbeatInterval = TimeSpan.Zero;
        }));

        IHost host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new BaristaStation(name, host);
    }

    /// <summary>Stops receiving and lets the drink in hand be finished.</summary>
    public Task StopAsync() => _host.StopAsync(CancellationToken.None);

    /// <summary>Stops at once: a handler still running is cancelled. Only used on a crashed barista whose order was already
    /// redelivered, so the consumer's attempt to release it finds a stale receipt handle and changes nothing.</summary>
    public async Task KillAsync()
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        await _host.StopAsync(now.Token);
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }
}
