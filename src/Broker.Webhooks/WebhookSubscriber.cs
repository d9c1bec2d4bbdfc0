using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Serialization.Metadata;
using Broker.Messages;
using Broker.Topics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Broker.Webhooks;

/// <summary>Delivers a topic's messages to an HTTP endpoint: one signed POST per <see cref="DeliverAsync"/>, its outcome reported
/// the way the topic's retry engine understands.</summary>
/// <remarks>
/// Retries, back-off, throttling and dead-lettering are the subscription runtime's, from the delivery policy, as for every
/// subscriber kind; this class makes exactly one attempt per call. 2xx is success; 5xx, timeouts and connection failures are
/// retryable; 429 is retryable after its <c>Retry-After</c>; every other status is permanent. The confirmation request is
/// not a topic message, so it has its own Polly retry pipeline driven by the same delivery policy.
/// </remarks>
[SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "The token source has no timer; the topic, which owns subscribers, never disposes them.")]
internal sealed class WebhookSubscriber<T> : ITopicSubscriber<T>, IWebhookSubscriber
{
    private const int Active = 0;
    private const int Pending = 1;

    private static readonly Task<string?> s_noProblem = Task.FromResult<string?>(null);

    private readonly Uri _url;
    private readonly HttpClient? _client;
    private readonly IHttpClientFactory? _clientFactory;
    private readonly TimeSpan _timeout;
    private readonly DeliveryPolicy _policy;
    private readonly WebhookConfirmationEndpoint? _confirmationEndpoint;
    private readonly ILogger _logger;
    private readonly Task<string?> _hostCheck;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private byte[][] _keys;
    private int _state;
    private SubscriberContext? _context;
    private JsonTypeInfo<T>? _typeInfo;
    private ResiliencePipeline _requestPipeline = ResiliencePipeline.Empty;
    private ResiliencePipeline _confirmationPipeline = ResiliencePipeline.Empty;
    private string _subscriptionId = string.Empty;
    private string _webhookIdSuffix = string.Empty;
    private string? _token;
    private DateTimeOffset _tokenExpires;
    private Task _confirmation = Task.CompletedTask;

    public WebhookSubscriber(
        Uri url,
        WebhookSubscriptionOptions options,
        byte[][] keys,
        DeliveryPolicy policy,
        HttpClient? client,
        IHttpClientFactory? clientFactory)
    {
        _url = url;
        _keys = keys;
        _policy = policy;
        _client = client ?? (clientFactory is null ? WebhookHttpHandler.GetSharedClient(options.Security) : null);
        _clientFactory = clientFactory;
        _timeout = options.Timeout;
        _confirmationEndpoint = options.ConfirmationEndpoint;
        _logger = options.Logger ?? NullLogger.Instance;
        RawMessageDelivery = options.RawMessageDelivery;
        _state = options.RequireConfirmation ? Pending : Active;
        Protocol = url.Scheme;
        Endpoint = url.Query.Length > 1 ? url.GetLeftPart(UriPartial.Path) + "?***" : url.GetLeftPart(UriPartial.Path);
        _hostCheck = AddressGuard.NeedsResolution(url, options.Security)
            ? AddressGuard.CheckHostAsync(AddressGuard.NormalizeHost(url), options.Security.AllowLoopback, options.Security.AllowPrivateNetworks)
            : s_noProblem;
    }

    public string Protocol { get; }

    /// <summary>Gets the URL without its query string, which may hold credentials.</summary>
    public string Endpoint { get; }

    public bool RawMessageDelivery { get; }

    public bool IsActive => Volatile.Read(ref _state) == Active;

    public bool IsRemoved => _context?.Subscription.IsRemoved ?? false;

