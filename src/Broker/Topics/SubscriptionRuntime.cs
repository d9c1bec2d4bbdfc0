using Broker.Diagnostics;
using Broker.Topics.Filtering;

namespace Broker.Topics;

/// <summary>The state every subscription has whatever its body type: identity, counts, and the gate that lets
/// unsubscribing wait until no delivery runs.</summary>
/// <remarks>
/// A delivery enters the gate before it touches the endpoint and leaves it after. Removal sets a flag and then waits for
/// the gate to empty. Entering increments before it reads the flag and removal sets the flag before it reads the count,
/// both with full fences, so either the delivery sees the removal and backs out, or the removal sees the delivery and waits.
/// </remarks>
internal abstract class SubscriptionRuntime
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Guards <see cref="_feed"/> and <see cref="_acceptedBefore"/>: the topic's own gate, under which it also changes
    /// its subscriptions and moves their counts from one set's feed to the next.</summary>
    private readonly Lock _topicGate;
    private int _active;
    private int _removed;
    private long _delivered;
    private long _failedAttempts;
    private long _deadLettered;
    private long _dropped;
    private long _finished;
    private long _passedOver;
    private TopicFeed? _feed;
    private long _acceptedBefore;

    protected SubscriptionRuntime(ITopic topic, Lock topicGate, string protocol, string endpoint, bool rawMessageDelivery, FilterPolicy? filter)
    {
        Topic = topic;
        _topicGate = topicGate;
        Protocol = protocol;
        Endpoint = endpoint;
        RawMessageDelivery = rawMessageDelivery;
        Filter = filter;
        Id = $"{topic.Name}:{Guid.NewGuid():N}";
        Handle = new Subscription(this);
    }

    public Subscription Handle { get; }

    public string Id { get; }

    public ITopic Topic { get; }

    public string Protocol { get; }

    public string Endpoint { get; }

    public bool RawMessageDelivery { get; }

    public FilterPolicy? Filter { get; }

    public bool IsRemoved => Volatile.Read(ref _removed) != 0;

    public long Delivered => Volatile.Read(ref _delivered);

    public long FailedAttempts => Volatile.Read(ref _failedAttempts);

    public long DeadLettered => Volatile.Read(ref _deadLettered);

    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Gets the messages accepted and not yet delivered, dead-lettered, dropped or abandoned.</summary>
    public long Pending
    {
        get
        {
            lock (_topicGate)
            {
                long accepted = _acceptedBefore + (_feed?.Count ?? 0) - Volatile.Read(ref _passedOver);
                return accepted - Volatile.Read(ref _finished);
            }
        }
    }

    protected CancellationTokenSource Cancellation { get; } = new();

    public abstract Task RemoveAsync();

    /// <summary>Leaves the feed of the set the topic replaced, keeping what it counted; called under the topic's gate.</summary>
    /// <param name="feed">That feed.</param>
    /// <param name="sealedCount">What sealing it returned.</param>
    public void LeaveFeed_Locked(TopicFeed feed, long sealedCount)
    {
        _acceptedBefore += sealedCount;
        if (ReferenceEquals(_feed, feed))
        {
            _feed = null; // Not in the new set; one that is has joined its feed already.
        }
    }

    /// <summary>Counts the publishes of the topic's current set from now on; called under the topic's gate.</summary>
    protected void CountIn_Locked(TopicFeed feed) => _feed = feed;

    protected bool TryEnter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _removed) != 0)
        {
            Exit();
            return false;
        }

        return true;
    }

    protected void Exit()
    {
        if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _removed) != 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Stops new deliveries, cancels running ones, and completes when they have left the gate.</summary>
    protected async Task MarkRemovedAsync()
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0)
        {
            await Cancellation.CancelAsync().ConfigureAwait(false);
            if (Volatile.Read(ref _active) == 0)
            {
                _drained.TrySetResult();
            }
        }

#pragma warning disable VSTHRD003 // Completed by the last delivery to leave the gate, with asynchronous continuations.
        await _drained.Task.ConfigureAwait(false);
#pragma warning restore VSTHRD003
    }

    /// <summary>Counts a publish that its set's feed counted but that this subscription did not accept (its filter policy
    /// did not match, or its endpoint is not confirmed).</summary>
    public void CountPassedOver() => Interlocked.Increment(ref _passedOver);

    /// <summary>Counts deliveries; a worker draining its backlog counts a whole run at once, paying two atomic operations per
    /// run instead of two per message.</summary>
    protected void CountDelivered(int count = 1)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _delivered, count);
        Interlocked.Add(ref _finished, count);
        BrokerDiagnostics.Delivered(Topic.Name, Protocol, count);
    }

    protected void CountFailedAttempt()
    {
        Interlocked.Increment(ref _failedAttempts);
        BrokerDiagnostics.DeliveryFailed(Topic.Name, Protocol);
    }

    protected void CountDeadLettered()
    {
        Interlocked.Increment(ref _deadLettered);
        Interlocked.Increment(ref _finished);
        BrokerDiagnostics.SubscriptionDeadLettered(Topic.Name, Protocol);
    }

    protected void CountDropped()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref _finished);
    }

    protected void CountAbandoned(long count = 1) => Interlocked.Add(ref _finished, count);
}
