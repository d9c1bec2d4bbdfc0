using System.Net;
using Broker.Webhooks;
using Broker.Webhooks.AspNetCore;
using CoffeeShop.Shop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoffeeShop.Notifications;

/// <summary>The customer's phone: a small HTTP listener on 127.0.0.1 (a free port) that accepts the <c>order-ready</c> webhook
/// only with a valid signature.</summary>
internal sealed class PhoneListener : IAsyncDisposable
{
    public const string Path = "/notifications/order-ready";

    private readonly WebApplication _app;

    private PhoneListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Gets the address the webhook subscription posts to.</summary>
    public Uri Url { get; }

    public static async Task<PhoneListener> StartAsync(string secret, ShopParts parts, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();

        // The phone reads the shop's clock, as a real phone and shop would share real time: webhook timestamps are shop time.
        var verifier = new WebhookVerifier(secret, new WebhookVerifierOptions { TimeProvider = parts.Clock });
        app.MapPost(Path, (OrderReady ready, HttpRequest request) =>
        {
            // A retry carries the same webhook-id: it is the idempotency key.
            parts.Ledger.PhoneBuzzed(request.Headers["webhook-id"].ToString(), ready);
            return Results.Ok();
        }).RequireWebhookSignature(verifier);

        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PhoneListener(app, new Uri(new Uri(address), Path));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
