using Broker.Topics;

namespace Broker.Webhooks;

/// <summary>A webhook subscription: the topic's <see cref="Topics.Subscription"/> plus what only webhooks have: confirmation and secrets.</summary>
/// <remarks>Disposing it unsubscribes, as <see cref="ITopic.UnsubscribeAsync"/> does, and stops a confirmation request in progress.</remarks>
public sealed class WebhookSubscription : IAsyncDisposable
{
    private readonly IWebhookSubscriber _subscriber;

    internal WebhookSubscription(Subscription subscription, Uri url, IWebhookSubscriber subscriber)
    {
        Subscription = subscription;
        Url = url;
        _subscriber = subscriber;
    }

    /// <summary>Gets the topic's subscription, with its id and delivery counts.</summary>
    public Subscription Subscription { get; }

    /// <summary>Gets the subscription's id (SNS subscription ARN).</summary>
    public string Id => Subscription.Id;

    /// <summary>Gets the endpoint's URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets a value indicating whether the subscription waits for the endpoint to confirm it; until then it receives nothing.</summary>
    public bool IsPendingConfirmation => !_subscriber.IsActive;

    /// <summary>Confirms the subscription with the token from its confirmation request (SNS <c>ConfirmSubscription</c>).</summary>
    /// <param name="token">The <c>Token</c> the endpoint received.</param>
    /// <returns><see langword="true"/> if the token is the subscription's current one and has not expired (2 days); confirming
    /// again with the same token also returns <see langword="true"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    public bool Confirm(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return !Subscription.IsRemoved && _subscriber.TryConfirm(token, out _);
    }

    /// <summary>Sends a new confirmation request with a new token; the previous token stops working.</summary>
    /// <param name="cancellationToken">A token to stop sending.</param>
    /// <returns>A task that completes when the endpoint accepted the request (2xx), or at once if the subscription is already confirmed.</returns>
    /// <exception cref="SubscriberDeliveryException">Every attempt allowed by the delivery policy failed; the message says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or the subscription disposed.</exception>
    public Task ResendConfirmationAsync(CancellationToken cancellationToken = default) => _subscriber.ResendConfirmationAsync(cancellationToken);

    /// <summary>Replaces the signing secrets; the next request is signed with the new set.</summary>
    /// <param name="secrets">One or more secrets, each <c>whsec_</c> followed by the base64 of 24 to 64 bytes.</param>
    /// <remarks>To rotate without failed deliveries, sign with the old and the new secret until every receiver knows the new one.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty or a secret is malformed; the message never quotes a secret.</exception>
    public void SetSecrets(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var errors = new List<string>();
        byte[][] keys = WebhookSecret.ReadKeys(secrets, errors, nameof(secrets));
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid secrets: " + string.Join(" ", errors), nameof(secrets));
        }

        _subscriber.SetKeys(keys);
    }

    /// <summary>Unsubscribes and stops a confirmation request in progress.</summary>
    /// <returns>A task that completes when no delivery of this subscription runs any more.</returns>
    public async ValueTask DisposeAsync()
    {
        await Subscription.DisposeAsync().ConfigureAwait(false);
        await _subscriber.StopAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => Subscription.ToString();
}
