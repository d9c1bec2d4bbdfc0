using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Threading.Channels;
using Broker.Diagnostics;
using Broker.Messages;
using Broker.Scheduling;
using Microsoft.Extensions.Logging;

namespace Broker.Queues;

/// <summary>The in-memory standard queue.</summary>
/// <remarks>
/// Visible messages flow through an unbounded <see cref="Channel{T}"/>; a message's state and receive generation live
/// with the message and change by compare-and-swap (<see cref="MessageState"/>); delays, visibility timeouts and
/// retention share one <see cref="TimerQueue{TEntry}"/>. A message is in the channel at most once, while it is ready;
/// entries of messages that were deleted meanwhile are skipped by receivers.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "Close() stops the timer; the semaphore and token source own no unmanaged resources unless a wait handle is asked for, which never happens.")]
internal sealed partial class InMemoryQueue<T> : IMessageQueue<T>, IInMemoryQueue, ITimerEntryHandler<QueueTimerEntry<T>>, IQueueGaugeSource
{
    private readonly QueueOptions _options;
    private readonly JsonSerializerOptions _jsonOptions;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly QueueClock _clock;
    private readonly Channel<QueueMessage<T>> _ready;
    private readonly TimerQueue<QueueTimerEntry<T>> _timers;
    private readonly InMemoryQueue<T>? _deadLetterQueue;
    private readonly int _maxReceiveCount;
    private readonly long _visibilityTicks;
    private readonly long _retentionTicks;
    private readonly long _delayTicks;
    private readonly SemaphoreSlim? _capacity;
    private readonly CancellationTokenSource _closing = new();
    private readonly DateTimeOffset _created;
    private readonly Lock _deadLetterSourcesGate = new();
    private readonly List<string> _deadLetterSources = [];

    private readonly MessageStateCounts _counts = new();

    /// <summary>How many stored messages were taken in past the capacity (dead-lettered into a full queue) without a permit.</summary>
    private long _overCapacity;
    private volatile bool _closed;

    /// <summary>A long poll's timeout source that ended without firing, kept for the next long poll.</summary>
    private CancellationTokenSource? _spareTimeout;

    public InMemoryQueue(string name, QueueOptions options, TimeProvider time, JsonSerializerOptions jsonOptions, ILogger logger, InMemoryQueue<T>? deadLetterQueue)
    {
        Name = name;
        _jsonOptions = jsonOptions;
        _logger = logger;
        if (QueueNames.IsFifo(name))
        {
            _fifo = new FifoState();
        }

        _options = options;
        _time = time;
        _deadLetterQueue = deadLetterQueue;
        _maxReceiveCount = options.RedrivePolicy?.MaxReceiveCount ?? int.MaxValue;
        _visibilityTicks = options.VisibilityTimeout.Ticks;
        _retentionTicks = options.MessageRetentionPeriod.Ticks;
        _delayTicks = options.DeliveryDelay.Ticks;
        _created = time.GetUtcNow();
        _ready = Channel.CreateUnbounded<QueueMessage<T>>(new UnboundedChannelOptions
        {
            SingleReader = false,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _clock = new QueueClock(time);
        _timers = new TimerQueue<QueueTimerEntry<T>>(_clock, this);
        if (options.Capacity is int capacity)
        {
            _capacity = new SemaphoreSlim(capacity, capacity);
        }

        BrokerDiagnostics.Register(this);
    }

    public string Name { get; }

    public Type BodyType => typeof(T);

    public QueueOptions Options => _options;

    public bool IsDeadLetterTarget
    {
        get
        {
            lock (_deadLetterSourcesGate)
            {
                return _deadLetterSources.Count > 0;
            }
        }
    }

    /// <summary>Gets the number of stored messages: each has one retention entry.</summary>
    public long InOrderLiveEntryBound => _counts.RawCount(MessageState.Ready) + _counts.RawCount(MessageState.InFlight) + _counts.RawCount(MessageState.Delayed);

    /// <summary>Gets the number of messages in flight or delayed: each has one live visibility or delay entry; the entries of
    /// earlier receives and visibility changes are stale, and so are those of deleted messages, which a backlog of ready
    /// messages would otherwise keep alive.</summary>
    public long HeapLiveEntryBound => _counts.RawCount(MessageState.InFlight) + _counts.RawCount(MessageState.Delayed);

    internal TimeProvider TimeProvider => _time;

    /// <summary>Gets the number of timer entries held, stale ones included; for tests of compaction.</summary>
    internal int TimerEntryCount => _timers.Count;

    public ValueTask<QueueAttributes> GetAttributesAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<QueueAttributes>(cancellationToken);
        }

        ThrowIfClosed();
        return new ValueTask<QueueAttributes>(new QueueAttributes(
            Name,
            _options.Clone(),
            _created,
            _counts.Count(MessageState.Ready),
            _counts.Count(MessageState.InFlight),
            _counts.Count(MessageState.Delayed),
            AgeOfOldestMessage));
    }

