using System.Text.Json;
using Broker.Diagnostics;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics.Filtering;

namespace Broker.Topics;

/// <summary>The in-memory topic.</summary>
/// <remarks>
/// Subscriptions live in a copy-on-write set: a publish reads it once, appends the message to the set's feed (which counts
/// it for every subscription of the set and holds it for those that read the feed) and offers it to every other matching
/// subscription, holding no lock but the feed's brief one, except on a FIFO topic, where one gate orders sequence numbers,
/// de-duplication and the offers themselves so every subscription sees each group in publish order. Offering never blocks.
/// </remarks>
internal sealed partial class InMemoryTopic<T> : ITopic<T>, IInMemoryTopic
{
    private readonly MessageBroker _broker;
    private readonly TopicOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonSerializerOptions _jsonOptions;
    private readonly Lock _gate = new();
    private readonly FifoPublishing? _fifo;
    private SubscriptionSet _subscriptions = new([]);
    private bool _deleted;

    public InMemoryTopic(string name, TopicOptions options, MessageBroker broker)
    {
        Name = name;
        _options = options;
        _broker = broker;
        _time = broker.TimeProvider;
        _jsonOptions = broker.JsonSerializerOptions;
        if (QueueNames.IsFifo(name))
        {
            _fifo = new FifoPublishing();
        }
    }

    public string Name { get; }

    public Type BodyType => typeof(T);

    public TopicOptions Options => _options;

    public IReadOnlyList<Subscription> ListSubscriptions()
    {
        SubscriptionRuntime<T>[] current = Volatile.Read(ref _subscriptions).Items;
        var result = new Subscription[current.Length];
        for (int i = 0; i < current.Length; i++)
        {
            result[i] = current[i].Handle;
        }

        return result;
    }

    public Subscription Subscribe(IMessageQueue<T> queue, Action<SubscriptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ThrowIfQueueKindMismatch(queue);
        return Add(new QueueSubscriber<T, T>(queue, static message => message.Body), rawMessageDelivery: true, configure);
    }

    public Subscription Subscribe(IMessageQueue<TopicMessage<T>> queue, Action<SubscriptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ThrowIfQueueKindMismatch(queue);
        return Add(new QueueSubscriber<T, TopicMessage<T>>(queue, static message => message), rawMessageDelivery: false, configure);
    }

