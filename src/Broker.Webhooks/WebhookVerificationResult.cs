namespace Broker.Webhooks;

/// <summary>The outcome of checking a webhook request's signature.</summary>
public enum WebhookVerificationResult
{
    /// <summary>The signature matches one of the secrets, the timestamp is within the tolerance, and the request is not a replay.</summary>
    Valid,

    /// <summary>A <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> header is missing or empty.</summary>
    MissingHeaders,

    /// <summary>The <c>webhook-timestamp</c> is not a whole number of Unix seconds.</summary>
    InvalidTimestamp,

    /// <summary>The timestamp is older than the tolerance allows.</summary>
    TimestampTooOld,

    /// <summary>The timestamp is further in the future than the tolerance allows.</summary>
    TimestampTooNew,

    /// <summary>No <c>v1</c> signature matches any secret: the body or a header was changed, or the secret differs.</summary>
    InvalidSignature,

    /// <summary>The same signed request (same <c>webhook-id</c> and timestamp) was already accepted within the tolerance window.</summary>
    Replayed,
}
