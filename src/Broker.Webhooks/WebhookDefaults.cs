using Broker.Topics;

namespace Broker.Webhooks;

/// <summary>The defaults and limits of webhook subscriptions.</summary>
internal static class WebhookDefaults
{
    /// <summary>SNS gives an HTTP endpoint 15 seconds to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The shortest timeout Polly's timeout strategy accepts.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>SNS confirmation tokens are valid for 2 days.</summary>
    public static readonly TimeSpan ConfirmationTokenLifetime = TimeSpan.FromDays(2);

    /// <summary>SNS caps the total retry time of an HTTP/S delivery policy at 3,600 seconds.</summary>
    public static readonly TimeSpan MaxTotalRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Connections are replaced this often, so DNS changes reach the connect-time address check.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    public const string UserAgent = "Broker.Webhooks/1.0";

    public const int MinSecretBytes = 24;

    public const int MaxSecretBytes = 64;

    public const string SecretPrefix = "whsec_";

    /// <summary>SNS's default HTTP/S policy: 3 retries, 20 seconds apart (linear from 20 to 20 seconds), no throttling.</summary>
    public static DeliveryPolicy CreateDeliveryPolicy() => new()
    {
        NumRetries = 3,
        NumNoDelayRetries = 0,
        NumMinDelayRetries = 0,
        NumMaxDelayRetries = 0,
        MinDelay = TimeSpan.FromSeconds(20),
        MaxDelay = TimeSpan.FromSeconds(20),
        BackoffFunction = BackoffFunction.Linear,
        MaxReceivesPerSecond = null,
    };

    public static DeliveryPolicy Copy(DeliveryPolicy policy) => new()
    {
        NumRetries = policy.NumRetries,
        NumNoDelayRetries = policy.NumNoDelayRetries,
        NumMinDelayRetries = policy.NumMinDelayRetries,
        NumMaxDelayRetries = policy.NumMaxDelayRetries,
        MinDelay = policy.MinDelay,
        MaxDelay = policy.MaxDelay,
        BackoffFunction = policy.BackoffFunction,
        MaxReceivesPerSecond = policy.MaxReceivesPerSecond,
    };
}