    public void OnSubscribed(SubscriberContext context)
    {
        _typeInfo = typeof(T) == typeof(string) || typeof(T) == typeof(byte[]) || typeof(T) == typeof(ReadOnlyMemory<byte>)
            ? null
            : (JsonTypeInfo<T>)context.JsonSerializerOptions.GetTypeInfo(typeof(T));
        _subscriptionId = context.Subscription.Id;
        _webhookIdSuffix = ":" + _subscriptionId.Replace('.', '_'); // a webhook-id must not contain '.'
        _requestPipeline = new ResiliencePipelineBuilder { TimeProvider = context.TimeProvider }.AddTimeout(_timeout).Build();

        var confirmation = new ResiliencePipelineBuilder { TimeProvider = context.TimeProvider };
        if (_policy.NumRetries > 0)
        {
            DeliveryPolicy policy = _policy;
            confirmation.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = policy.NumRetries,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is SubscriberDeliveryException { IsRetryable: true }),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    (args.Outcome.Exception as SubscriberDeliveryException)?.RetryAfter ?? policy.GetDelay(args.AttemptNumber + 1)),
            });
        }

        _confirmationPipeline = confirmation.Build();
        _context = context;
    }

    public async ValueTask DeliverAsync(TopicMessage<T> message, CancellationToken cancellationToken)
    {
        string messageId = message.MessageId.ToString();
        try
        {
            await ThrowIfHostRefusedAsync(cancellationToken).ConfigureAwait(false);
            WebhookBody body;
            try
            {
                body = WebhookPayload.Notification(message, _typeInfo, RawMessageDelivery);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
            {
                throw new SubscriberDeliveryException($"The body could not be serialized: {e.Message}", isRetryable: false, retryAfter: null, e);
            }

            var request = new WebhookRequest(body, WebhookMessageTypes.Notification, messageId, messageId + _webhookIdSuffix, message.TopicName);
            await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (SubscriberDeliveryException e)
        {
            Log.DeliveryFailed(_logger, messageId, Endpoint, _subscriptionId, e.Message);
            throw;
        }
    }

    public bool TryConfirm(string token, out string subscriptionId)
    {
        subscriptionId = _subscriptionId;
        DateTimeOffset now = Context.TimeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_token is null
                || now > _tokenExpires
                || !CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(token.AsSpan()), MemoryMarshal.AsBytes(_token.AsSpan())))
            {
                return false;
            }
        }

        if (Interlocked.Exchange(ref _state, Active) == Pending)
        {
            Log.Confirmed(_logger, _subscriptionId, Endpoint);
        }

        return true;
    }

    public void SetKeys(byte[][] keys) => Volatile.Write(ref _keys, keys);

    /// <summary>Sends the first confirmation request in the background; failures are logged.</summary>
    public void StartConfirmation() => _confirmation = SendConfirmationInBackgroundAsync();

    /// <summary>Sends a confirmation request with a new token, retried per the delivery policy.</summary>
    public async Task ResendConfirmationAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await SendConfirmationAsync(linked.Token).ConfigureAwait(false);
    }

    /// <summary>Stops a confirmation request in progress and forgets the token.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
