using Broker.Diagnostics;

namespace Broker.Queues;

internal sealed partial class InMemoryQueue<T>
{
    /// <summary>Counts a stored message when its retention entry, the one entry scheduled in order, is appended.</summary>
    /// <remarks>The entry is scheduled once, when the message is stored and before it is in the channel or its group, so the
    /// message is still in the state it was stored in.</remarks>
    public void OnInOrderSchedule_Locked(in QueueTimerEntry<T> entry) => _counts.Add_Locked(MessageState.Kind(Volatile.Read(ref entry.Message.State)));

    public bool IsLive(in QueueTimerEntry<T> entry)
    {
        QueueMessage<T> message = entry.Message;
        long state = Volatile.Read(ref message.State);
        return entry.Kind switch
        {
            QueueTimerKind.Delay => MessageState.Kind(state) == MessageState.Delayed,
            QueueTimerKind.Visibility => state == MessageState.Make(MessageState.InFlight, entry.Generation) && message.VisibleAt == entry.Due,
            _ => MessageState.Kind(state) != MessageState.Deleted,
        };
    }

    public bool Fire_Locked(in QueueTimerEntry<T> entry)
    {
        QueueMessage<T> message = entry.Message;
        long state = Volatile.Read(ref message.State);
        long generation = MessageState.Generation(state);
        return entry.Kind switch
        {
            QueueTimerKind.Delay => MessageState.Kind(state) == MessageState.Delayed
                && TryTransition(message, state, MessageState.Make(MessageState.Ready, generation)),
            QueueTimerKind.Visibility => TryTransition(
                message,
                MessageState.Make(MessageState.InFlight, entry.Generation),
                MessageState.Make(MessageState.Ready, entry.Generation)),
            _ => TryRemove(message),
        };
    }

    public void AfterFire(List<QueueTimerEntry<T>> fired)
    {
        foreach (QueueTimerEntry<T> entry in fired)
        {
            if (entry.Kind == QueueTimerKind.Retention)
            {
                OnRemoved(entry.Message);
                Settle(entry.Message);
                BrokerDiagnostics.Expired(Name);
            }
            else
            {
                MakeVisible(entry.Message);
                if (entry.Kind == QueueTimerKind.Visibility)
                {
                    BrokerDiagnostics.Redelivered(Name);
                }
            }
        }
    }

    /// <summary>Hands out a message that just became ready: into the channel of a standard queue, or by re-checking its FIFO group.</summary>
    private void MakeVisible(QueueMessage<T> message)
    {
        if (_fifo is null)
        {
            _ready.Writer.TryWrite(message);
        }
        else
        {
            Settle(message);
        }
    }

    public ValueTask<long> PurgeAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        ThrowIfClosed();
        var purged = new List<QueueMessage<T>>();
        using (_timers.Gate.Enter())
        {
            // Every stored message has a retention entry, so the timer queue reaches all of them, in flight and delayed included.
            _timers.Drain_Locked(
                static (entry, state) =>
                {
                    if (entry.Kind == QueueTimerKind.Retention && state.Queue.TryRemove(entry.Message))
                    {
                        state.Purged.Add(entry.Message);
                    }
                },
                (Queue: this, Purged: purged));
            if (_fifo is not null)
            {
                ClearGroups_Locked();
            }
        }

        foreach (QueueMessage<T> message in purged)
        {
            OnRemoved(message);
        }

        // Give back the channel's memory now; messages sent while the purge ran are still live and go back in.
        var survivors = new List<QueueMessage<T>>();
        while (_ready.Reader.TryRead(out QueueMessage<T>? message))
        {
            if (MessageState.Kind(Volatile.Read(ref message.State)) == MessageState.Ready)
            {
                survivors.Add(message);
            }
        }

        foreach (QueueMessage<T> message in survivors)
        {
            _ready.Writer.TryWrite(message);
        }

        BrokerDiagnostics.Purged(Name, purged.Count);
        BrokerLog.QueuePurged(_logger, Name, purged.Count);

        return new ValueTask<long>(purged.Count);
    }
}
