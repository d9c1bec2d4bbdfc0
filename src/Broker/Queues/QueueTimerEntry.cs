namespace Broker.Queues;

/// <summary>What a queue's timer entry is for.</summary>
internal enum QueueTimerKind : byte
{
    /// <summary>The end of a delivery delay.</summary>
    Delay,

    /// <summary>The end of a receive's visibility timeout.</summary>
    Visibility,

    /// <summary>The end of the retention period.</summary>
    Retention,
}

/// <summary>An entry in a queue's <see cref="Scheduling.TimerQueue{TEntry}"/>.</summary>
/// <remarks><see cref="Due"/> is what a visibility entry is checked against; a retention entry leaves it 0, since the
/// timer queue works out its due time when it takes it in.</remarks>
internal readonly record struct QueueTimerEntry<T>(QueueMessage<T> Message, long Generation, QueueTimerKind Kind, long Due);
