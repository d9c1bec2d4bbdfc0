namespace Broker.Queues;

/// <summary>The settings of one receive, for callers that need more than the short overload offers.</summary>
public sealed class ReceiveOptions
{
    /// <summary>Gets or sets the most messages to return.</summary>
    /// <value>The default is 1; the allowed range is 1 to 10.</value>
    public int MaxMessages { get; set; } = 1;

    /// <summary>Gets or sets how long to wait when no message is visible.</summary>
    /// <value>The default is <see langword="null"/>: the queue's <see cref="QueueOptions.ReceiveWaitTime"/>. The allowed range is 0 to 20 seconds.</value>
    public TimeSpan? WaitTime { get; set; }

    /// <summary>Gets or sets how long to hide the received messages.</summary>
    /// <value>The default is <see langword="null"/>: the queue's <see cref="QueueOptions.VisibilityTimeout"/>. The allowed range is 0 to 12 hours.</value>
    public TimeSpan? VisibilityTimeout { get; set; }

    /// <summary>Gets or sets the receive request attempt id of a FIFO queue: retrying a receive with the same id within 5 minutes
    /// returns the same messages and handles, as long as none of them was deleted or had its visibility changed.</summary>
    /// <value>1 to 128 letters, digits and punctuation; FIFO queues only. The default is <see langword="null"/>.</value>
    public string? ReceiveRequestAttemptId { get; set; }
}
