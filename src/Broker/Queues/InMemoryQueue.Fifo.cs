using System.Globalization;
using System.Threading.Channels;
using Broker.Messages;

namespace Broker.Queues;

/// <remarks>
/// FIFO queues keep every message in its group's list, in send order, and hand out groups rather than messages: a group
/// that becomes available (its first undeleted message is ready and nothing of it is in flight) is written once to a
/// channel of available groups, which is what receivers wait on. All FIFO bookkeeping happens under the timer gate, so
/// sends, receives, timer expiries and group availability are serialized; deletes still change the message state by
/// compare-and-swap and then re-check their group under the gate.
/// </remarks>
internal sealed partial class InMemoryQueue<T>
{
    private readonly FifoState? _fifo;

    private SendResult EnqueueFifo(T body, in PreparedMessage prepared, bool holdsPermit, string? traceParent)
    {
        FifoState fifo = _fifo!;
        string groupId = prepared.MessageGroupId!;
        string deduplicationId = prepared.DeduplicationId ?? ContentHash.Compute(body, _jsonOptions);
        string deduplicationKey = DeduplicationKey(groupId, deduplicationId);
        bool delayed = prepared.DelayTicks > 0;
        FifoGroup<T>? signal = null;
        bool duplicate;
        SendResult result;
        using (_timers.Gate.Enter())
        {
            long now = _timers.Now;
            duplicate = fifo.Deduplication.TryGet(deduplicationKey, now, out result);
            if (!duplicate)
            {
                FifoGroup<T> group = GetOrAddGroup_Locked(groupId);
                var message = new FifoQueueMessage<T>(
                    this,
                    body,
                    prepared.Attributes,
                    MessageId.NewId(),
                    _clock.UtcTicksAt(now),
                    deadLetterSourceQueue: null,
                    group,
                    deduplicationId,
                    NextSequenceNumber_Locked(),
                    MessageState.Make(delayed ? MessageState.Delayed : MessageState.Ready, 0))
                {
                    Flags = holdsPermit ? QueueMessage<T>.FlagHoldsPermit : 0,
                    TraceParent = traceParent,
                };

                group.Messages.Enqueue(message);
                ScheduleNew(message, now, prepared.DelayTicks, _retentionTicks, gateHeld: true);
                result = new SendResult(message.Id, message.SequenceNumber);
                fifo.Deduplication.Set(deduplicationKey, result, now);
                signal = TryMakeAvailable_Locked(group) ? group : null;
            }
        }

        if (signal is not null)
        {
            fifo.Available.Writer.TryWrite(signal);
        }

        if (duplicate && holdsPermit)
        {
            _capacity!.Release(); // A duplicate is accepted but stores nothing.
        }

        return result;
    }

    /// <summary>Finds the original of a message that would be dropped as a duplicate, without storing anything.</summary>
    /// <remarks>Lets a duplicate sent to a full queue succeed at once: it needs no room. Racing sends are settled by
    /// <see cref="EnqueueFifo"/>, which checks again.</remarks>
    private bool TryFindDuplicate(T body, in PreparedMessage prepared, out SendResult original)
    {
        string deduplicationKey = DeduplicationKey(prepared.MessageGroupId!, prepared.DeduplicationId ?? ContentHash.Compute(body, _jsonOptions));
        using (_timers.Gate.Enter())
        {
            return _fifo!.Deduplication.TryGet(deduplicationKey, _timers.Now, out original);
        }
    }

    private string DeduplicationKey(string groupId, string deduplicationId)
        => _options.DeduplicationScope == DeduplicationScope.MessageGroup
            ? string.Concat(groupId, "\n", deduplicationId)
            : deduplicationId;

    private void AcceptFifoDeadLetter(QueueMessage<T> source, long receiveCount, int flags)
    {
        FifoState fifo = _fifo!;
        FifoGroup<T>? signal;
        using (_timers.Gate.Enter())
        {
            long now = _timers.Now;
            FifoGroup<T> group = GetOrAddGroup_Locked(source.MessageGroupId ?? string.Empty);
            var message = new FifoQueueMessage<T>(
                this,
                source.Body,
                source.Attributes,
                source.Id,
                _clock.UtcTicksAt(now),
                source.Queue.Name,
                group,
                source.Id.ToString(),
                NextSequenceNumber_Locked(),
                MessageState.Make(MessageState.Ready, receiveCount))
            {
                FirstReceiveUtcTicks = source.FirstReceiveUtcTicks,
                TraceParent = source.TraceParent,
                Flags = flags,
            };

            group.Messages.Enqueue(message);
            ScheduleNew(message, now, 0, _retentionTicks, gateHeld: true);
            signal = TryMakeAvailable_Locked(group) ? group : null;
        }

        if (signal is not null)
        {
            fifo.Available.Writer.TryWrite(signal);
        }
    }

