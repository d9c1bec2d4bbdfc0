namespace Broker.Queues;

/// <summary>The operations every queue has, whatever its body type.</summary>
public interface IMessageQueue
{
    /// <summary>Gets the queue's name.</summary>
    string Name { get; }

    /// <summary>Gets the type of the queue's message bodies.</summary>
    Type BodyType { get; }

    /// <summary>Reads the queue's settings and message counts.</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>A snapshot of the settings and counts.</returns>
    /// <exception cref="BrokerException">The queue has been deleted (<see cref="BrokerErrorCode.QueueDoesNotExist"/>).</exception>
    ValueTask<QueueAttributes> GetAttributesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes every message in the queue, in flight and delayed ones included.</summary>
    /// <param name="cancellationToken">A token to cancel the purge before it starts.</param>
    /// <returns>The number of messages deleted.</returns>
    /// <remarks>Receipt handles of purged messages stop working. Messages sent while the purge runs may or may not be purged.</remarks>
    /// <exception cref="BrokerException">The queue has been deleted (<see cref="BrokerErrorCode.QueueDoesNotExist"/>).</exception>
    ValueTask<long> PurgeAsync(CancellationToken cancellationToken = default);
}
