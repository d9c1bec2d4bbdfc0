using Broker.Diagnostics;
using Broker.Messages;

namespace Broker.Queues;

internal sealed partial class InMemoryQueue<T>
{
    /// <summary>How long a message being moved is hidden from other consumers of the dead-letter queue.</summary>
    private static readonly TimeSpan s_moveVisibility = TimeSpan.FromMinutes(5);

    private readonly Lock _moveGate = new();
    private MessageMoveTask? _activeMove;

    public MessageMoveTask? ActiveMoveTask => _activeMove;

    public MessageMoveTask StartMoveTask(MessageBroker broker, IMessageQueue? destination, int? maxMessagesPerSecond)
    {
        ThrowIfClosed();
        var typedDestination = destination as IMessageQueue<T>;
        if (destination is not null && typedDestination is null)
        {
            throw new BrokerException(
                BrokerErrorCode.QueueTypeMismatch,
                $"The queue '{destination.Name}' holds {destination.BodyType.Name} messages; '{Name}' holds {typeof(T).Name}.");
        }

        MessageMoveTask task;
        lock (_moveGate)
        {
            if (_activeMove is { Status: MessageMoveStatus.Running or MessageMoveStatus.Cancelling })
            {
                throw new BrokerException(BrokerErrorCode.MoveTaskAlreadyRunning, $"A message move task is already running for the queue '{Name}'.");
            }

            task = new MessageMoveTask(Name, destination?.Name, maxMessagesPerSecond, _counts.Count(MessageState.Ready), _time.GetUtcNow());
            _activeMove = task;
        }

        task.Start(t => RunMoveAsync(t, broker, typedDestination));
        return task;
    }

    private async Task RunMoveAsync(MessageMoveTask task, MessageBroker broker, IMessageQueue<T>? destination)
    {
        // Leave the caller's thread without capturing its context: the move must not run on a UI or request context.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        string? failure = null;
        long started = _time.GetTimestamp();
        CancellationToken cancellationToken = task.CancellationToken;
        try
        {
            while (task.MessagesMoved < task.MessagesToMove && !cancellationToken.IsCancellationRequested)
            {
                if (task.MaxMessagesPerSecond is int rate)
                {
                    TimeSpan due = TimeSpan.FromSeconds((double)task.MessagesMoved / rate);
                    TimeSpan wait = due - _time.GetElapsedTime(started);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                IReadOnlyList<ReceivedMessage<T>> received = TryReceive(1, s_moveVisibility.Ticks);
                if (received.Count == 0)
                {
                    break;
                }

                ReceivedMessage<T> message = received[0];
                failure = await MoveOneAsync(message, broker, destination, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    break;
                }

                task.CountMoved();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (BrokerException e)
        {
            failure = e.Message;
        }

        task.Finish(failure);
        BrokerLog.MoveTaskEnded(_logger, Name, task.Status, task.MessagesMoved, task.MessagesToMove);
    }

    /// <returns>The reason the message could not be moved, or <see langword="null"/> once it is in the destination and gone from here.</returns>
    private async Task<string?> MoveOneAsync(ReceivedMessage<T> message, MessageBroker broker, IMessageQueue<T>? destination, CancellationToken cancellationToken)
    {
        IMessageQueue<T>? target = destination;
        if (target is null)
        {
            if (message.DeadLetterSourceQueue is not { } sourceName || !broker.TryGetQueue(sourceName, out target))
            {
                Release(message.ReceiptHandle);
                return message.DeadLetterSourceQueue is null
                    ? $"The message {message.MessageId} was not dead-lettered from another queue, and no destination was given."
                    : $"The message {message.MessageId} came from the queue '{message.DeadLetterSourceQueue}', which no longer exists.";
            }
        }

        try
        {
            var options = new SendOptions
            {
                Attributes = message.Attributes,
                MessageGroupId = message.MessageGroupId,

                // A moved message is a new message: a fresh de-duplication id keeps a second move of it from being dropped.
                DeduplicationId = QueueNames.IsFifo(target.Name) ? MessageId.NewId().ToString() : null,
            };
            await target.SendAsync(message.Body, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or BrokerException)
        {
            Release(message.ReceiptHandle);
            return $"The queue '{target.Name}' refused the message {message.MessageId}: {e.Message}";
        }
        catch (OperationCanceledException)
        {
            Release(message.ReceiptHandle);
            throw;
        }

        DeleteMessage(message.ReceiptHandle);
        return null;
    }

    /// <summary>Makes a message that is being moved visible again; if its visibility already ran out, it is visible anyway.</summary>
    private void Release(ReceiptHandle receiptHandle)
    {
        try
        {
            SetVisibility(receiptHandle, TimeSpan.Zero);
        }
        catch (BrokerException e) when (e.ErrorCode == BrokerErrorCode.MessageNotInFlight)
        {
        }
    }
}
