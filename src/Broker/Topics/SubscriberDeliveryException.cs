namespace Broker.Topics;

/// <summary>Thrown by an <see cref="ITopicSubscriber{T}"/> to say how a failed delivery should be treated.</summary>
public sealed class SubscriberDeliveryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SubscriberDeliveryException"/> class for a retryable failure.</summary>
    public SubscriberDeliveryException()
        : this("The delivery failed.", isRetryable: true)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SubscriberDeliveryException"/> class for a retryable failure.</summary>
    /// <param name="message">Why the delivery failed; it becomes the dead-letter reason.</param>
    public SubscriberDeliveryException(string? message)
        : this(message, isRetryable: true)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SubscriberDeliveryException"/> class for a retryable failure.</summary>
    /// <param name="message">Why the delivery failed; it becomes the dead-letter reason.</param>
    /// <param name="innerException">The underlying error.</param>
    public SubscriberDeliveryException(string? message, Exception? innerException)
        : base(message, innerException)
    {
        IsRetryable = true;
    }

    /// <summary>Initializes a new instance of the <see cref="SubscriberDeliveryException"/> class.</summary>
    /// <param name="message">Why the delivery failed; it becomes the dead-letter reason.</param>
    /// <param name="isRetryable"><see langword="false"/> to send the message to the dead-letter queue at once.</param>
    /// <param name="retryAfter">How long to wait before the next retry instead of the policy's delay; <see langword="null"/> for the policy's.</param>
    /// <param name="innerException">The underlying error.</param>
    public SubscriberDeliveryException(string? message, bool isRetryable, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsRetryable = isRetryable;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets a value indicating whether the delivery may be retried.</summary>
    public bool IsRetryable { get; }

    /// <summary>Gets the delay the endpoint asked for before the next retry, if any.</summary>
    public TimeSpan? RetryAfter { get; }
}
