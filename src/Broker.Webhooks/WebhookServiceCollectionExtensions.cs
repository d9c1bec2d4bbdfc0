using Microsoft.Extensions.DependencyInjection;

namespace Broker.Webhooks;

/// <summary>Registers the webhook HTTP client with <c>IHttpClientFactory</c>.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>Registers the named client <see cref="WebhookHttpHandler.HttpClientName"/> with the handler from
    /// <see cref="WebhookHttpHandler.Create"/>, so subscriptions made with an <see cref="IHttpClientFactory"/> keep the connect-time address checks.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets which addresses the client may connect to; <see langword="null"/> for public addresses only.</param>
    /// <returns>The client builder, to add handlers or settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddWebhookHttpClient(this IServiceCollection services, Action<WebhookSecurityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var security = new WebhookSecurityOptions();
        configure?.Invoke(security);
        security = security.Clone();
        return services
            .AddHttpClient(WebhookHttpHandler.HttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => WebhookHttpHandler.Create(security));
    }
}
