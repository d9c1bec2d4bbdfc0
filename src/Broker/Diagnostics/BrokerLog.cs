using Microsoft.Extensions.Logging;

namespace Broker.Diagnostics;

/// <summary>Broker's log events. Event ids are stable: 1 to 99 queues, 100 to 199 topics and subscriptions.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Queue '{Queue}' created")]
    public static partial void QueueCreated(ILogger logger, string queue);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Queue '{Queue}' deleted")]
    public static partial void QueueDeleted(ILogger logger, string queue);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Message {MessageId} of queue '{Queue}' moved to dead-letter queue '{DeadLetterQueue}' after {ReceiveCount} receives")]
    public static partial void MessageDeadLettered(ILogger logger, Messages.MessageId messageId, string queue, string deadLetterQueue, long receiveCount);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Queue '{Queue}' purged: {Count} messages deleted")]
    public static partial void QueuePurged(ILogger logger, string queue, long count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Message move task from '{Source}' ended {Status}: {Moved} of {ToMove} moved")]
    public static partial void MoveTaskEnded(ILogger logger, string source, Queues.MessageMoveStatus status, long moved, long toMove);

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Topic '{Topic}' created")]
    public static partial void TopicCreated(ILogger logger, string topic);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Subscription {SubscriptionId} ({Protocol} {Endpoint}) added to topic '{Topic}'")]
    public static partial void Subscribed(ILogger logger, string subscriptionId, string protocol, string endpoint, string topic);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Subscription {SubscriptionId} removed from topic '{Topic}'")]
    public static partial void Unsubscribed(ILogger logger, string subscriptionId, string topic);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Delivery of message {MessageId} to subscription {SubscriptionId} failed (attempt {Attempt}): {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, Messages.MessageId messageId, string subscriptionId, int attempt, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Message {MessageId} dead-lettered by subscription {SubscriptionId} after {Attempts} attempts: {Reason}")]
    public static partial void DeliveryDeadLettered(ILogger logger, Messages.MessageId messageId, string subscriptionId, int attempts, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Message {MessageId} dropped by subscription {SubscriptionId} after {Attempts} attempts: {Reason}")]
    public static partial void DeliveryDropped(ILogger logger, Messages.MessageId messageId, string subscriptionId, int attempts, string reason);
}
