using System.Diagnostics;
using System.Threading.Channels;
using Broker.Diagnostics;
using Broker.Queues;
using Broker.Topics.Filtering;
using Microsoft.Extensions.Logging;

namespace Broker.Topics;

/// <summary>One subscription's delivery path: its backlog, its workers, retries per the delivery policy, and the dead-letter queue.</summary>
/// <remarks>
/// <para>A delegate subscription with one worker and no filter policy reads its topic's feed (<see cref="TopicFeed{T}"/>),
/// which the publisher appends to once for all such subscriptions. Every other subscription has a backlog channel of its own,
/// which the publisher writes to.</para>
/// <para>Endpoints that never run user code and usually finish synchronously (in-memory queues) are delivered inline on the
/// publisher's thread while the backlog is empty; anything else, and any inline attempt that did not finish at once, goes
/// through the backlog. With one worker, messages are delivered in the order they were accepted, and a message being
/// retried holds back the ones behind it; with more workers, deliveries run in parallel and order is not kept.</para>
/// </remarks>
internal sealed class SubscriptionRuntime<T> : SubscriptionRuntime
{
    /// <summary>How many deliveries a worker makes in one entry of the gate before it counts them and leaves, which bounds how
    /// far the counts can lag behind while a deep backlog drains.</summary>
    private const int RunLength = 256;

    private readonly ITopicSubscriber<T> _subscriber;
    private readonly bool _inline;
    private readonly DeliveryPolicy _policy;
    private readonly IMessageQueue<FailedDelivery<T>>? _deadLetterQueue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Delivery>? _backlog;
    private readonly Task[] _workers;
    private readonly Lock _throttleGate = new();
    private readonly string _deadLetterKey;
    private FeedReader<T>? _reader;
    private long _nextSlot;
    private int _queued;

    public SubscriptionRuntime(
        ITopic topic,
        Lock topicGate,
        ITopicSubscriber<T> subscriber,
        bool rawMessageDelivery,
        FilterPolicy? filter,
        SubscriptionOptions options,
        IMessageQueue<FailedDelivery<T>>? deadLetterQueue,
        TimeProvider time,
        ILogger logger)
        : base(topic, topicGate, subscriber.Protocol, subscriber.Endpoint, rawMessageDelivery, filter)
    {
        _logger = logger;
        _subscriber = subscriber;
        _inline = subscriber is IInlineSubscriber && options.DeliveryPolicy?.MaxReceivesPerSecond is null;
        _policy = options.DeliveryPolicy ?? new DeliveryPolicy();
        _deadLetterQueue = deadLetterQueue;
        _deadLetterKey = Id[(Id.LastIndexOf(':') + 1)..]; // The id's unique part; topic names contain no ':' and may be too long for a FIFO id.
        _time = time;
        ReadsFeed = subscriber is DelegateSubscriber<T> && filter is null && options.MaxConcurrency == 1;
        if (!ReadsFeed)
        {
            _backlog = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions
            {
                SingleReader = options.MaxConcurrency == 1,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
            });
        }

