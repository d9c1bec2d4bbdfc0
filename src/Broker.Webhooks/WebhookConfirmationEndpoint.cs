using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Broker.Webhooks;

/// <summary>The publishing application's confirmation address: subscriptions that use it put a <c>SubscribeURL</c> in their
/// confirmation request, and a GET on that URL confirms the subscription, as in SNS.</summary>
/// <remarks>Create one per application and serve it with <c>MapWebhookConfirmation</c> from the
/// <c>Broker.Webhooks.AspNetCore</c> package, or from any HTTP stack by calling <see cref="TryConfirm"/> with the <c>Token</c>
/// query parameter. Thread-safe.</remarks>
public sealed class WebhookConfirmationEndpoint
{
    /// <summary>The query parameter that carries the token: <c>Token</c>.</summary>
    public const string TokenParameter = "Token";

    private readonly ConcurrentDictionary<string, IConfirmableWebhook> _pending = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="WebhookConfirmationEndpoint"/> class.</summary>
    /// <param name="url">The public, absolute <c>http</c> or <c>https</c> address at which this application serves confirmations.</param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not an absolute http or https URL.</exception>
    public WebhookConfirmationEndpoint(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The confirmation URL must be an absolute http or https URL.", nameof(url));
        }

        Url = url;
    }

    /// <summary>Gets the address receivers are sent to, before the token is added.</summary>
    public Uri Url { get; }

    /// <summary>Confirms the pending subscription that was given <paramref name="token"/>.</summary>
    /// <param name="token">The <c>Token</c> from the confirmation request.</param>
    /// <param name="subscriptionId">The confirmed subscription's id.</param>
    /// <returns><see langword="true"/> if the token belongs to a subscription (confirming an already confirmed one again succeeds);
    /// <see langword="false"/> if it is unknown, replaced by a newer one, expired (after 2 days), or its subscription was removed.</returns>
    public bool TryConfirm(string? token, [NotNullWhen(true)] out string? subscriptionId)
    {
        subscriptionId = null;
        if (string.IsNullOrEmpty(token) || !_pending.TryGetValue(token, out IConfirmableWebhook? subscription))
        {
            return false;
        }

        if (subscription.IsRemoved)
        {
            _pending.TryRemove(new KeyValuePair<string, IConfirmableWebhook>(token, subscription));
            return false;
        }

        if (!subscription.TryConfirm(token, out string id))
        {
            return false;
        }

        subscriptionId = id;
        return true;
    }

    internal Uri BuildSubscribeUrl(string token)
    {
        var builder = new UriBuilder(Url);
        string query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : string.Empty) + TokenParameter + "=" + token;
        return builder.Uri;
    }

    internal void Register(string token, IConfirmableWebhook subscription, string? replaced)
    {
        if (replaced is not null)
        {
            _pending.TryRemove(new KeyValuePair<string, IConfirmableWebhook>(replaced, subscription));
        }

        _pending[token] = subscription;
        foreach (KeyValuePair<string, IConfirmableWebhook> entry in _pending)
        {
            if (entry.Value.IsRemoved)
            {
                _pending.TryRemove(entry);
            }
        }
    }

    internal void Unregister(string token, IConfirmableWebhook subscription)
        => _pending.TryRemove(new KeyValuePair<string, IConfirmableWebhook>(token, subscription));
}
