using Broker.Queues;

namespace Broker.Topics;

/// <summary>A topic with bodies of type <typeparamref name="T"/>: a publish fans out to every subscription whose filter matches,
/// with the semantics of an SNS topic.</summary>
/// <typeparam name="T">The body type. Bodies are shared by all subscribers, so they should be immutable (records).</typeparam>
/// <remarks>
/// A publish returns once every matching subscription has accepted the message. Each subscription then delivers on its own
/// path, with its own retries and dead-letter queue, so a slow, failing or removed subscriber never blocks the publisher or the
/// other subscribers. Every member is thread-safe; subscribing and unsubscribing while publishing is safe.
/// </remarks>
public interface ITopic<T> : ITopic
{
    /// <summary>Subscribes a queue of the body type: it receives each body as published, with its attributes (raw delivery).</summary>
    /// <param name="queue">The queue. For a FIFO topic, a FIFO queue; a FIFO queue only subscribes to a FIFO topic.</param>
    /// <param name="configure">Sets the filter policy, delivery policy and dead-letter queue.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentException">An option is invalid, the filter policy is malformed, or the queue's kind does not fit the topic.</exception>
    /// <exception cref="BrokerException">The dead-letter queue does not exist, or the topic has been deleted.</exception>
    Subscription Subscribe(IMessageQueue<T> queue, Action<SubscriptionOptions>? configure = null);

    /// <summary>Subscribes a queue of envelopes: it receives each message as a <see cref="TopicMessage{T}"/> (the SNS envelope).</summary>
    /// <param name="queue">The queue.</param>
    /// <param name="configure">Sets the filter policy, delivery policy and dead-letter queue.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentException">An option is invalid, the filter policy is malformed, or the queue's kind does not fit the topic.</exception>
    /// <exception cref="BrokerException">The dead-letter queue does not exist, or the topic has been deleted.</exception>
    Subscription Subscribe(IMessageQueue<TopicMessage<T>> queue, Action<SubscriptionOptions>? configure = null);

    /// <summary>Subscribes a delegate, invoked off the publisher's path for every matching message.</summary>
    /// <param name="handler">The delegate. A throw is a failed delivery, retried per the delivery policy.</param>
    /// <param name="configure">Sets the filter policy, delivery policy, dead-letter queue and concurrency.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentException">An option is invalid or the filter policy is malformed.</exception>
    /// <exception cref="BrokerException">The dead-letter queue does not exist, or the topic has been deleted.</exception>
    Subscription Subscribe(Func<TopicMessage<T>, CancellationToken, ValueTask> handler, Action<SubscriptionOptions>? configure = null);

    /// <summary>Subscribes any endpoint, such as a webhook from the webhooks package.</summary>
    /// <param name="subscriber">The endpoint.</param>
    /// <param name="configure">Sets the filter policy, delivery policy, dead-letter queue and concurrency.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentException">An option is invalid or the filter policy is malformed.</exception>
    /// <exception cref="BrokerException">The dead-letter queue does not exist, or the topic has been deleted.</exception>
    Subscription Subscribe(ITopicSubscriber<T> subscriber, Action<SubscriptionOptions>? configure = null);

    /// <summary>Publishes a message to every subscription whose filter policy matches.</summary>
    /// <param name="body">The body.</param>
    /// <param name="options">Attributes, subject, and the group and de-duplication ids of a FIFO topic.</param>
    /// <param name="cancellationToken">A token to cancel the publish before it is accepted.</param>
    /// <returns>The message's id, once every matching subscription has accepted the message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The subject, an attribute or an id is invalid, or the message is too large.</exception>
    /// <exception cref="BrokerException">The topic has been deleted.</exception>
    ValueTask<PublishResult> PublishAsync(T body, PublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes up to 10 messages; each entry succeeds or fails on its own.</summary>
    /// <param name="entries">The messages, 1 to 10, with distinct ids.</param>
    /// <param name="cancellationToken">A token to cancel the publish before it is accepted.</param>
    /// <returns>The accepted entries with their message ids, and the failed ones with their reasons.</returns>
    /// <exception cref="ArgumentException">The batch is empty, has more than 10 entries, repeats or misspells an entry id, or its
    /// messages together exceed the topic's maximum message size.</exception>
    ValueTask<BatchResult<PublishBatchResultEntry>> PublishBatchAsync(IReadOnlyList<PublishBatchEntry<T>> entries, CancellationToken cancellationToken = default);
}
