using Broker.Topics;
using Microsoft.Extensions.Logging;

namespace Broker.Webhooks;

/// <summary>The settings of one webhook subscription.</summary>
public sealed class WebhookSubscriptionOptions
{
    /// <summary>Gets the signing secrets, each <c>whsec_</c> followed by the base64 of 24 to 64 bytes (see <see cref="WebhookSecret.Generate"/>).</summary>
    /// <value>Empty by default; at least one is required. Every request carries one signature per secret, so a receiver that
    /// knows any of them can verify it: add the new secret, let receivers switch, then drop the old one
    /// (<see cref="WebhookSubscription.SetSecrets"/> does it on a live subscription).</value>
    public IList<string> Secrets { get; } = new List<string>();

    /// <summary>Gets or sets a value indicating whether the endpoint receives the body as published instead of the JSON envelope.</summary>
    /// <value>The default is <see langword="false"/>. Raw text is sent as <c>text/plain</c>, bytes as <c>application/octet-stream</c>,
    /// other bodies as their JSON; message attributes are not sent, as with SNS raw HTTP delivery.</value>
    public bool RawMessageDelivery { get; set; }

    /// <summary>Gets or sets how long one request may take, from sending to the response headers.</summary>
    /// <value>The default is 15 seconds, as SNS; the allowed range is 10 milliseconds to 5 minutes. A request that takes longer
    /// is a failed attempt, retried per the delivery policy. Measured with the broker's clock.</value>
    public TimeSpan Timeout { get; set; } = WebhookDefaults.Timeout;

    /// <summary>Gets or sets a value indicating whether the endpoint must confirm the subscription before it receives messages.</summary>
    /// <value>The default is <see langword="false"/>: the subscription is active at once. When <see langword="true"/>, the subscription
    /// POSTs a <c>SubscriptionConfirmation</c> with a <c>Token</c> when it is made, and stays pending, receiving nothing (messages
    /// published meanwhile are not kept for it), until <see cref="WebhookSubscription.Confirm"/> is called with the token or the
    /// receiver opens the <c>SubscribeURL</c> of <see cref="ConfirmationEndpoint"/>. Tokens are valid for 2 days.</value>
    public bool RequireConfirmation { get; set; }

    /// <summary>Gets or sets the publishing application's confirmation address, sent as <c>SubscribeURL</c> in the confirmation request.</summary>
    /// <value>The default is <see langword="null"/>: the request carries only the token. Requires <see cref="RequireConfirmation"/>.</value>
    public WebhookConfirmationEndpoint? ConfirmationEndpoint { get; set; }

    /// <summary>Gets which endpoints the subscription may reach.</summary>
    /// <value>By default any public http or https address; loopback and private addresses are refused.</value>
    public WebhookSecurityOptions Security { get; } = new();

    /// <summary>Gets the subscription's filter policy, delivery policy, dead-letter queue and concurrency.</summary>
    /// <value>When <see cref="SubscriptionOptions.DeliveryPolicy"/> is left <see langword="null"/>, webhooks use SNS's HTTP default:
    /// 3 retries, 20 seconds apart, no throttling. A policy's delays may add up to at most 1 hour, as in SNS.</value>
    public SubscriptionOptions Subscription { get; } = new();

    /// <summary>Gets or sets the logger for failed attempts and confirmations.</summary>
    /// <value>The default is <see langword="null"/>: nothing is logged. Secrets, signatures, tokens and query strings are never logged.</value>
    public ILogger? Logger { get; set; }
}