    public (long Visible, long InFlight, long Delayed) Counts
        => (_counts.Count(MessageState.Ready), _counts.Count(MessageState.InFlight), _counts.Count(MessageState.Delayed));

    /// <summary>Gets the age of the oldest stored message, found through its retention entry, whose due time is its send time plus the retention period.</summary>
    public TimeSpan AgeOfOldestMessage
    {
        get
        {
            long? due = _timers.MinDue(static (entry, queue) => entry.Kind == QueueTimerKind.Retention && queue.IsLive(entry), this);
            return due is long oldestDue ? TimeSpan.FromTicks(Math.Max(0, _timers.Now - (oldestDue - _retentionTicks))) : TimeSpan.Zero;
        }
    }

    public void AddDeadLetterSource(string sourceQueueName)
    {
        lock (_deadLetterSourcesGate)
        {
            _deadLetterSources.Add(sourceQueueName);
        }
    }

    public void RemoveDeadLetterSource(string sourceQueueName)
    {
        lock (_deadLetterSourcesGate)
        {
            _deadLetterSources.Remove(sourceQueueName);
        }
    }

    public void Close()
    {
        _closed = true;
        BrokerDiagnostics.Unregister(this);
        _closing.Cancel();
        _ready.Writer.TryComplete();
        _fifo?.Available.Writer.TryComplete();
        _timers.Dispose();
        _activeMove?.Cancel();
    }

    /// <summary>Changes a message's state if it is still <paramref name="expected"/>, keeping the counts in step.</summary>
    /// <remarks>Every state change but a receive's goes through here (a receive is counted under the gate, see
    /// <see cref="TryReceiveTransition"/>), so the counts are exact once concurrent operations settle.</remarks>
    private bool TryTransition(QueueMessage<T> message, long expected, long next)
    {
        if (Interlocked.CompareExchange(ref message.State, next, expected) != expected)
        {
            return false;
        }

        _counts.Move(MessageState.Kind(expected), MessageState.Kind(next));
        return true;
    }

    /// <summary>Moves a message to <see cref="MessageState.Deleted"/> from whatever state it is in.</summary>
    /// <returns><see langword="true"/> if this call deleted it.</returns>
    private bool TryRemove(QueueMessage<T> message)
    {
        while (true)
        {
            long state = Volatile.Read(ref message.State);
            if (MessageState.Kind(state) == MessageState.Deleted)
            {
                return false;
            }

            if (TryTransition(message, state, MessageState.Make(MessageState.Deleted, MessageState.Generation(state))))
            {
                return true;
            }
        }
    }

    /// <summary>Releases what a deleted message held. Called once, by whoever deleted it, outside any gate.</summary>
    private void OnRemoved(QueueMessage<T> message)
    {
        // Most messages hold no permit and were never indexed. A plain read suffices for them: a handle being formatted
        // meanwhile sets the index flag after this removal's state change and then sees the message deleted and unindexes it.
        if (Volatile.Read(ref message.Flags) == 0)
        {
            return;
        }

        int flags = Interlocked.And(ref message.Flags, ~QueueMessage<T>.FlagHoldsPermit);
        if ((flags & QueueMessage<T>.FlagHoldsPermit) != 0)
        {
            ReleaseCapacity();
        }

        if ((flags & QueueMessage<T>.FlagIndexed) != 0)
        {
            _handleIndex?.TryRemove(message.Id.Sequence, out _);
        }
    }

    /// <summary>Gives back the unit of capacity a removed message held.</summary>
    /// <remarks>While the queue holds more messages than its capacity, removals first pay off that excess, so sends
    /// stay refused until the queue is back under its capacity. A removal racing with a dead-letter arrival can let
    /// one send through early; the excess is paid off by the next removal, so the count never drifts.</remarks>
    private void ReleaseCapacity()
    {
        long over = Volatile.Read(ref _overCapacity);
        while (over > 0)
        {
            long seen = Interlocked.CompareExchange(ref _overCapacity, over - 1, over);
            if (seen == over)
            {
                return;
            }

            over = seen;
        }

        _capacity!.Release();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            ThrowClosed();
        }
    }

    [DoesNotReturn]
    private void ThrowClosed()
        => throw new BrokerException(BrokerErrorCode.QueueDoesNotExist, $"The queue '{Name}' has been deleted.");
}
