using Broker.Messages;

namespace Broker.Queues;

internal sealed partial class InMemoryQueue<T>
{
    public ValueTask<SendResult> SendAsync(T body, SendOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (body is null)
        {
            throw new ArgumentNullException(nameof(body));
        }

        if (Validate(body, options?.Attributes, options?.Delay, out PreparedMessage prepared) is { } problem)
        {
            throw problem.ToException(nameof(options), nameof(body));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<SendResult>(cancellationToken);
        }

        ThrowIfClosed();
        if (_capacity is not null && !TryTakePermit())
        {
            return _options.FullMode == QueueFullMode.Fail
                ? throw QueueFull()
                : WaitForRoomAndSendAsync(body, prepared, cancellationToken);
        }

        return new ValueTask<SendResult>(new SendResult(Enqueue(body, prepared, holdsPermit: _capacity is not null)));
    }

    private async ValueTask<SendResult> WaitForRoomAndSendAsync(T body, PreparedMessage prepared, CancellationToken cancellationToken)
    {
        await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        return new SendResult(Enqueue(body, prepared, holdsPermit: true));
    }

    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            await _capacity!.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowClosed();
        }

        if (_closed)
        {
            _capacity.Release();
            ThrowClosed();
        }
    }

    /// <summary>Takes a unit of capacity if one is free, without waiting.</summary>
    private bool TryTakePermit()
    {
#pragma warning disable VSTHRD103 // A zero timeout never blocks.
        return _capacity!.Wait(0, CancellationToken.None);
#pragma warning restore VSTHRD103
    }

    private BrokerException QueueFull()
        => new(BrokerErrorCode.QueueFull, $"The queue '{Name}' holds its capacity of {_options.Capacity} messages.");

    /// <summary>Checks a message against the queue's limits without changing anything.</summary>
    private SendProblem? Validate(
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue>? attributes,
        TimeSpan? delay,
        out PreparedMessage prepared)
    {
        prepared = default;
        long delayTicks = _delayTicks;
        if (delay is TimeSpan requested)
        {
            if (requested < TimeSpan.Zero || requested > QueueLimits.MaxDeliveryDelay)
            {
                return new SendProblem(
                    SendProblemKind.Delay,
                    $"The delay is {requested}; it must be between {TimeSpan.Zero} and {QueueLimits.MaxDeliveryDelay}.");
            }

            delayTicks = requested.Ticks;
        }

        string? attributeError = MessageAttributeRules.TryCopy(attributes, out IReadOnlyDictionary<string, MessageAttributeValue> copy, out int attributeSize);
        if (attributeError is not null)
        {
            return new SendProblem(SendProblemKind.Attributes, attributeError);
        }

        long size = MessageBodySize.Measure(body) + attributeSize;
        if (size > _options.MaximumMessageSize)
        {
            return new SendProblem(
                SendProblemKind.Size,
                $"The message is {size} bytes (body and attributes); the queue '{Name}' accepts at most {_options.MaximumMessageSize}.");
        }

        prepared = new PreparedMessage(copy, delayTicks, size);
        return null;
    }

    private MessageId Enqueue(T body, in PreparedMessage prepared, bool holdsPermit)
    {
        MessageId id = MessageId.NewId();
        bool delayed = prepared.DelayTicks > 0;
        var message = new QueueMessage<T>(
            this,
            body,
            prepared.Attributes,
            id,
            _time.GetUtcNow().UtcTicks,
            deadLetterSourceQueue: null,
            MessageState.Make(delayed ? MessageState.Delayed : MessageState.Ready, 0))
        {
            Flags = holdsPermit ? QueueMessage<T>.FlagHoldsPermit : 0,
        };

        AddToCount(delayed ? MessageState.Delayed : MessageState.Ready, 1);
        lock (_timers.Gate)
        {
            long now = _timers.Now;
            _timers.Schedule_Locked(new QueueTimerEntry<T>(message, 0, QueueTimerKind.Retention, now + _retentionTicks), now + _retentionTicks);
            if (delayed)
            {
                _timers.Schedule_Locked(new QueueTimerEntry<T>(message, 0, QueueTimerKind.Delay, now + prepared.DelayTicks), now + prepared.DelayTicks);
            }
        }

        if (!delayed)
        {
            _ready.Writer.TryWrite(message);
        }

        return id;
    }

    /// <summary>Takes in a message dead-lettered by another queue: same id, body, attributes, sent time and receive count.</summary>
    /// <remarks>Capacity is never refused here, since refusing the move would lose the message; a message taken in past
    /// the capacity is counted as excess, so later sends wait until the queue is back under its capacity.</remarks>
    internal void AcceptDeadLetter(QueueMessage<T> source, long receiveCount)
    {
        if (_closed)
        {
            return;
        }

        if (_capacity is not null && !TryTakePermit())
        {
            Interlocked.Increment(ref _overCapacity);
        }

        var message = new QueueMessage<T>(
            this,
            source.Body,
            source.Attributes,
            source.Id,
            source.SentUtcTicks,
            source.Queue.Name,
            MessageState.Make(MessageState.Ready, receiveCount))
        {
            FirstReceiveUtcTicks = source.FirstReceiveUtcTicks,
            Flags = _capacity is not null ? QueueMessage<T>.FlagHoldsPermit : 0,
        };

        AddToCount(MessageState.Ready, 1);
        long age = _time.GetUtcNow().UtcTicks - source.SentUtcTicks;
        lock (_timers.Gate)
        {
            long due = _timers.Now + Math.Max(_retentionTicks - age, 0);
            _timers.Schedule_Locked(new QueueTimerEntry<T>(message, 0, QueueTimerKind.Retention, due), due);
        }

        _ready.Writer.TryWrite(message);
    }

    private readonly record struct PreparedMessage(IReadOnlyDictionary<string, MessageAttributeValue> Attributes, long DelayTicks, long Size);
}
