namespace Broker;

/// <summary>Machine-readable reasons for a <see cref="BrokerException"/>.</summary>
public enum BrokerErrorCode
{
    /// <summary>No queue or topic has the given name.</summary>
    QueueDoesNotExist = 1,

    /// <summary>A queue with the given name exists with different options or another body type.</summary>
    QueueNameExists,

    /// <summary>The queue exists but carries another body type than the one asked for.</summary>
    QueueTypeMismatch,

    /// <summary>The receipt handle was not issued by this queue or is malformed.</summary>
    ReceiptHandleIsInvalid,

    /// <summary>The receipt handle is older than the 12-hour visibility cap.</summary>
    ReceiptHandleExpired,

    /// <summary>The message is not in flight under the given receipt handle.</summary>
    MessageNotInFlight,

    /// <summary>The queue is at its configured capacity and is set to fail fast.</summary>
    QueueFull,

    /// <summary>The queue is the dead-letter target of another queue and cannot be deleted.</summary>
    QueueInUse,

    /// <summary>A message move task is already running for the source queue.</summary>
    MoveTaskAlreadyRunning,

    /// <summary>The queue is not the dead-letter queue of any queue, so its messages have no source to go back to.</summary>
    NotADeadLetterQueue,

    /// <summary>No topic has the given name.</summary>
    TopicDoesNotExist,

    /// <summary>A topic with the given name exists with different options or another body type.</summary>
    TopicNameExists,

    /// <summary>The topic exists but carries another body type than the one asked for.</summary>
    TopicTypeMismatch,

    /// <summary>The broker has been disposed.</summary>
    BrokerDisposed,
}