    public Subscription Subscribe(Func<TopicMessage<T>, CancellationToken, ValueTask> handler, Action<SubscriptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new DelegateSubscriber<T>(handler), rawMessageDelivery: false, configure);
    }

    public Subscription Subscribe(ITopicSubscriber<T> subscriber, Action<SubscriptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return Add(subscriber, subscriber.RawMessageDelivery, configure);
    }

    public async ValueTask<bool> UnsubscribeAsync(string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        SubscriptionRuntime<T>? removed = null;
        lock (_gate)
        {
            SubscriptionRuntime<T>[] current = _subscriptions.Items;
            int index = Array.FindIndex(current, s => s.Id == subscriptionId);
            if (index >= 0)
            {
                removed = current[index];
                Replace_Locked([.. current.AsSpan(0, index), .. current.AsSpan(index + 1)]);
            }
        }

        if (removed is null)
        {
            return false;
        }

        await removed.RemoveAsync().ConfigureAwait(false);
        BrokerLog.Unsubscribed(_broker.Logger, subscriptionId, Name);
        return true;
    }

    public Task DeleteAsync()
    {
        SubscriptionRuntime<T>[] removed;
        lock (_gate)
        {
            _deleted = true;
            removed = _subscriptions.Items;
            Replace_Locked([]);
        }

        return Task.WhenAll(Array.ConvertAll(removed, static s => s.RemoveAsync()));
    }

    /// <summary>Gets whether bodies are read as JSON text or bytes as they are, rather than serialized (see ParseBody).</summary>
    private static bool IsJsonOrBytes => typeof(T) == typeof(string) || typeof(T) == typeof(byte[]) || typeof(T) == typeof(ReadOnlyMemory<byte>);

    private Subscription Add(ITopicSubscriber<T> subscriber, bool rawMessageDelivery, Action<SubscriptionOptions>? configure)
    {
        var options = new SubscriptionOptions();
        configure?.Invoke(options);
        options = options.Clone();
        var errors = new List<string>();
        if (options.MaxConcurrency is < 1 or > TopicLimits.MaxConcurrency)
        {
            errors.Add($"{nameof(SubscriptionOptions.MaxConcurrency)} is {options.MaxConcurrency}; it must be between 1 and {TopicLimits.MaxConcurrency}.");
        }

        if (options.DeliveryPolicy is { } policy)
        {
            errors.AddRange(policy.Validate());
        }

        FilterPolicy? filter = null;
        if (options.FilterPolicy is not null)
        {
            try
            {
                filter = FilterPolicy.Parse(options.FilterPolicy, options.FilterPolicyScope);
            }
            catch (ArgumentException e)
            {
                errors.Add($"{nameof(SubscriptionOptions.FilterPolicy)}: {e.Message}");
            }

            // Checked here rather than on publish, where a missing contract would fail the fan-out half-way.
            if (filter is { Scope: FilterPolicyScope.MessageBody } && !IsJsonOrBytes && !_jsonOptions.TryGetTypeInfo(typeof(T), out _))
            {
                errors.Add($"{nameof(SubscriptionOptions.FilterPolicyScope)} is {nameof(FilterPolicyScope.MessageBody)}, but the broker's JSON settings have no contract for {typeof(T).Name}: " +
                    $"give {nameof(BrokerOptions)}.{nameof(BrokerOptions.JsonSerializerOptions)} a source-generated context that includes it.");
            }
        }

        if (options.DeadLetterQueueName is { } deadLetterName && QueueNames.IsFifo(deadLetterName) != (_fifo is not null))
        {
            // As in SNS: a FIFO topic dead-letters into a FIFO queue (keeping each group's order), a standard topic into a standard one.
            errors.Add(_fifo is not null
                ? $"{nameof(SubscriptionOptions.DeadLetterQueueName)}: a subscription to the FIFO topic '{Name}' needs a FIFO dead-letter queue; '{deadLetterName}' is a standard queue."
                : $"{nameof(SubscriptionOptions.DeadLetterQueueName)}: a subscription to the standard topic '{Name}' needs a standard dead-letter queue; '{deadLetterName}' is a FIFO queue.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid subscription options: " + string.Join(" ", errors), nameof(configure));
        }

        IMessageQueue<FailedDelivery<T>>? deadLetterQueue = options.DeadLetterQueueName is { } name
            ? _broker.GetQueue<FailedDelivery<T>>(name)
            : null;

        // Built and introduced to its subscriber outside the gate (the subscriber is another package's code); its workers start
        // only once it is added, so a subscriber that throws or a topic deleted meanwhile leaves nothing running.
        var runtime = new SubscriptionRuntime<T>(this, _gate, subscriber, rawMessageDelivery, filter, options, deadLetterQueue, _time, _broker.Logger);
        subscriber.OnSubscribed(new SubscriberContext(runtime.Handle, _time, _jsonOptions));
        lock (_gate)
        {
            ThrowIfDeleted();
            Replace_Locked([.. _subscriptions.Items, runtime]);
            runtime.Start();
            BrokerLog.Subscribed(_broker.Logger, runtime.Id, runtime.Protocol, runtime.Endpoint, Name);
            return runtime.Handle;
        }
    }

    /// <summary>Puts a new set of subscriptions in place and seals the old one's feed: every subscription of the old set
    /// keeps what it counted, and every subscription of the new set counts on in the new feed.</summary>
    private void Replace_Locked(SubscriptionRuntime<T>[] items)
    {
        SubscriptionSet old = _subscriptions;
        var next = new SubscriptionSet(items);
        Volatile.Write(ref _subscriptions, next);

        // Joined before the old feed is sealed: a reader that comes to the end of the sealed feed finds the next one queued.
        foreach (SubscriptionRuntime<T> subscription in items)
        {
            subscription.JoinFeed_Locked(next.Feed);
        }

        long sealedCount = old.Feed.Seal();
        foreach (SubscriptionRuntime<T> subscription in old.Items)
        {
            subscription.LeaveFeed_Locked(old.Feed, sealedCount);
        }
    }

    private void ThrowIfQueueKindMismatch(IMessageQueue queue)
    {
        bool fifoQueue = QueueNames.IsFifo(queue.Name);
        if (fifoQueue != (_fifo is not null))
        {
            throw new ArgumentException(
                _fifo is not null
                    ? $"The FIFO topic '{Name}' delivers only to FIFO queues; '{queue.Name}' is a standard queue."
                    : $"The FIFO queue '{queue.Name}' can only subscribe to a FIFO topic; '{Name}' is a standard topic.",
                nameof(queue));
        }
    }

    private void ThrowIfDeleted()
    {
        if (_deleted)
        {
            throw new BrokerException(BrokerErrorCode.TopicDoesNotExist, $"The topic '{Name}' has been deleted.");
        }
    }

    private sealed class FifoPublishing
    {
        public Lock Gate { get; } = new();

        public ExpiringSet<PublishResult> Deduplication { get; } = new(FifoRules.Window.Ticks);

        public long LastSequenceNumber { get; set; }
    }

    /// <summary>The subscriptions at one moment, with the feed of the publishes made to them.</summary>
    private sealed class SubscriptionSet
    {
        public SubscriptionSet(SubscriptionRuntime<T>[] items)
        {
            Items = items;
            Offered = Array.FindAll(items, static s => !s.ReadsFeed);
            Feed = new TopicFeed<T>(items.Length - Offered.Length);
        }

        public SubscriptionRuntime<T>[] Items { get; }

        /// <summary>Gets the subscriptions that do not read the feed, to which a publish offers its message.</summary>
        public SubscriptionRuntime<T>[] Offered { get; }

        public TopicFeed<T> Feed { get; }
    }
}
