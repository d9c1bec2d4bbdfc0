using Microsoft.Extensions.Logging;

namespace Broker.Webhooks;

/// <summary>The webhook log events. None carries a secret, a signature, a token or a URL's query string.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Webhook delivery of message {MessageId} to {Endpoint} (subscription {SubscriptionId}) failed: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string messageId, string endpoint, string subscriptionId, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} sent its confirmation request to {Endpoint}")]
    public static partial void ConfirmationSent(ILogger logger, string subscriptionId, string endpoint);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} could not send its confirmation request to {Endpoint}: {Reason}")]
    public static partial void ConfirmationFailed(ILogger logger, string subscriptionId, string endpoint, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} to {Endpoint} is confirmed")]
    public static partial void Confirmed(ILogger logger, string subscriptionId, string endpoint);
}
