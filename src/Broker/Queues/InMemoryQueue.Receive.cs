using System.Diagnostics;
using System.Runtime.CompilerServices;
using Broker.Diagnostics;
using Broker.Messages;

namespace Broker.Queues;

internal sealed partial class InMemoryQueue<T>
{
    public ValueTask<IReadOnlyList<ReceivedMessage<T>>> ReceiveAsync(
        int maxMessages = 1,
        TimeSpan? waitTime = null,
        TimeSpan? visibilityTimeout = null,
        CancellationToken cancellationToken = default)
        => ReceiveCoreAsync(maxMessages, waitTime, visibilityTimeout, attemptId: null, cancellationToken);

    public ValueTask<IReadOnlyList<ReceivedMessage<T>>> ReceiveAsync(ReceiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReceiveRequestAttemptId is { } attemptId)
        {
            if (FifoRules.Check(attemptId, nameof(ReceiveOptions.ReceiveRequestAttemptId)) is { } error)
            {
                throw new ArgumentException(error, nameof(options));
            }

            if (_fifo is null)
            {
                throw new ArgumentException($"{nameof(ReceiveOptions.ReceiveRequestAttemptId)} applies to FIFO queues only.", nameof(options));
            }
        }

        return ReceiveCoreAsync(options.MaxMessages, options.WaitTime, options.VisibilityTimeout, options.ReceiveRequestAttemptId, cancellationToken);
    }

    private ValueTask<IReadOnlyList<ReceivedMessage<T>>> ReceiveCoreAsync(
        int maxMessages,
        TimeSpan? waitTime,
        TimeSpan? visibilityTimeout,
        string? attemptId,
        CancellationToken cancellationToken)
    {
        if (maxMessages is < 1 or > QueueLimits.MaxReceiveMessages)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, $"maxMessages must be between 1 and {QueueLimits.MaxReceiveMessages}.");
        }

        TimeSpan wait = waitTime ?? _options.ReceiveWaitTime;
        if (wait < TimeSpan.Zero || wait > QueueLimits.MaxReceiveWaitTime)
        {
            throw new ArgumentOutOfRangeException(nameof(waitTime), wait, $"waitTime must be between {TimeSpan.Zero} and {QueueLimits.MaxReceiveWaitTime}.");
        }

        long visibilityTicks = _visibilityTicks;
        if (visibilityTimeout is TimeSpan visibility)
        {
            if (visibility < TimeSpan.Zero || visibility > QueueLimits.MaxVisibilityTimeout)
            {
                throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), visibility, $"visibilityTimeout must be between {TimeSpan.Zero} and {QueueLimits.MaxVisibilityTimeout}.");
            }

            visibilityTicks = visibility.Ticks;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<ReceivedMessage<T>>>(cancellationToken);
        }

        ThrowIfClosed();
        IReadOnlyList<ReceivedMessage<T>> received = TryReceive(maxMessages, visibilityTicks, attemptId);
        if (received.Count > 0 || wait == TimeSpan.Zero)
        {
            return new ValueTask<IReadOnlyList<ReceivedMessage<T>>>(received);
        }

        return WaitAndReceiveAsync(maxMessages, visibilityTicks, attemptId, wait, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<IReadOnlyList<ReceivedMessage<T>>> WaitAndReceiveAsync(int maxMessages, long visibilityTicks, string? attemptId, TimeSpan wait, CancellationToken cancellationToken)
    {
        CancellationTokenSource timeout = RentTimeout(wait);
        try
        {
            // Linking costs two registrations and a source per wait; a caller's token that can never be cancelled needs none.
            using CancellationTokenSource? linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token) : null;
            CancellationToken waitToken = linked?.Token ?? timeout.Token;
            while (true)
            {
                bool open;
                try
                {
                    open = _fifo is null
                        ? await _ready.Reader.WaitToReadAsync(waitToken).ConfigureAwait(false)
                        : await _fifo.Available.Reader.WaitToReadAsync(waitToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The wait is over: an empty result is the answer, as in SQS, unless a message arrived just now.
                    return _closed ? [] : TryReceive(maxMessages, visibilityTicks, attemptId);
                }

                if (!open)
                {
                    ThrowClosed();
                }

                IReadOnlyList<ReceivedMessage<T>> received = TryReceive(maxMessages, visibilityTicks, attemptId);
                if (received.Count > 0)
                {
                    return received;
                }
            }
        }
        finally
        {
            ReturnTimeout(timeout);
        }
    }

    /// <summary>Takes the queue's spare timeout source, or a new one, and starts it.</summary>
    /// <remarks>A new source and its timer cost a long poll 288 bytes here, three quarters of what it allocated besides its
    /// (pooled) state machine. A consumer that keeps up with its producer waits on nearly every receive, so the queue keeps
    /// one source that ended without firing for the next wait.</remarks>
    private CancellationTokenSource RentTimeout(TimeSpan wait)
    {
        CancellationTokenSource timeout = Interlocked.Exchange(ref _spareTimeout, null) ?? new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        timeout.CancelAfter(wait);
        return timeout;
    }

    private void ReturnTimeout(CancellationTokenSource timeout)
    {
        // A source that fired, or whose timer could not be stopped, cannot be reused.
        if (!timeout.TryReset() || Interlocked.CompareExchange(ref _spareTimeout, timeout, null) is not null)
        {
            timeout.Dispose();
        }
    }

    /// <summary>Takes up to <paramref name="maxMessages"/> ready messages without waiting.</summary>
    private IReadOnlyList<ReceivedMessage<T>> TryReceive(int maxMessages, long visibilityTicks, string? attemptId = null)
    {
        IReadOnlyList<ReceivedMessage<T>> received = _fifo is not null ? TryReceiveFifo(maxMessages, visibilityTicks, attemptId)
            : maxMessages == 1 ? TryReceiveOneStandard(visibilityTicks)
            : TryReceiveStandard(maxMessages, visibilityTicks);
        if (received.Count > 0)
        {
            BrokerDiagnostics.Consumed(Name, received.Count);
            if (BrokerDiagnostics.Source.HasListeners())
            {
                TraceReceive(received);
            }
        }

        return received;
    }

    /// <summary>Records a receive span linked to the send span of every message it returned.</summary>
    private void TraceReceive(IReadOnlyList<ReceivedMessage<T>> received)
    {
        var links = new List<ActivityLink>(received.Count);
        foreach (ReceivedMessage<T> message in received)
        {
            if (ActivityContext.TryParse(message.TraceParent, null, out ActivityContext context))
            {
                links.Add(new ActivityLink(context));
            }
        }

        // A pull is a client call in the OpenTelemetry messaging conventions; the consumer span is the handler's process span.
        using Activity? activity = BrokerDiagnostics.Source.StartActivity(ActivityKind.Client, default(ActivityContext), links: links, name: $"receive {Name}");
        BrokerDiagnostics.SetMessagingTags(activity, "receive", Name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.batch.message_count", received.Count);
        }
    }

    private void NoteDeadLettered(QueueMessage<T> message)
    {
        BrokerDiagnostics.DeadLettered(Name);
        BrokerLog.MessageDeadLettered(_logger, message.Id, Name, _deadLetterQueue!.Name, MessageState.Generation(message.State));
    }

    private static ReceivedMessage<T> ToReceived(QueueMessage<T> message, long generation) => new(message, generation);

    /// <summary>What a receive makes of a message it read from the channel.</summary>
    private enum TakeOutcome
    {
        /// <summary>Deleted, purged or expired while it waited in the channel, or taken by a racing receive.</summary>
        Skipped,

        /// <summary>In flight for this receive.</summary>
        Taken,

        /// <summary>At the redrive policy's receive count: deleted here, for the caller to move to the dead-letter queue.</summary>
        DeadLettered,
    }

    /// <summary>Takes a ready message read from the channel for a receive.</summary>
    /// <param name="message">The message.</param>
    /// <param name="generation">The receive's generation when the message is taken.</param>
    private TakeOutcome TryTake(QueueMessage<T> message, out long generation)
    {
        long state = Volatile.Read(ref message.State);
        generation = MessageState.Generation(state);
        if (MessageState.Kind(state) != MessageState.Ready)
        {
            return TakeOutcome.Skipped;
        }

        if (generation >= _maxReceiveCount && _deadLetterQueue is not null)
        {
            return TryTransition(message, state, MessageState.Make(MessageState.Deleted, generation)) ? TakeOutcome.DeadLettered : TakeOutcome.Skipped;
        }

        generation++;
        return TryReceiveTransition(message, state, generation) ? TakeOutcome.Taken : TakeOutcome.Skipped;
    }

    /// <summary>Takes one ready message without waiting: <see cref="TryReceiveStandard"/> for the usual long poll of one,
    /// without its buffers for ten.</summary>
    private IReadOnlyList<ReceivedMessage<T>> TryReceiveOneStandard(long visibilityTicks)
    {
        while (_ready.Reader.TryRead(out QueueMessage<T>? message))
        {
            TakeOutcome outcome = TryTake(message, out long generation);
            if (outcome == TakeOutcome.DeadLettered)
            {
                MoveToDeadLetterQueue(message);
            }

            if (outcome != TakeOutcome.Taken)
            {
                continue;
            }

            using (_timers.Gate.Enter())
            {
                // Under the gate for the reason given in TryReceiveStandard.
                long nowUtc = 0;
                StartVisibility_Locked(message, generation, _timers.Now, visibilityTicks, ref nowUtc);
            }

            if (visibilityTicks == 0)
            {
                ReturnAtOnce(message, generation);
            }

            return OneReceivedMessage<T>.Create(message, generation);
        }

        return [];
    }

    private IReadOnlyList<ReceivedMessage<T>> TryReceiveStandard(int maxMessages, long visibilityTicks)
    {
        var taken = default(MessageBuffer);
        int count = 0;
        MessageBuffer deadLettered = default;
        int deadLetteredCount = 0;
        while (count < maxMessages && _ready.Reader.TryRead(out QueueMessage<T>? message))
        {
            switch (TryTake(message, out _))
            {
                case TakeOutcome.Taken:
                    taken[count++] = message;
                    break;
                case TakeOutcome.DeadLettered:
                    deadLettered[deadLetteredCount++] = message;
                    if (deadLetteredCount == MessageBuffer.Length)
                    {
                        MoveToDeadLetterQueue(deadLettered, deadLetteredCount);
                        deadLetteredCount = 0;
                    }

                    break;
            }
        }

        if (deadLetteredCount > 0)
        {
            MoveToDeadLetterQueue(deadLettered, deadLetteredCount);
        }

        if (count == 0)
        {
            return [];
        }

        // One message, the usual long-poll answer, needs no array: it goes back in a list of one (OneReceivedMessage).
        ReceivedMessage<T>[]? many = count > 1 ? new ReceivedMessage<T>[count] : null;
        ReceivedMessage<T> single = default;
        bool visibleAtOnce = visibilityTicks == 0;
        using (_timers.Gate.Enter())
        {
            // The results are made under the gate: once it is released a short visibility timeout may lapse and another
            // receiver take the message, and this receive's handles must still carry this receive's generation.
            long now = _timers.Now;
            long nowUtc = 0;
            for (int i = 0; i < count; i++)
            {
                QueueMessage<T> message = taken[i];
                long generation = MessageState.Generation(Volatile.Read(ref message.State));
                StartVisibility_Locked(message, generation, now, visibilityTicks, ref nowUtc);
                ReceivedMessage<T> made = ToReceived(message, generation);
                if (many is null)
                {
                    single = made;
                }
                else
                {
                    many[i] = made;
                }
            }
        }

        if (visibleAtOnce)
        {
            // A zero timeout hides nothing: the messages go straight back, after this batch so none is returned twice.
            for (int i = 0; i < count; i++)
            {
                ReturnAtOnce(taken[i], (many is null ? single : many[i]).Generation);
            }
        }

        if (many is not null)
        {
            return many;
        }

        return OneReceivedMessage<T>.Create(single.Record!, single.Generation);
    }

    /// <summary>Moves a ready message to in flight for a receive, without counting it: <see cref="StartVisibility_Locked"/>,
    /// which every receive calls next under the gate, counts it there.</summary>
    private static bool TryReceiveTransition(QueueMessage<T> message, long readyState, long generation)
        => Interlocked.CompareExchange(ref message.State, MessageState.Make(MessageState.InFlight, generation), readyState) == readyState;

    /// <summary>Starts a receive's visibility timeout at <paramref name="now"/>: counts the message in flight, stamps it and
    /// schedules the timeout's end (a zero timeout schedules nothing). Under the gate.</summary>
    /// <param name="message">The message, in flight for this receive.</param>
    /// <param name="generation">The receive's generation.</param>
    /// <param name="now">The receive's time, in timer ticks.</param>
    /// <param name="visibilityTicks">The visibility timeout, in timer ticks.</param>
    /// <param name="nowUtc">The wall-clock time at <paramref name="now"/>, read on the first message that needs it (0 until then),
    /// so every message of one receive gets the same first-receive time.</param>
    private void StartVisibility_Locked(QueueMessage<T> message, long generation, long now, long visibilityTicks, ref long nowUtc)
    {
        _counts.Receive_Locked();
        long due = now + visibilityTicks;
        message.ReceivedAt = now;
        message.VisibleAt = due;
        if (message.FirstReceiveUtcTicks == 0)
        {
            if (nowUtc == 0)
            {
                nowUtc = _clock.UtcTicksAt(now);
            }

            message.FirstReceiveUtcTicks = nowUtc;
        }

        if (visibilityTicks > 0)
        {
            _timers.Schedule_Locked(new QueueTimerEntry<T>(message, generation, QueueTimerKind.Visibility, due), due);
        }
    }

    /// <summary>Puts a message received with a zero visibility timeout straight back in the channel, unless it was deleted
    /// or changed meanwhile: a zero timeout hides nothing.</summary>
    private void ReturnAtOnce(QueueMessage<T> message, long generation)
    {
        if (TryTransition(message, MessageState.Make(MessageState.InFlight, generation), MessageState.Make(MessageState.Ready, generation)))
        {
            _ready.Writer.TryWrite(message);
        }
    }

    private void MoveToDeadLetterQueue(MessageBuffer messages, int count)
    {
        for (int i = 0; i < count; i++)
        {
            MoveToDeadLetterQueue(messages[i]);
        }
    }

    private void MoveToDeadLetterQueue(QueueMessage<T> message)
    {
        _deadLetterQueue!.AcceptDeadLetter(message, MessageState.Generation(message.State));
        NoteDeadLettered(message);
        OnRemoved(message);
    }

    [InlineArray(Length)]
    private struct MessageBuffer
    {
        public const int Length = QueueLimits.MaxReceiveMessages;

        private QueueMessage<T> _element;
    }
}
