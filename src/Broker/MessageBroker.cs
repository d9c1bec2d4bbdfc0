using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Broker.Diagnostics;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker;

/// <summary>The registry of a process's queues and topics: creates, finds, lists and deletes them by name.</summary>
/// <remarks>
/// All members are thread-safe. Time comes from the <see cref="System.TimeProvider"/> given to the constructor, so tests can
/// drive visibility timeouts, delays and retention with a manual clock. Disposing the broker deletes every queue.
/// </remarks>
public sealed class MessageBroker : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IInMemoryQueue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IInMemoryTopic> _topics = new(StringComparer.Ordinal);
    private bool _disposed;

    private static readonly JsonSerializerOptions s_noReflectionJsonSerializerOptions = CreateNoReflectionOptions();

    /// <summary>Initializes a new instance of the <see cref="MessageBroker"/> class.</summary>
    /// <param name="timeProvider">The clock for timeouts, delays, retention and timestamps; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public MessageBroker(TimeProvider? timeProvider = null)
        : this(new BrokerOptions { TimeProvider = timeProvider })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MessageBroker"/> class with shared settings.</summary>
    /// <param name="options">The clock and JSON settings for every queue and topic.</param>
    public MessageBroker(BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        JsonSerializerOptions = Freeze(options.JsonSerializerOptions ?? DefaultJsonSerializerOptions);
        Logger = options.LoggerFactory?.CreateLogger(BrokerTelemetry.MeterName) ?? NullLogger.Instance;
    }

    /// <summary>Gets the clock the broker's queues use.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the JSON settings used where a body must become bytes: those given, or a read-only copy of them if they were still mutable.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; }

    internal ILogger Logger { get; }

    /// <summary>Creates a queue, or returns the existing one if a queue of that name, body type and settings exists.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The name: 1 to 80 letters, digits, '-' and '_'; case-sensitive.</param>
    /// <param name="configure">Sets the queue's options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="ArgumentException">The name or an option is invalid; the message lists every problem.</exception>
    /// <exception cref="BrokerException">A queue of that name exists with other settings or another body type
    /// (<see cref="BrokerErrorCode.QueueNameExists"/>), or the dead-letter queue does not exist or holds another body type.</exception>
    public IMessageQueue<T> CreateQueue<T>(string name, Action<QueueOptions>? configure = null)
    {
        QueueNames.ThrowIfInvalid(name, nameof(name));
        var options = new QueueOptions();
        configure?.Invoke(options);
        QueueOptionsValidator.ThrowIfInvalid(name, options, nameof(configure));
        return CreateQueueCore<T>(name, options.Clone());
    }

    /// <summary>Creates a queue with the given options, or returns the existing one if a queue of that name, body type and settings exists.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The name: 1 to 80 letters, digits, '-' and '_'; case-sensitive; a name ending in <c>.fifo</c> makes a FIFO queue.</param>
    /// <param name="options">The queue's options; the queue keeps a copy.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="ArgumentException">The name or an option is invalid; the message lists every problem.</exception>
    /// <exception cref="BrokerException">A queue of that name exists with other settings or another body type
    /// (<see cref="BrokerErrorCode.QueueNameExists"/>), or the dead-letter queue does not exist or holds another body type.</exception>
    public IMessageQueue<T> CreateQueue<T>(string name, QueueOptions options)
    {
        QueueNames.ThrowIfInvalid(name, nameof(name));
        ArgumentNullException.ThrowIfNull(options);
        QueueOptionsValidator.ThrowIfInvalid(name, options, nameof(options));
        return CreateQueueCore<T>(name, options.Clone());
    }

    private IMessageQueue<T> CreateQueueCore<T>(string name, QueueOptions options)
    {

        lock (_gate)
        {
            ThrowIfDisposed();
            if (_queues.TryGetValue(name, out IInMemoryQueue? existing))
            {
                if (existing is IMessageQueue<T> same && existing.Options.HasSameSettings(options))
                {
                    return same;
                }

                throw new BrokerException(
                    BrokerErrorCode.QueueNameExists,
                    $"A queue named '{name}' already exists with {(existing.BodyType == typeof(T) ? "other settings" : $"body type {existing.BodyType.Name}")}.");
            }

            InMemoryQueue<T>? deadLetterQueue = null;
            if (options.RedrivePolicy is { } redrive)
            {
                deadLetterQueue = GetTyped<T>(redrive.DeadLetterQueueName, "dead-letter queue");
            }

            var queue = new InMemoryQueue<T>(name, options, TimeProvider, JsonSerializerOptions, Logger, deadLetterQueue);
            deadLetterQueue?.AddDeadLetterSource(name);
            _queues.Add(name, queue);
            BrokerLog.QueueCreated(Logger, name);
            return queue;
        }
    }

    /// <summary>Gets an existing queue.</summary>
    /// <typeparam name="T">The body type the queue was created with.</typeparam>
    /// <param name="name">The queue's name.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="BrokerException">No such queue (<see cref="BrokerErrorCode.QueueDoesNotExist"/>), or it holds another body type
    /// (<see cref="BrokerErrorCode.QueueTypeMismatch"/>).</exception>
    public IMessageQueue<T> GetQueue<T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            ThrowIfDisposed();
            return GetTyped<T>(name, "queue");
        }
    }

    /// <summary>Gets an existing queue if there is one of that name and body type.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The queue's name.</param>
    /// <param name="queue">The queue, when found.</param>
    /// <returns><see langword="true"/> if a queue of that name and body type exists.</returns>
    public bool TryGetQueue<T>(string name, [NotNullWhen(true)] out IMessageQueue<T>? queue)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            queue = !_disposed && _queues.TryGetValue(name, out IInMemoryQueue? found) ? found as IMessageQueue<T> : null;
            return queue is not null;
        }
    }

    /// <summary>Lists the queues, in name order.</summary>
    /// <param name="namePrefix">Only queues whose names start with this (case-sensitive); <see langword="null"/> for all.</param>
    /// <returns>The queues.</returns>
    public IReadOnlyList<IMessageQueue> ListQueues(string? namePrefix = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var result = new List<IMessageQueue>(_queues.Count);
            foreach (IInMemoryQueue queue in _queues.Values)
            {
                if (namePrefix is null || queue.Name.StartsWith(namePrefix, StringComparison.Ordinal))
                {
                    result.Add(queue);
                }
            }

            result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return result;
        }
    }

    /// <summary>Deletes a queue and every message in it. Pending receives fail, and the queue's name is free at once.</summary>
    /// <param name="name">The queue's name.</param>
    /// <returns><see langword="true"/> if the queue existed.</returns>
    /// <exception cref="BrokerException">The queue is another queue's dead-letter queue (<see cref="BrokerErrorCode.QueueInUse"/>);
    /// delete that queue first, so no dead-lettered message is lost.</exception>
    public bool DeleteQueue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IInMemoryQueue? queue;
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!_queues.TryGetValue(name, out queue))
            {
                return false;
            }

            if (queue.IsDeadLetterTarget)
            {
                throw new BrokerException(BrokerErrorCode.QueueInUse, $"The queue '{name}' is the dead-letter queue of another queue; delete or reconfigure that queue first.");
            }

            _queues.Remove(name);
            if (queue.Options.RedrivePolicy is { } redrive && _queues.TryGetValue(redrive.DeadLetterQueueName, out IInMemoryQueue? deadLetterQueue))
            {
                deadLetterQueue.RemoveDeadLetterSource(name);
            }
        }

        queue.Close();
        BrokerLog.QueueDeleted(Logger, name);
        return true;
    }

    /// <summary>Starts moving the visible messages of a dead-letter queue back to their source queues, or to another queue.</summary>
    /// <param name="sourceQueueName">The dead-letter queue to move messages from.</param>
    /// <param name="destinationQueueName">The queue to move them to; <see langword="null"/> sends each message back to the queue it was dead-lettered from.</param>
    /// <param name="maxMessagesPerSecond">The most messages moved per second: 1 to 500; <see langword="null"/> for no limit.</param>
    /// <returns>The running task, with its progress and a <see cref="MessageMoveTask.Completion"/> to await.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMessagesPerSecond"/> is outside 1 to 500.</exception>
    /// <exception cref="BrokerException">A queue does not exist, the destination holds another body type, the source is no queue's
    /// dead-letter queue and no destination was given, or a move task is already running for the source.</exception>
    public MessageMoveTask StartMessageMoveTask(string sourceQueueName, string? destinationQueueName = null, int? maxMessagesPerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(sourceQueueName);
        if (maxMessagesPerSecond is < 1 or > QueueLimits.MaxMoveMessagesPerSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessagesPerSecond), maxMessagesPerSecond, $"maxMessagesPerSecond must be between 1 and {QueueLimits.MaxMoveMessagesPerSecond}, or null for no limit.");
        }

        IInMemoryQueue source;
        IInMemoryQueue? destination = null;
        lock (_gate)
        {
            ThrowIfDisposed();
            source = GetExisting(sourceQueueName);
            if (destinationQueueName is not null)
            {
                destination = GetExisting(destinationQueueName);
            }
            else if (!source.IsDeadLetterTarget)
            {
                throw new BrokerException(
                    BrokerErrorCode.NotADeadLetterQueue,
                    $"The queue '{sourceQueueName}' is not the dead-letter queue of any queue; name a destination queue.");
            }
        }

        return source.StartMoveTask(this, destination, maxMessagesPerSecond);
    }

    /// <summary>Creates a topic, or returns the existing one if a topic of that name, body type and settings exists.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The name: 1 to 256 letters, digits, '-' and '_'; a name ending in <c>.fifo</c> makes a FIFO topic.</param>
    /// <param name="configure">Sets the topic's options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The topic.</returns>
    /// <exception cref="ArgumentException">The name or an option is invalid; the message lists every problem.</exception>
    /// <exception cref="BrokerException">A topic of that name exists with other settings or another body type (<see cref="BrokerErrorCode.TopicNameExists"/>).</exception>
    public ITopic<T> CreateTopic<T>(string name, Action<TopicOptions>? configure = null)
    {
        TopicNames.ThrowIfInvalid(name, nameof(name));
        var options = new TopicOptions();
        configure?.Invoke(options);
        TopicOptionsValidator.ThrowIfInvalid(name, options, nameof(configure));
        return CreateTopicCore<T>(name, options.Clone());
    }

    /// <summary>Creates a topic with the given options, or returns the existing one if a topic of that name, body type and settings exists.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The name: 1 to 256 letters, digits, '-' and '_'; a name ending in <c>.fifo</c> makes a FIFO topic.</param>
    /// <param name="options">The topic's options; the topic keeps a copy.</param>
    /// <returns>The topic.</returns>
    /// <exception cref="ArgumentException">The name or an option is invalid; the message lists every problem.</exception>
    /// <exception cref="BrokerException">A topic of that name exists with other settings or another body type (<see cref="BrokerErrorCode.TopicNameExists"/>).</exception>
    public ITopic<T> CreateTopic<T>(string name, TopicOptions options)
    {
        TopicNames.ThrowIfInvalid(name, nameof(name));
        ArgumentNullException.ThrowIfNull(options);
        TopicOptionsValidator.ThrowIfInvalid(name, options, nameof(options));
        return CreateTopicCore<T>(name, options.Clone());
    }

    private ITopic<T> CreateTopicCore<T>(string name, TopicOptions options)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_topics.TryGetValue(name, out IInMemoryTopic? existing))
            {
                if (existing is ITopic<T> same && existing.Options.HasSameSettings(options))
                {
                    return same;
                }

                throw new BrokerException(
                    BrokerErrorCode.TopicNameExists,
                    $"A topic named '{name}' already exists with {(existing.BodyType == typeof(T) ? "other settings" : $"body type {existing.BodyType.Name}")}.");
            }

            var topic = new InMemoryTopic<T>(name, options, this);
            _topics.Add(name, topic);
            BrokerLog.TopicCreated(Logger, name);
            return topic;
        }
    }

    /// <summary>Gets an existing topic.</summary>
    /// <typeparam name="T">The body type the topic was created with.</typeparam>
    /// <param name="name">The topic's name.</param>
    /// <returns>The topic.</returns>
    /// <exception cref="BrokerException">No such topic (<see cref="BrokerErrorCode.TopicDoesNotExist"/>), or it holds another body type
    /// (<see cref="BrokerErrorCode.TopicTypeMismatch"/>).</exception>
    public ITopic<T> GetTopic<T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!_topics.TryGetValue(name, out IInMemoryTopic? topic))
            {
                throw new BrokerException(BrokerErrorCode.TopicDoesNotExist, $"No topic is named '{name}'.");
            }

            return topic as ITopic<T> ?? throw new BrokerException(
                BrokerErrorCode.TopicTypeMismatch,
                $"The topic '{name}' holds {topic.BodyType.Name} messages, not {typeof(T).Name}.");
        }
    }

    /// <summary>Gets an existing topic if there is one of that name and body type.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The topic's name.</param>
    /// <param name="topic">The topic, when found.</param>
    /// <returns><see langword="true"/> if a topic of that name and body type exists.</returns>
    public bool TryGetTopic<T>(string name, [NotNullWhen(true)] out ITopic<T>? topic)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            topic = !_disposed && _topics.TryGetValue(name, out IInMemoryTopic? found) ? found as ITopic<T> : null;
            return topic is not null;
        }
    }

    /// <summary>Lists the topics, in name order.</summary>
    /// <param name="namePrefix">Only topics whose names start with this (case-sensitive); <see langword="null"/> for all.</param>
    /// <returns>The topics.</returns>
    public IReadOnlyList<ITopic> ListTopics(string? namePrefix = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var result = new List<ITopic>(_topics.Count);
            foreach (IInMemoryTopic topic in _topics.Values)
            {
                if (namePrefix is null || topic.Name.StartsWith(namePrefix, StringComparison.Ordinal))
                {
                    result.Add(topic);
                }
            }

            result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return result;
        }
    }

    /// <summary>Deletes a topic and all its subscriptions. Messages the subscriptions had not delivered yet are dropped.</summary>
    /// <param name="name">The topic's name.</param>
    /// <returns><see langword="true"/> if the topic existed. The task completes when no delivery of the topic runs any more.</returns>
    public async ValueTask<bool> DeleteTopicAsync(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IInMemoryTopic? topic;
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!_topics.Remove(name, out topic))
            {
                return false;
            }
        }

        await topic.DeleteAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes every topic and queue. Deliveries still running are cancelled and not awaited; use
    /// <see cref="DisposeAsync"/> to wait for them.</summary>
    public void Dispose() => _ = DisposeCoreAsync();

    /// <summary>Deletes every topic and queue, and waits until no delivery runs any more.</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public ValueTask DisposeAsync() => new(DisposeCoreAsync());

    private Task DisposeCoreAsync()
    {
        List<IInMemoryQueue> queues;
        List<IInMemoryTopic> topics;
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.CompletedTask;
            }

            _disposed = true;
            queues = [.. _queues.Values];
            topics = [.. _topics.Values];
            _queues.Clear();
            _topics.Clear();
        }

        // Topics first, so no delivery lands in a queue that is going away.
        Task topicsDeleted = Task.WhenAll(topics.ConvertAll(static t => t.DeleteAsync()));
        foreach (IInMemoryQueue queue in queues)
        {
            queue.Close();
        }

        return topicsDeleted;
    }

    /// <summary>Returns read-only JSON settings: a mutable instance is copied, given the default resolver when it has none
    /// (as <see cref="JsonSerializer"/> itself does), and frozen, so metadata is resolved once and is cached.</summary>
    private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        if (options.IsReadOnly)
        {
            return options;
        }

        var copy = new JsonSerializerOptions(options);
        copy.TypeInfoResolver ??= DefaultJsonSerializerOptions.TypeInfoResolver;
        copy.MakeReadOnly();
        return copy;
    }

    /// <summary>Gets the settings used when none are given: <see cref="JsonSerializerOptions.Default"/> (reflection-based) where
    /// reflection serialization is enabled, else settings that know no type, so a body that must become JSON fails with
    /// <see cref="NotSupportedException"/> naming its type until the application passes a source-generated context.</summary>
    /// <remarks>The check is System.Text.Json's feature switch, which trimmed and native AOT applications turn off: the trimmer
    /// then treats it as a constant and removes the reflection branch. An application that turns reflection back on
    /// (JsonSerializerIsReflectionEnabledByDefault) has chosen reflection serialization for its bodies, as with any other
    /// use of <see cref="JsonSerializerOptions.Default"/>.</remarks>
    private static JsonSerializerOptions DefaultJsonSerializerOptions
    {
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only reached when reflection serialization is enabled; see remarks.")]
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reached when reflection serialization is enabled; see remarks.")]
        get => JsonSerializer.IsReflectionEnabledByDefault ? JsonSerializerOptions.Default : s_noReflectionJsonSerializerOptions;
    }

    private static JsonSerializerOptions CreateNoReflectionOptions()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() };
        options.MakeReadOnly();
        return options;
    }

    private InMemoryQueue<T> GetTyped<T>(string name, string role)
    {
        IInMemoryQueue queue = GetExisting(name);
        return queue as InMemoryQueue<T> ?? throw new BrokerException(
            BrokerErrorCode.QueueTypeMismatch,
            $"The {role} '{name}' holds {queue.BodyType.Name} messages, not {typeof(T).Name}.");
    }

    private IInMemoryQueue GetExisting(string name)
        => _queues.TryGetValue(name, out IInMemoryQueue? queue)
            ? queue
            : throw new BrokerException(BrokerErrorCode.QueueDoesNotExist, $"No queue is named '{name}'.");

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new BrokerException(BrokerErrorCode.BrokerDisposed, "The broker has been disposed.");
        }
    }
}
