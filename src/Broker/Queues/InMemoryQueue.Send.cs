using System.Diagnostics;
using Broker.Diagnostics;
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

        if (Validate(body, options?.Attributes, options?.Delay, options?.MessageGroupId, options?.DeduplicationId, out PreparedMessage prepared) is { } problem)
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
            if (_fifo is not null && TryFindDuplicate(body, prepared, out SendResult original))
            {
                return new ValueTask<SendResult>(original); // A duplicate stores nothing, so a full queue does not refuse or delay it.
            }

            return _options.FullMode == QueueFullMode.Fail
                ? throw QueueFull()
                : WaitForRoomAndSendAsync(body, prepared, cancellationToken);
        }

        return new ValueTask<SendResult>(Enqueue(body, prepared, holdsPermit: _capacity is not null));
    }

    private async ValueTask<SendResult> WaitForRoomAndSendAsync(T body, PreparedMessage prepared, CancellationToken cancellationToken)
    {
        await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        return Enqueue(body, prepared, holdsPermit: true);
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
        string? messageGroupId,
        string? deduplicationId,
        out PreparedMessage prepared)
    {
        prepared = default;
        long delayTicks = _delayTicks;
        if (delay is TimeSpan requested)
        {
            if (_fifo is not null)
            {
                return new SendProblem(SendProblemKind.Delay, $"FIFO queues take no per-message delay; set {nameof(QueueOptions.DeliveryDelay)} on the queue instead.");
            }

            if (requested < TimeSpan.Zero || requested > QueueLimits.MaxDeliveryDelay)
            {
                return new SendProblem(
                    SendProblemKind.Delay,
                    $"The delay is {requested}; it must be between {TimeSpan.Zero} and {QueueLimits.MaxDeliveryDelay}.");
            }

            delayTicks = requested.Ticks;
        }

        if (FifoRules.Check(messageGroupId, nameof(SendOptions.MessageGroupId)) is { } groupError)
        {
            return new SendProblem(SendProblemKind.GroupId, groupError);
        }

        if (FifoRules.Check(deduplicationId, nameof(SendOptions.DeduplicationId)) is { } deduplicationError)
        {
            return new SendProblem(SendProblemKind.DeduplicationId, deduplicationError);
        }

        if (_fifo is null && deduplicationId is not null)
        {
            return new SendProblem(SendProblemKind.DeduplicationId, "A de-duplication id applies to FIFO queues only.");
        }

        if (_fifo is not null)
        {
            if (messageGroupId is null)
            {
                return new SendProblem(SendProblemKind.GroupId, $"A FIFO queue needs a {nameof(SendOptions.MessageGroupId)} on every message.");
            }

            if (deduplicationId is null && !_options.ContentBasedDeduplication)
            {
                return new SendProblem(
                    SendProblemKind.DeduplicationId,
                    $"The FIFO queue '{Name}' needs a {nameof(SendOptions.DeduplicationId)}, or {nameof(QueueOptions.ContentBasedDeduplication)} turned on.");
            }
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

        prepared = new PreparedMessage(copy, delayTicks, size, messageGroupId, deduplicationId);
        return null;
    }

    /// <summary>Stores a validated message.</summary>
    /// <param name="body">The body.</param>
    /// <param name="prepared">What validation made of the send's options.</param>
    /// <param name="holdsPermit">Whether the message holds a unit of the queue's capacity.</param>
    /// <param name="now">The time of a standard queue's send, in timer ticks, when the caller has read it for several
    /// messages (a batch is sent at one time); <see langword="null"/> to read it here. A FIFO queue reads it under its gate.</param>
    private SendResult Enqueue(T body, in PreparedMessage prepared, bool holdsPermit, long? now = null)
    {
        using Activity? activity = BrokerDiagnostics.StartActivity("send", Name, ActivityKind.Producer);
        string? traceParent = activity?.Id ?? BrokerDiagnostics.CurrentTraceParent();
        SendResult result = _fifo is not null
            ? EnqueueFifo(body, prepared, holdsPermit, traceParent)
            : EnqueueStandard(body, prepared, holdsPermit, traceParent, now ?? _clock.Now);
        BrokerDiagnostics.Sent(Name, "send");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.message.id", result.MessageId.ToString());
        }

        return result;
    }

    private SendResult EnqueueStandard(T body, in PreparedMessage prepared, bool holdsPermit, string? traceParent, long now)
    {
        MessageId id = MessageId.NewId();
        bool delayed = prepared.DelayTicks > 0;
        var message = new QueueMessage<T>(
            this,
            body,
            prepared.Attributes,
            id,
            _clock.UtcTicksAt(now),
            deadLetterSourceQueue: null,
            prepared.MessageGroupId,
            MessageState.Make(delayed ? MessageState.Delayed : MessageState.Ready, 0))
        {
            Flags = holdsPermit ? QueueMessage<T>.FlagHoldsPermit : 0,
            TraceParent = traceParent,
        };

        ScheduleNew(message, now, prepared.DelayTicks, _retentionTicks, gateHeld: false);

        if (!delayed)
        {
            _ready.Writer.TryWrite(message);
        }

        return new SendResult(id);
    }

    /// <summary>Schedules a new message's retention and, if it is delayed, the end of its delay, counted from <paramref name="now"/>.</summary>
    /// <param name="message">The message just stored.</param>
    /// <param name="now">The time it was stored, in timer ticks.</param>
    /// <param name="delayTicks">Its delivery delay; 0 for none.</param>
    /// <param name="retentionTicks">How long it is kept from <paramref name="now"/>.</param>
    /// <param name="gateHeld">Whether the caller holds the timer gate (FIFO sends do), which is not reentrant.</param>
    /// <remarks>Retention goes to the timer queue's in-order lane: with one retention period per queue, messages sent one
    /// after another expire in the order they were sent, so a send does not take the gate receivers use. A dead-lettered
    /// message, which keeps its first sent time, may be due before the last one; the timer queue then puts it in the heap.</remarks>
    private void ScheduleNew(QueueMessage<T> message, long now, long delayTicks, long retentionTicks, bool gateHeld)
    {
        var retention = new QueueTimerEntry<T>(message, 0, QueueTimerKind.Retention, Due: 0);
        if (gateHeld)
        {
            _timers.ScheduleInOrder_Locked(retention, now + retentionTicks);
        }
        else
        {
            _timers.ScheduleInOrder(retention, now + retentionTicks);
        }

        if (delayTicks > 0)
        {
            long due = now + delayTicks;
            var delay = new QueueTimerEntry<T>(message, 0, QueueTimerKind.Delay, due);
            if (gateHeld)
            {
                _timers.Schedule_Locked(delay, due);
            }
            else
            {
                _timers.Schedule(delay, due);
            }
        }
    }

    /// <summary>Takes in a message dead-lettered by another queue: same id, body, attributes and receive count.</summary>
    /// <remarks>Capacity is never refused here, since refusing the move would lose the message; a message taken in past
    /// the capacity is counted as excess, so later sends wait until the queue is back under its capacity. A standard queue
    /// keeps the original sent time, so retention counts from the first send; a FIFO queue starts the message's retention
    /// afresh, as SQS does.</remarks>
    internal void AcceptDeadLetter(QueueMessage<T> source, long receiveCount)
    {
        if (_closed)
        {
            return;
        }

        long now = _clock.Now;
        long age = _clock.UtcTicksAt(now) - source.SentUtcTicks;
        if (_fifo is null && age >= _retentionTicks)
        {
            BrokerDiagnostics.Expired(Name); // Older than this queue keeps anything: it expires on arrival.
            return;
        }

        if (_capacity is not null && !TryTakePermit())
        {
            Interlocked.Increment(ref _overCapacity);
        }

        int flags = _capacity is not null ? QueueMessage<T>.FlagHoldsPermit : 0;
        if (_fifo is not null)
        {
            AcceptFifoDeadLetter(source, receiveCount, flags);
            return;
        }

        var message = new QueueMessage<T>(
            this,
            source.Body,
            source.Attributes,
            source.Id,
            source.SentUtcTicks,
            source.Queue.Name,
            source.MessageGroupId,
            MessageState.Make(MessageState.Ready, receiveCount))
        {
            FirstReceiveUtcTicks = source.FirstReceiveUtcTicks,
            TraceParent = source.TraceParent,
            Flags = flags,
        };

        ScheduleNew(message, now, 0, _retentionTicks - age, gateHeld: false);

        _ready.Writer.TryWrite(message);
    }

    private readonly record struct PreparedMessage(
        IReadOnlyDictionary<string, MessageAttributeValue> Attributes,
        long DelayTicks,
        long Size,
        string? MessageGroupId,
        string? DeduplicationId);
}
