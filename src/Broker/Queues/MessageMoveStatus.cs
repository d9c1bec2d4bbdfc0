namespace Broker.Queues;

/// <summary>The state of a <see cref="MessageMoveTask"/>.</summary>
public enum MessageMoveStatus
{
    /// <summary>The task is moving messages.</summary>
    Running,

    /// <summary>Cancellation was requested; the task stops after the message it is moving.</summary>
    Cancelling,

    /// <summary>The task moved every message it set out to move, or the source ran out of messages.</summary>
    Completed,

    /// <summary>The task was cancelled; messages already moved stay moved.</summary>
    Cancelled,

    /// <summary>The task stopped on an error; see <see cref="MessageMoveTask.FailureReason"/>. The message being moved stays in the source.</summary>
    Failed,
}
