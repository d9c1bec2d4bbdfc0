namespace Broker.Queues;

/// <summary>A running redrive: moves messages out of a dead-letter queue, to their source queues or to a chosen queue.</summary>
/// <remarks>
/// Moved messages are new messages in the destination: a new id, a new sent time and a receive count of zero; their
/// bodies and attributes are kept. Messages are moved one at a time, each deleted from the source only after the
/// destination accepted it, so a failure never loses one. Progress can be read while the task runs.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source has no timer and no wait handle, so it holds nothing to release; not disposing it lets Cancel() race the end of the task safely.")]
public sealed class MessageMoveTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private long _moved;
    private int _status;

    internal MessageMoveTask(string sourceQueueName, string? destinationQueueName, int? maxMessagesPerSecond, long messagesToMove, DateTimeOffset started)
    {
        SourceQueueName = sourceQueueName;
        DestinationQueueName = destinationQueueName;
        MaxMessagesPerSecond = maxMessagesPerSecond;
        MessagesToMove = messagesToMove;
        StartedTimestamp = started;
    }

    /// <summary>Gets the dead-letter queue the messages come from.</summary>
    public string SourceQueueName { get; }

    /// <summary>Gets the queue the messages go to; <see langword="null"/> sends each back to the queue it was dead-lettered from.</summary>
    public string? DestinationQueueName { get; }

    /// <summary>Gets the rate limit; <see langword="null"/> when the task moves as fast as it can.</summary>
    public int? MaxMessagesPerSecond { get; }

    /// <summary>Gets the number of visible messages in the source when the task started; the task moves at most this many.</summary>
    public long MessagesToMove { get; }

    /// <summary>Gets the number of messages moved so far.</summary>
    public long MessagesMoved => Volatile.Read(ref _moved);

    /// <summary>Gets when the task started.</summary>
    public DateTimeOffset StartedTimestamp { get; }

    /// <summary>Gets the task's state.</summary>
    public MessageMoveStatus Status => (MessageMoveStatus)Volatile.Read(ref _status);

    /// <summary>Gets why the task failed; <see langword="null"/> unless <see cref="Status"/> is <see cref="MessageMoveStatus.Failed"/>.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Gets a task that completes when the move ends, whatever its outcome; it never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    internal CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Asks the task to stop after the message it is moving. Messages already moved stay moved.</summary>
    /// <returns><see langword="true"/> if the task was running and is now cancelling.</returns>
    public bool Cancel()
    {
        if (Interlocked.CompareExchange(ref _status, (int)MessageMoveStatus.Cancelling, (int)MessageMoveStatus.Running) != (int)MessageMoveStatus.Running)
        {
            return false;
        }

        _cancellation.Cancel();
        return true;
    }

    internal void Start(Func<MessageMoveTask, Task> run) => Completion = run(this);

    internal void CountMoved() => Interlocked.Increment(ref _moved);

    internal void Finish(string? failureReason)
    {
        if (failureReason is not null)
        {
            FailureReason = failureReason;
        }

        // Decided by compare-and-swap, so a Cancel() that lands while the task ends is never overwritten.
        while (true)
        {
            int current = Volatile.Read(ref _status);
            int final = failureReason is not null
                ? (int)MessageMoveStatus.Failed
                : current == (int)MessageMoveStatus.Cancelling ? (int)MessageMoveStatus.Cancelled : (int)MessageMoveStatus.Completed;
            if (Interlocked.CompareExchange(ref _status, final, current) == current)
            {
                return;
            }
        }
    }
}
