using Broker.Topics;

namespace Broker.Webhooks;

/// <summary>Subscribes HTTP and HTTPS endpoints to topics.</summary>
public static class WebhookTopicExtensions
{
    /// <summary>Subscribes an HTTP or HTTPS endpoint: each message is POSTed to it as a signed JSON envelope (or raw body).</summary>
    /// <typeparam name="T">The topic's body type.</typeparam>
    /// <param name="topic">The topic.</param>
    /// <param name="url">The endpoint; <c>http</c> or <c>https</c>, no credentials, and allowed by <see cref="WebhookSubscriptionOptions.Security"/>.</param>
    /// <param name="configure">Sets the secrets (at least one is required), timeout, confirmation, security, and the subscription's
    /// filter policy, delivery policy and dead-letter queue.</param>
    /// <returns>The subscription.</returns>
    /// <remarks>Requests go through a shared client whose handler checks each address it connects to (see <see cref="WebhookHttpHandler"/>).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="topic"/> or <paramref name="url"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The URL is refused, or an option is invalid; the message lists every problem and never quotes a secret.</exception>
    /// <exception cref="BrokerException">The dead-letter queue does not exist, or the topic has been deleted.</exception>
    /// <exception cref="NotSupportedException">The broker's JSON settings have no contract for <typeparamref name="T"/>.</exception>
    public static WebhookSubscription SubscribeWebhook<T>(this ITopic<T> topic, Uri url, Action<WebhookSubscriptionOptions>? configure = null)
        => Subscribe(topic, url, null, null, configure);

    /// <summary>Subscribes an HTTP or HTTPS endpoint, sending through the given client.</summary>
    /// <typeparam name="T">The topic's body type.</typeparam>
    /// <param name="topic">The topic.</param>
    /// <param name="url">The endpoint; <c>http</c> or <c>https</c>, no credentials, and allowed by <see cref="WebhookSubscriptionOptions.Security"/>.</param>
    /// <param name="httpClient">The client. Its handler decides redirects, proxies and connect-time address checks: build it on
    /// <see cref="WebhookHttpHandler.Create"/> to keep them; otherwise only the subscribe-time checks apply.</param>
    /// <param name="configure">Sets the secrets (at least one is required), timeout, confirmation, security and subscription options.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="topic"/>, <paramref name="url"/> or <paramref name="httpClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The URL is refused, or an option is invalid.</exception>
    /// <exception cref="BrokerException">The dead-letter queue does not exist, or the topic has been deleted.</exception>
    /// <exception cref="NotSupportedException">The broker's JSON settings have no contract for <typeparamref name="T"/>.</exception>
    public static WebhookSubscription SubscribeWebhook<T>(this ITopic<T> topic, Uri url, HttpClient httpClient, Action<WebhookSubscriptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return Subscribe(topic, url, httpClient, null, configure);
    }

    /// <summary>Subscribes an HTTP or HTTPS endpoint, sending through the factory's client named <see cref="WebhookHttpHandler.HttpClientName"/>.</summary>
    /// <typeparam name="T">The topic's body type.</typeparam>
    /// <param name="topic">The topic.</param>
    /// <param name="url">The endpoint; <c>http</c> or <c>https</c>, no credentials, and allowed by <see cref="WebhookSubscriptionOptions.Security"/>.</param>
    /// <param name="httpClientFactory">The factory; register the client with <see cref="WebhookServiceCollectionExtensions.AddWebhookHttpClient"/>
    /// to keep the connect-time address checks.</param>
    /// <param name="configure">Sets the secrets (at least one is required), timeout, confirmation, security and subscription options.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="topic"/>, <paramref name="url"/> or <paramref name="httpClientFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The URL is refused, or an option is invalid.</exception>
    /// <exception cref="BrokerException">The dead-letter queue does not exist, or the topic has been deleted.</exception>
    /// <exception cref="NotSupportedException">The broker's JSON settings have no contract for <typeparamref name="T"/>.</exception>
    public static WebhookSubscription SubscribeWebhook<T>(this ITopic<T> topic, Uri url, IHttpClientFactory httpClientFactory, Action<WebhookSubscriptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        return Subscribe(topic, url, null, httpClientFactory, configure);
    }

    private static WebhookSubscription Subscribe<T>(
        ITopic<T> topic,
        Uri url,
        HttpClient? httpClient,
        IHttpClientFactory? httpClientFactory,
        Action<WebhookSubscriptionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(url);
        var options = new WebhookSubscriptionOptions();
        configure?.Invoke(options);

        var errors = new List<string>();
        byte[][] keys = WebhookSecret.ReadKeys(options.Secrets, errors, nameof(WebhookSubscriptionOptions.Secrets));
        if (options.Timeout < WebhookDefaults.MinTimeout || options.Timeout > WebhookDefaults.MaxTimeout)
        {
            errors.Add($"{nameof(WebhookSubscriptionOptions.Timeout)} is {options.Timeout}; it must be between {WebhookDefaults.MinTimeout} and {WebhookDefaults.MaxTimeout}.");
        }

        if (options.ConfirmationEndpoint is not null && !options.RequireConfirmation)
        {
            errors.Add($"{nameof(WebhookSubscriptionOptions.ConfirmationEndpoint)} is set but {nameof(WebhookSubscriptionOptions.RequireConfirmation)} is false.");
        }

        DeliveryPolicy policy = options.Subscription.DeliveryPolicy is { } custom ? WebhookDefaults.Copy(custom) : WebhookDefaults.CreateDeliveryPolicy();
        if (policy.Validate().Count == 0 && TotalRetryDelay(policy) > WebhookDefaults.MaxTotalRetryDelay)
        {
            errors.Add($"The delivery policy's retries wait {TotalRetryDelay(policy)} in all; an HTTP delivery policy may wait at most {WebhookDefaults.MaxTotalRetryDelay}, as in SNS.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid webhook subscription options: " + string.Join(" ", errors), nameof(configure));
        }

        WebhookSecurityOptions security = options.Security.Clone();
        if (AddressGuard.CheckUrl(url, security) is { } refused)
        {
            throw new ArgumentException($"The webhook URL is refused: {refused}", nameof(url));
        }

        var subscriber = new WebhookSubscriber<T>(url, options, keys, policy, httpClient, httpClientFactory);
        SubscriptionOptions settings = options.Subscription;
        Subscription subscription = topic.Subscribe(subscriber, o =>
        {
            o.FilterPolicy = settings.FilterPolicy;
            o.FilterPolicyScope = settings.FilterPolicyScope;
            o.DeliveryPolicy = policy; // the topic keeps its own copy
            o.DeadLetterQueueName = settings.DeadLetterQueueName;
            o.MaxConcurrency = settings.MaxConcurrency;
        });

        if (options.RequireConfirmation)
        {
            subscriber.StartConfirmation();
        }

        return new WebhookSubscription(subscription, url, subscriber);
    }

    private static TimeSpan TotalRetryDelay(DeliveryPolicy policy)
    {
        TimeSpan total = TimeSpan.Zero;
        for (int retry = 1; retry <= policy.NumRetries; retry++)
        {
            total += policy.GetDelay(retry);
        }

        return total;
    }
}
