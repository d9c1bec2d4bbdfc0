using Broker.Messages;

namespace Broker.Queues;

/// <summary>A queue of messages with bodies of type <typeparamref name="T"/>, with the semantics of an SQS standard queue.</summary>
/// <typeparam name="T">The body type. Bodies are kept as the objects sent, so they should be immutable (records).</typeparam>
/// <remarks>
/// A received message is hidden for the visibility timeout; unless it is deleted in that time it becomes visible
/// again and is redelivered. Delivery is at least once: consumers must be idempotent. Every member is thread-safe.
/// </remarks>
public interface IMessageQueue<T> : IMessageQueue
{
    /// <summary>Sends a message.</summary>
    /// <param name="body">The body.</param>
    /// <param name="options">Attributes and delay for this message; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token to cancel a send that waits for room in a full queue.</param>
    /// <returns>The id given to the message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An attribute is invalid or the message is larger than the queue's maximum size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The delay is outside 0 to 15 minutes.</exception>
    /// <exception cref="BrokerException">The queue is full and set to fail fast, or it has been deleted.</exception>
    ValueTask<SendResult> SendAsync(T body, SendOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sends up to 10 messages; each entry succeeds or fails on its own.</summary>
    /// <param name="entries">The messages, 1 to 10, with distinct ids.</param>
    /// <param name="cancellationToken">A token to cancel a send that waits for room in a full queue.</param>
    /// <returns>The accepted entries with their message ids, and the failed ones with their reasons.</returns>
    /// <exception cref="ArgumentException">The batch is empty, has more than 10 entries, repeats or misspells an entry id,
    /// or its messages together exceed the queue's maximum message size.</exception>
    ValueTask<BatchResult<SendBatchResultEntry>> SendBatchAsync(IReadOnlyList<SendBatchEntry<T>> entries, CancellationToken cancellationToken = default);

    /// <summary>Receives up to <paramref name="maxMessages"/> messages, hiding them for the visibility timeout.</summary>
    /// <param name="maxMessages">The most messages to return: 1 to 10.</param>
    /// <param name="waitTime">How long to wait when no message is visible: 0 to 20 seconds. <see langword="null"/> uses the queue's
    /// <see cref="QueueOptions.ReceiveWaitTime"/>. The receive returns as soon as any message is there.</param>
    /// <param name="visibilityTimeout">How long to hide these messages: 0 to 12 hours. <see langword="null"/> uses the queue's.</param>
    /// <param name="cancellationToken">A token to cancel the wait.</param>
    /// <returns>The messages; empty when none became visible within the wait time.</returns>
    /// <remarks>Without a wait, every visible message up to the maximum is returned (SQS samples a subset instead).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="BrokerException">The queue has been deleted.</exception>
    ValueTask<IReadOnlyList<ReceivedMessage<T>>> ReceiveAsync(
        int maxMessages = 1,
        TimeSpan? waitTime = null,
        TimeSpan? visibilityTimeout = null,
        CancellationToken cancellationToken = default);

    /// <summary>Receives messages with the settings in <paramref name="options"/>, including a FIFO receive request attempt id.</summary>
    /// <param name="options">The receive's settings.</param>
    /// <param name="cancellationToken">A token to cancel the wait.</param>
    /// <returns>The messages; empty when none became visible within the wait time.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range.</exception>
    /// <exception cref="ArgumentException">An attempt id is malformed, or given for a standard queue.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="BrokerException">The queue has been deleted.</exception>
    ValueTask<IReadOnlyList<ReceivedMessage<T>>> ReceiveAsync(ReceiveOptions options, CancellationToken cancellationToken = default);

    /// <summary>Deletes the message received with <paramref name="receiptHandle"/>.</summary>
    /// <param name="receiptHandle">The handle from the receive.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns><see langword="true"/> if the message was deleted; <see langword="false"/> if it was already gone or has been
    /// received again since (the handle is stale). Like SQS, a stale handle is not an error.</returns>
    /// <exception cref="ArgumentException"><paramref name="receiptHandle"/> is the default value.</exception>
    /// <exception cref="BrokerException">The handle was not issued by this queue (<see cref="BrokerErrorCode.ReceiptHandleIsInvalid"/>)
    /// or is older than 12 hours (<see cref="BrokerErrorCode.ReceiptHandleExpired"/>).</exception>
    ValueTask<bool> DeleteAsync(ReceiptHandle receiptHandle, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to 10 messages; each entry succeeds or fails on its own.</summary>
    /// <param name="entries">The handles, 1 to 10, with distinct ids.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The ids of the entries that succeeded and the failed entries with their reasons. A stale handle succeeds, as in <see cref="DeleteAsync"/>.</returns>
    /// <exception cref="ArgumentException">The batch is empty, has more than 10 entries, or repeats or misspells an entry id.</exception>
    ValueTask<BatchResult<string>> DeleteBatchAsync(IReadOnlyList<DeleteBatchEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Changes how long a received message stays hidden, counted from now.</summary>
    /// <param name="receiptHandle">The handle from the receive.</param>
    /// <param name="visibilityTimeout">The new timeout; zero makes the message visible at once. The message's total hidden time
    /// since its receive may not exceed 12 hours.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>A task that completes when the change is made.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative or would hide the message past 12 hours after its receive.</exception>
    /// <exception cref="BrokerException">The message is not in flight under this handle (<see cref="BrokerErrorCode.MessageNotInFlight"/>),
    /// or the handle is invalid or expired.</exception>
    ValueTask ChangeVisibilityAsync(ReceiptHandle receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Changes the visibility of up to 10 messages; each entry succeeds or fails on its own.</summary>
    /// <param name="entries">The handles and timeouts, 1 to 10, with distinct ids.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The ids of the entries that succeeded and the failed entries with their reasons.</returns>
    /// <exception cref="ArgumentException">The batch is empty, has more than 10 entries, or repeats or misspells an entry id.</exception>
    ValueTask<BatchResult<string>> ChangeVisibilityBatchAsync(IReadOnlyList<ChangeVisibilityBatchEntry> entries, CancellationToken cancellationToken = default);
}
