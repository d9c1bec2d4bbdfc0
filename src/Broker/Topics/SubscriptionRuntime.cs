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
    private int _active;
    private int _removed;
    private long _delivered;
    private long _failedAttempts;
    private long _deadLettered;
    private long _dropped;
    private long _pending;

    protected SubscriptionRuntime(ITopic topic, string protocol, string endpoint, bool rawMessageDelivery, FilterPolicy? filter)
    {
        Topic = topic;
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

    public long Pending => Volatile.Read(ref _pending);

    protected CancellationTokenSource Cancellation { get; } = new();

    public abstract Task RemoveAsync();

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

    protected void CountAccepted() => Interlocked.Increment(ref _pending);

    protected void CountDelivered()
    {
        Interlocked.Increment(ref _delivered);
        Interlocked.Decrement(ref _pending);
        BrokerDiagnostics.Delivered(Topic.Name, Protocol);
    }

    /// <summary>Counts a run of deliveries at once: a worker draining its backlog pays two atomic operations per run
    /// instead of two per message.</summary>
    protected void CountDelivered(int count)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _delivered, count);
        Interlocked.Add(ref _pending, -count);
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
        Interlocked.Decrement(ref _pending);
        BrokerDiagnostics.SubscriptionDeadLettered(Topic.Name, Protocol);
    }

    protected void CountDropped()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Decrement(ref _pending);
    }

    protected void CountAbandoned() => Interlocked.Decrement(ref _pending);
}