        _workers = new Task[options.MaxConcurrency];
    }

    /// <summary>Gets a value indicating whether the subscription reads its topic's feed rather than being offered each message.</summary>
    /// <remarks>Only a subscriber that is always active and takes every message can: a delegate without a filter policy.
    /// One worker, because the feed has one cursor per subscription.</remarks>
    public bool ReadsFeed { get; }

    /// <summary>Joins the feed of the topic's current set: the subscription counts its publishes from now on and, if it reads
    /// feeds, reads this one once it has read those before it. Called under the topic's gate, before the previous set's feed
    /// is sealed.</summary>
    public void JoinFeed_Locked(TopicFeed<T> feed)
    {
        CountIn_Locked(feed);
        if (ReadsFeed)
        {
            if (_reader is null)
            {
                _reader = new FeedReader<T>(feed);
            }
            else
            {
                _reader.Follow_Locked(feed);
            }
        }
    }

    /// <summary>Starts the workers; called once, when the subscription has joined its first set.</summary>
    public void Start()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = RunWorkerAsync();
        }
    }

    /// <summary>Accepts a message for delivery, for a subscription that does not read the feed; never blocks and never throws.</summary>
    /// <param name="message">The message, which the feed of the subscription's set has counted.</param>
    public void Offer(TopicMessage<T> message)
    {
        Debug.Assert(!ReadsFeed, "A subscription that reads the feed gets its messages there.");
        if (!_subscriber.IsActive)
        {
            // Pending confirmation: like SNS, nothing is sent to (or kept for) an endpoint that has not confirmed.
            CountPassedOver();
            return;
        }

        if (_inline && Volatile.Read(ref _queued) == 0)
        {
            if (!TryEnter())
            {
                CountAbandoned();
                return;
            }

            try
            {
                if (AttemptAsync(message, Cancellation.Token) is Task pending)
                {
                    // Still inside the gate, so an unsubscribe waits until the unfinished attempt is in the backlog,
                    // where it is awaited before the unsubscribe returns.
                    Enqueue(new Delivery(message, pending));
                }
                else
                {
                    CountDelivered();
                }
            }
            finally
            {
                Exit();
            }

            return;
        }

        Enqueue(new Delivery(message, null));
    }

    /// <summary>Makes one attempt on the calling thread, inside the gate; returns <see langword="null"/> when that delivered the
    /// message (the caller counts it), or the attempt when it failed or has not finished.</summary>
    private Task? AttemptAsync(TopicMessage<T> message, CancellationToken cancellationToken)
    {
        try
        {
            ValueTask attempt = _subscriber.DeliverAsync(message, cancellationToken);
            if (!attempt.IsCompletedSuccessfully)
            {
                return attempt.AsTask();
            }

#pragma warning disable VSTHRD002, VSTHRD103 // The attempt has completed; this only observes it (and releases its source).
            attempt.GetAwaiter().GetResult();
#pragma warning restore VSTHRD002, VSTHRD103
            return null;
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    public override async Task RemoveAsync()
    {
        // Every delivery inside the gate, inline attempts on publishers' threads included, has left it before the backlog
        // is closed, so nothing started before the unsubscribe can be enqueued after it.
        await MarkRemovedAsync().ConfigureAwait(false);
        _backlog?.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        if (_reader is not null)
        {
            // The topic sealed the feed of every set this subscription was in before removing it, so what is unread is final.
            CountAbandoned(_reader.Abandon());
            return;
        }

        while (_backlog!.Reader.TryRead(out Delivery abandoned))
        {
            if (abandoned.FirstAttempt is { } attempt)
            {
                // An inline attempt can still be finishing (a send granted room as the unsubscribe cancelled it); wait
                // for it, so that nothing reaches the endpoint after the unsubscribe returns.
                await attempt.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (attempt.IsCompletedSuccessfully)
                {
                    CountDelivered();
                    continue;
                }
            }

            CountAbandoned();
        }
    }

    private void Enqueue(Delivery delivery)
    {
        // Only an inline subscription reads the backlog's length (to keep its order), so only it pays for counting it.
        if (_inline)
        {
            Interlocked.Increment(ref _queued);
        }

        if (!_backlog!.Writer.TryWrite(delivery))
        {
            Dequeued();
            CountAbandoned(); // Removed meanwhile.
        }
    }

    private void Dequeued()
    {
        if (_inline)
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private async Task RunWorkerAsync()
    {
        CancellationToken cancellationToken = Cancellation.Token;
        try
        {
            bool spinPays = true;
            while (!IsRemoved && await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                int handled = 0;
                while (TryDeliverAtOnce(cancellationToken, ref handled, out Delivery delivery))
                {
                    handled++;
                    try
                    {
                        await DeliverAsync(delivery, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        Dequeued();
                    }
                }

                // Spin only while it pays: the last spin saw the next message arrive, or more than one message was waiting, so
                // publishers keep pace with this worker. A subscription fed slowly parks at once instead of spinning in vain.
                if (spinPays || handled > 1)
                {
                    spinPays = SpinBrieflyForMore();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unsubscribed: what is left in the backlog is counted as abandoned by RemoveAsync.
        }
    }

    /// <summary>Spins for a moment (none on a one-processor machine) before the worker parks on an empty backlog.</summary>
    /// <remarks>A worker that delivers faster than publishers fill its backlog would otherwise park after almost every message
    /// and be woken for the next, and a wake-up (a thread-pool work item, often a sleeping thread woken) costs more than many
    /// deliveries of a function that finishes at once. The spin is bounded by <see cref="SpinWait.NextSpinWillYield"/>, so it
    /// never gives up the processor and never sleeps.</remarks>
    /// <returns><see langword="true"/> if a message arrived.</returns>
    private bool SpinBrieflyForMore()
    {
        var spinner = default(SpinWait);
        while (!CanTake())
        {
            if (spinner.NextSpinWillYield)
            {
                return false;
            }

            spinner.SpinOnce();
        }

        return true;
    }

    /// <summary>Delivers from the backlog on the worker's thread, inside one entry of the gate and without
    /// <see cref="DeliverAsync"/>'s state machine, for as long as attempts complete at once: for a function that finishes
    /// synchronously, that state machine, the gate and the counts would cost more than the delivery itself.</summary>
    /// <param name="cancellationToken">The subscription's token.</param>
    /// <param name="handled">The worker's count of messages handled since it woke, to which this run adds its deliveries.</param>
    /// <param name="next">The delivery <see cref="DeliverAsync"/> must finish: one that needs its first attempt made there
    /// (the subscription is throttled, or someone listens for delivery spans), or one whose first attempt failed or has not
    /// finished (that attempt holds the gate until it ends).</param>
    /// <returns><see langword="false"/> when the run ended with nothing left for <see cref="DeliverAsync"/>: the backlog is
    /// empty, the run is <see cref="RunLength"/> long, or the subscription was removed.</returns>
    private bool TryDeliverAtOnce(CancellationToken cancellationToken, ref int handled, out Delivery next)
    {
        if (_policy.MaxReceivesPerSecond is not null || BrokerDiagnostics.Source.HasListeners())
        {
            return TryTake(out next);
        }

        next = default;
        if (!TryEnter())
        {
            return false;
        }

        // Nothing below throws: an attempt's exception comes back as its task.
        // Counted in a local, not through the reference, which the loop would otherwise write on every delivery.
        int delivered = 0;
        while (delivered < RunLength && !IsRemoved && TryTake(out Delivery delivery))
        {
            if (delivery.FirstAttempt is not null)
            {
                CountDelivered(delivered);
                handled += delivered;
                Exit();
                next = delivery;
                return true;
            }

            if (AttemptAsync(delivery.Message, cancellationToken) is Task pending)
            {
                // The run is counted before the unfinished attempt takes over its entry of the gate, so that an unsubscribe,
                // which waits for the gate to empty, finds it counted.
                CountDelivered(delivered);
                handled += delivered;
                next = delivery with { FirstAttempt = ExitWhenFinishedAsync(pending) };
                return true;
            }

            delivered++;
            Dequeued();
        }

        CountDelivered(delivered);
        handled += delivered;
        Exit();
        return false;
    }

    private ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
        => _reader?.WaitToReadAsync(cancellationToken) ?? _backlog!.Reader.WaitToReadAsync(cancellationToken);

    private bool CanTake() => _reader?.CanTake() ?? _backlog!.Reader.TryPeek(out _);

    private bool TryTake(out Delivery delivery)
    {
        if (_reader is { } reader)
        {
            bool taken = reader.TryTake(out TopicMessage<T>? message);
            delivery = new Delivery(message!, null);
            return taken;
        }

        return _backlog!.Reader.TryRead(out delivery);
    }

    /// <summary>Keeps an unfinished attempt inside the gate until it ends, as <see cref="DeliverAsync"/> does for its own attempts.</summary>
    private async Task ExitWhenFinishedAsync(Task attempt)
    {
        try
        {
#pragma warning disable VSTHRD003 // The subscriber's attempt, started by this worker off any synchronization context.
            await attempt.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Delivers one message with retries, then dead-letters it if every attempt failed. Never throws.</summary>
    private async Task DeliverAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        TopicMessage<T> message = delivery.Message;
        int attempts = 0;
        string reason = string.Empty;
        TimeSpan? retryAfter = null;
        try
        {
            if (delivery.FirstAttempt is { } first)
            {
                attempts = 1;
                try
                {
                    await first.ConfigureAwait(false);
                    CountDelivered();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    CountFailedAttempt();
                    bool retryable = Classify(e, out reason, out retryAfter);
                    BrokerLog.DeliveryFailed(_logger, message.MessageId, Id, attempts, reason);
                    if (!retryable)
                    {
                        await DeadLetterAsync(message, reason, attempts, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }
            }

            while (true)
            {
                if (attempts > 0)
                {
                    if (attempts > _policy.NumRetries)
                    {
                        await DeadLetterAsync(message, reason, attempts, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    TimeSpan delay = retryAfter ?? _policy.GetDelay(attempts);
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                await ThrottleAsync(cancellationToken).ConfigureAwait(false);
                if (!TryEnter())
                {
                    CountAbandoned();
                    return;
                }

                try
                {
                    attempts++;
                    using (BrokerDiagnostics.StartActivity("deliver", Topic.Name, ActivityKind.Producer, message.TraceParent))
                    {
                        await _subscriber.DeliverAsync(message, cancellationToken).ConfigureAwait(false);
                    }

                    CountDelivered();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    CountFailedAttempt();
                    bool retryable = Classify(e, out reason, out retryAfter);
                    BrokerLog.DeliveryFailed(_logger, message.MessageId, Id, attempts, reason);
                    if (!retryable)
                    {
                        await DeadLetterAsync(message, reason, attempts, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }
                finally
                {
                    Exit();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CountAbandoned();
        }
    }

    /// <returns><see langword="true"/> if the failure may be retried.</returns>
    private static bool Classify(Exception exception, out string reason, out TimeSpan? retryAfter)
    {
        if (exception is SubscriberDeliveryException delivery)
        {
            reason = delivery.Message;
            retryAfter = delivery.RetryAfter;
            return delivery.IsRetryable;
        }

        reason = $"{exception.GetType().Name}: {exception.Message}";
        retryAfter = null;
        return true;
    }

    private async Task DeadLetterAsync(TopicMessage<T> message, string reason, int attempts, CancellationToken cancellationToken)
    {
        if (_deadLetterQueue is null)
        {
            CountDropped();
            BrokerLog.DeliveryDropped(_logger, message.MessageId, Id, attempts, reason);
            return;
        }

        try
        {
            var failed = new FailedDelivery<T>(message, Id, Protocol, Endpoint, reason, attempts, _time.GetUtcNow());
            await _deadLetterQueue.SendAsync(failed, DeadLetterSendOptions(message), cancellationToken).ConfigureAwait(false);
            CountDeadLettered();
            BrokerLog.DeliveryDeadLettered(_logger, message.MessageId, Id, attempts, reason);
        }
        catch (Exception e) when (e is BrokerException or ArgumentException)
        {
            CountDropped(); // The dead-letter queue was deleted or refused the message; nothing else can hold it.
            BrokerLog.DeliveryDropped(_logger, message.MessageId, Id, attempts, $"{reason}; the dead-letter queue refused it: {e.Message}");
        }
    }

    /// <summary>A FIFO topic's dead letters keep their group; the de-duplication id is the message's id and this subscription's,
    /// so subscriptions sharing a dead-letter queue do not suppress each other's copies.</summary>
    private SendOptions? DeadLetterSendOptions(TopicMessage<T> message)
        => message.MessageGroupId is null
            ? null
            : new SendOptions { MessageGroupId = message.MessageGroupId, DeduplicationId = string.Concat(message.MessageId.ToString(), ":", _deadLetterKey) };

    private Task ThrottleAsync(CancellationToken cancellationToken)
    {
        if (_policy.MaxReceivesPerSecond is not int rate)
        {
            return Task.CompletedTask;
        }

        long now = _time.GetTimestamp();
        long slot;
        lock (_throttleGate)
        {
            slot = Math.Max(now, _nextSlot);
            _nextSlot = slot + Math.Max(1, _time.TimestampFrequency / rate);
        }

        TimeSpan wait = _time.GetElapsedTime(now, slot);
        return wait > TimeSpan.Zero ? Task.Delay(wait, _time, cancellationToken) : Task.CompletedTask;
    }

    private readonly record struct Delivery(TopicMessage<T> Message, Task? FirstAttempt);
}