#pragma warning disable VSTHRD003 // Started by this object; it catches what it does not cancel.
        await _confirmation.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        string? token;
        lock (_gate)
        {
            token = _token;
        }

        if (token is not null)
        {
            _confirmationEndpoint?.Unregister(token, this);
        }
    }

    private SubscriberContext Context => _context ?? throw new InvalidOperationException("The webhook subscriber has not been subscribed to a topic.");

    private async Task SendConfirmationInBackgroundAsync()
    {
        try
        {
            await SendConfirmationAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Unsubscribed while confirming.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nobody awaits this task but StopAsync: report here, and let ResendConfirmationAsync try again.
            Log.ConfirmationFailed(_logger, _subscriptionId, Endpoint, e is SubscriberDeliveryException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task SendConfirmationAsync(CancellationToken cancellationToken)
    {
        if (IsActive)
        {
            return;
        }

        SubscriberContext context = Context;
        string token = IssueToken(context.TimeProvider.GetUtcNow());
        MessageId messageId = MessageId.NewId();
        string id = messageId.ToString();
        WebhookBody body = WebhookPayload.Confirmation(
            messageId,
            context.Subscription.TopicName,
            token,
            _confirmationEndpoint?.BuildSubscribeUrl(token),
            context.TimeProvider.GetUtcNow());
        var request = new WebhookRequest(body, WebhookMessageTypes.SubscriptionConfirmation, id, id + _webhookIdSuffix, context.Subscription.TopicName);
        bool sent = await _confirmationPipeline.ExecuteAsync(
            static (state, token) => state.Self.SendConfirmationAttemptAsync(state.Request, token),
            (Self: this, Request: request),
            cancellationToken).ConfigureAwait(false);
        if (sent)
        {
            Log.ConfirmationSent(_logger, _subscriptionId, Endpoint);
        }
    }

    /// <returns><see langword="false"/> when no request was needed any more.</returns>
    private async ValueTask<bool> SendConfirmationAttemptAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (IsActive || IsRemoved)
        {
            return false; // Confirmed through the API meanwhile, or unsubscribed: no point in asking again.
        }

        await ThrowIfHostRefusedAsync(cancellationToken).ConfigureAwait(false);
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private string IssueToken(DateTimeOffset now)
    {
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string? replaced;
        lock (_gate)
        {
            replaced = _token;
            _token = token;
            _tokenExpires = now + WebhookDefaults.ConfirmationTokenLifetime;
        }

        _confirmationEndpoint?.Register(token, this, replaced);
        return token;
    }

    private async Task ThrowIfHostRefusedAsync(CancellationToken cancellationToken)
    {
        if (await _hostCheck.WaitAsync(cancellationToken).ConfigureAwait(false) is { } problem)
        {
            throw new SubscriberDeliveryException("Refused: " + problem, isRetryable: false);
        }
    }

    /// <summary>Makes one attempt, bounded by the timeout.</summary>
    private async Task SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _requestPipeline.ExecuteAsync(
                static (state, token) => state.Self.SendOnceAsync(state.Request, token),
                (Self: this, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new SubscriberDeliveryException(
                $"Timed out: no response within {_timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.",
                isRetryable: true,
                retryAfter: null,
                e);
        }
    }

    private async ValueTask SendOnceAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        HttpClient client = _client ?? _clientFactory!.CreateClient(WebhookHttpHandler.HttpClientName);
        using var http = new HttpRequestMessage(HttpMethod.Post, _url);
        var content = new ReadOnlyMemoryContent(request.Body.Bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", request.Body.ContentType);
        http.Content = content;

        HttpRequestHeaders headers = http.Headers;
        headers.TryAddWithoutValidation("User-Agent", WebhookDefaults.UserAgent);
        headers.TryAddWithoutValidation(WebhookHeaders.MessageType, request.MessageType);
        headers.TryAddWithoutValidation(WebhookHeaders.MessageId, request.MessageId);
        headers.TryAddWithoutValidation(WebhookHeaders.Topic, request.TopicName);
        headers.TryAddWithoutValidation(WebhookHeaders.Subscription, _subscriptionId);
        if (RawMessageDelivery && request.MessageType == WebhookMessageTypes.Notification)
        {
            headers.TryAddWithoutValidation(WebhookHeaders.RawDelivery, "true");
        }

        long timestamp = Context.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        headers.TryAddWithoutValidation(WebhookHeaders.WebhookId, request.WebhookId);
        headers.TryAddWithoutValidation(WebhookHeaders.WebhookTimestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(
            WebhookHeaders.WebhookSignature,
            WebhookSignature.Sign(Volatile.Read(ref _keys), request.WebhookId, timestamp, request.Body.Bytes.Span));

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(http, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw ConnectionFailure(e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The caller's HttpClient.Timeout, not ours and not the subscription's cancellation.
            throw new SubscriberDeliveryException("Timed out: the HttpClient's own timeout elapsed.", isRetryable: true, retryAfter: null, e);
        }

        using (response)
        {
            ThrowIfFailed(response);
        }
    }

    private static SubscriberDeliveryException ConnectionFailure(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookAddressRefusedException refused)
            {
                return new SubscriberDeliveryException(refused.Message, isRetryable: false, retryAfter: null, exception);
            }
        }

        return new SubscriberDeliveryException($"Connection failed ({exception.HttpRequestError}): {exception.Message}", isRetryable: true, retryAfter: null, exception);
    }

    private void ThrowIfFailed(HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        if (status is >= 200 and <= 299)
        {
            return;
        }

        string reason = $"HTTP {status.ToString(CultureInfo.InvariantCulture)} {ReasonPhrase(response)}";
        if (status == 429)
        {
            throw new SubscriberDeliveryException(reason, isRetryable: true, RetryAfter(response));
        }

        throw new SubscriberDeliveryException(reason, isRetryable: status >= 500);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        TimeSpan? delay = header?.Delta ?? (header?.Date is { } date ? date - Context.TimeProvider.GetUtcNow() : null);
        if (delay is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > DeliveryPolicy.MaxDelayLimit ? DeliveryPolicy.MaxDelayLimit : value;
    }

    private static string ReasonPhrase(HttpResponseMessage response)
    {
        string? phrase = response.ReasonPhrase;
        if (string.IsNullOrWhiteSpace(phrase) || phrase.Length > 64 || phrase.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            return response.StatusCode.ToString();
        }

        return phrase;
    }

    private readonly record struct WebhookRequest(WebhookBody Body, string MessageType, string MessageId, string WebhookId, string TopicName);
}
