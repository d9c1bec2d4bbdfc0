using System.Net;
using System.Net.Sockets;

namespace Broker.Webhooks;

/// <summary>Creates the HTTP handler webhooks use: it checks every address it connects to against <see cref="WebhookSecurityOptions"/>,
/// never follows redirects, and ignores proxy settings.</summary>
/// <remarks>Subscriptions made without an <see cref="HttpClient"/> share one such handler per combination of
/// <see cref="WebhookSecurityOptions.AllowLoopback"/> and <see cref="WebhookSecurityOptions.AllowPrivateNetworks"/>.
/// Use this method to build your own client, or with <c>IHttpClientFactory</c> through
/// <see cref="WebhookServiceCollectionExtensions.AddWebhookHttpClient"/>.</remarks>
public static class WebhookHttpHandler
{
    /// <summary>The name of the <c>IHttpClientFactory</c> client that webhook subscriptions made with a factory use: <c>Broker.Webhooks</c>.</summary>
    public const string HttpClientName = "Broker.Webhooks";

    private static readonly HttpClient?[] s_sharedClients = new HttpClient?[4];

    /// <summary>Creates a handler that refuses the addresses <paramref name="security"/> refuses, checked at connect time.</summary>
    /// <param name="security">Which addresses are allowed; <see langword="null"/> for the defaults (public addresses only).
    /// Only <see cref="WebhookSecurityOptions.AllowLoopback"/> and <see cref="WebhookSecurityOptions.AllowPrivateNetworks"/> matter here;
    /// the other options are checked when subscribing.</param>
    /// <returns>The handler; its owner disposes it.</returns>
    public static SocketsHttpHandler Create(WebhookSecurityOptions? security = null)
        => CreateHandler(security?.AllowLoopback ?? false, security?.AllowPrivateNetworks ?? false);

    internal static HttpClient GetSharedClient(WebhookSecurityOptions security)
    {
        int index = (security.AllowLoopback ? 1 : 0) | (security.AllowPrivateNetworks ? 2 : 0);
        HttpClient? client = Volatile.Read(ref s_sharedClients[index]);
        if (client is not null)
        {
            return client;
        }

        var created = new HttpClient(CreateHandler(security.AllowLoopback, security.AllowPrivateNetworks), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan, // each request has its own timeout
        };
        client = Interlocked.CompareExchange(ref s_sharedClients[index], created, null);
        if (client is null)
        {
            return created;
        }

        created.Dispose();
        return client;
    }

    private static SocketsHttpHandler CreateHandler(bool allowLoopback, bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = false, // a redirect could lead anywhere, past the address checks
        UseProxy = false, // through a proxy the connect-time check would see the proxy, not the endpoint
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = WebhookDefaults.PooledConnectionLifetime,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowLoopback, allowPrivateNetworks, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowLoopback, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = IPAddress.TryParse(endPoint.Host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        foreach (IPAddress address in addresses)
        {
            if (AddressGuard.CheckAddress(address, allowLoopback, allowPrivateNetworks, endPoint.Host) is { } problem)
            {
                throw new WebhookAddressRefusedException("Refused: " + problem);
            }
        }

        // Connect to the addresses just checked rather than the name, so a second lookup cannot answer differently.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