    /// <summary>Takes up to <paramref name="maxMessages"/> messages, as many as possible from each available group, in order.</summary>
    private ReceivedMessage<T>[] TryReceiveFifo(int maxMessages, long visibilityTicks, string? attemptId)
    {
        FifoState fifo = _fifo!;
        var taken = new List<FifoQueueMessage<T>>(maxMessages);
        List<FifoQueueMessage<T>>? deadLettered = null;
        List<FifoGroup<T>>? signals = null;
        ReceivedMessage<T>[] result;
        using (_timers.Gate.Enter())
        {
            long now = _timers.Now;
            if (attemptId is not null && TryRepeatAttempt_Locked(attemptId, now, visibilityTicks, out ReceivedMessage<T>[]? repeated))
            {
                return repeated;
            }

            while (taken.Count < maxMessages && fifo.Available.Reader.TryRead(out FifoGroup<T>? group))
            {
                group.Queued = false;
                if (group.Removed || group.IsBlocked_Locked())
                {
                    continue;
                }

                int before = taken.Count;
                foreach (FifoQueueMessage<T> message in group.Messages)
                {
                    long state = Volatile.Read(ref message.State);
                    long kind = MessageState.Kind(state);
                    if (kind == MessageState.Deleted)
                    {
                        continue;
                    }

                    if (kind != MessageState.Ready || taken.Count == maxMessages)
                    {
                        break; // Order within the group: nothing behind a delayed message may overtake it.
                    }

                    long generation = MessageState.Generation(state);
                    if (generation >= _maxReceiveCount && _deadLetterQueue is not null)
                    {
                        if (TryTransition(message, state, MessageState.Make(MessageState.Deleted, generation)))
                        {
                            (deadLettered ??= []).Add(message);
                        }

                        continue;
                    }

                    if (TryReceiveTransition(message, state, generation + 1))
                    {
                        taken.Add(message);
                    }
                }

                if (taken.Count > before)
                {
                    group.LastTaken = taken.GetRange(before, taken.Count - before);
                }
                else if (TryMakeAvailable_Locked(group))
                {
                    (signals ??= []).Add(group);
                }
            }

            result = CompleteReceive_Locked(taken, now, visibilityTicks);
            if (attemptId is not null && result.Length > 0)
            {
                fifo.Attempts.Set(attemptId, new ReceiveAttempt(result, now + visibilityTicks), now);
            }
        }

        if (deadLettered is not null)
        {
            foreach (FifoQueueMessage<T> message in deadLettered)
            {
                _deadLetterQueue!.AcceptDeadLetter(message, MessageState.Generation(message.State));
                NoteDeadLettered(message);
                OnRemoved(message);
                Settle(message);
            }
        }

        Signal(signals);
        if (visibilityTicks == 0)
        {
            foreach (FifoQueueMessage<T> message in taken)
            {
                long generation = MessageState.Generation(message.State);
                TryTransition(message, MessageState.Make(MessageState.InFlight, generation), MessageState.Make(MessageState.Ready, generation));
                Settle(message);
            }
        }

        return result;
    }

    private ReceivedMessage<T>[] CompleteReceive_Locked(List<FifoQueueMessage<T>> taken, long now, long visibilityTicks)
    {
        if (taken.Count == 0)
        {
            return [];
        }

        long nowUtc = 0;
        var result = new ReceivedMessage<T>[taken.Count];
        for (int i = 0; i < taken.Count; i++)
        {
            FifoQueueMessage<T> message = taken[i];
            long generation = MessageState.Generation(message.State);
            StartVisibility_Locked(message, generation, now, visibilityTicks, ref nowUtc);
            result[i] = ToReceived(message, generation);
        }

        return result;
    }

    /// <summary>Returns the messages of an earlier receive with the same attempt id, with their visibility restarted,
    /// if every one of them is still in flight under that receive and untouched since.</summary>
    private bool TryRepeatAttempt_Locked(string attemptId, long now, long visibilityTicks, out ReceivedMessage<T>[] messages)
    {
        messages = [];
        if (!_fifo!.Attempts.TryGet(attemptId, now, out ReceiveAttempt attempt))
        {
            return false;
        }

        foreach (ReceivedMessage<T> received in attempt.Messages)
        {
            var message = (QueueMessage<T>)received.ReceiptHandle.Token!;
            if (Volatile.Read(ref message.State) != MessageState.Make(MessageState.InFlight, received.ReceiveCount) || message.VisibleAt != attempt.VisibleAt)
            {
                return false;
            }
        }

        long due = now + Math.Max(visibilityTicks, 1);
        foreach (ReceivedMessage<T> received in attempt.Messages)
        {
            var message = (QueueMessage<T>)received.ReceiptHandle.Token!;
            message.ReceivedAt = now;
            message.VisibleAt = due;
            _timers.Schedule_Locked(new QueueTimerEntry<T>(message, received.ReceiveCount, QueueTimerKind.Visibility, due), due);
        }

        _fifo.Attempts.Set(attemptId, attempt with { VisibleAt = due }, now);
        messages = attempt.Messages;
        return true;
    }

    /// <summary>Re-checks the group of a FIFO message whose state just changed, and hands the group out if it became available.</summary>
    private void Settle(QueueMessage<T> message)
    {
        // The field first: on a standard queue it settles the question without a type test, which code shared by
        // reference-type bodies makes through a runtime lookup.
        if (_fifo is null || message is not FifoQueueMessage<T> fifoMessage)
        {
            return;
        }

        bool available;
        using (_timers.Gate.Enter())
        {
            available = TryMakeAvailable_Locked(fifoMessage.Group);
        }

        if (available)
        {
            _fifo!.Available.Writer.TryWrite(fifoMessage.Group);
        }
    }

    private void Signal(List<FifoGroup<T>>? groups)
    {
        if (groups is null)
        {
            return;
        }

        foreach (FifoGroup<T> group in groups)
        {
            _fifo!.Available.Writer.TryWrite(group);
        }
    }

    /// <summary>Marks the group as queued when it is available and not queued yet; the caller then writes it to the channel.</summary>
    private bool TryMakeAvailable_Locked(FifoGroup<T> group)
    {
        if (group.Queued || group.Removed)
        {
            return false;
        }

        FifoQueueMessage<T>? head = group.Head_Locked();
        if (head is null)
        {
            group.Removed = true;
            _fifo!.Groups.Remove(group.Id);
            return false;
        }

        if (MessageState.Kind(Volatile.Read(ref head.State)) != MessageState.Ready || group.IsBlocked_Locked())
        {
            return false;
        }

        group.Queued = true;
        return true;
    }

    private FifoGroup<T> GetOrAddGroup_Locked(string groupId)
    {
        Dictionary<string, FifoGroup<T>> groups = _fifo!.Groups;
        if (!groups.TryGetValue(groupId, out FifoGroup<T>? group))
        {
            group = new FifoGroup<T>(groupId);
            groups.Add(groupId, group);
        }

        return group;
    }

    private string NextSequenceNumber_Locked()
        => (++_fifo!.LastSequenceNumber).ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>Purges every FIFO group; called under the gate after the purge removed the messages themselves.</summary>
    private void ClearGroups_Locked()
    {
        foreach (FifoGroup<T> group in _fifo!.Groups.Values)
        {
            group.Removed = true;
        }

        _fifo.Groups.Clear();
    }

    private sealed class FifoState
    {
        public Dictionary<string, FifoGroup<T>> Groups { get; } = new(StringComparer.Ordinal);

        public Channel<FifoGroup<T>> Available { get; } = Channel.CreateUnbounded<FifoGroup<T>>(new UnboundedChannelOptions { AllowSynchronousContinuations = false });

        public ExpiringSet<SendResult> Deduplication { get; } = new(FifoRules.Window.Ticks);

        public ExpiringSet<ReceiveAttempt> Attempts { get; } = new(FifoRules.Window.Ticks);

        public long LastSequenceNumber { get; set; }
    }

    private readonly record struct ReceiveAttempt(ReceivedMessage<T>[] Messages, long VisibleAt);
}
