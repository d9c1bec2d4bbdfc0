using Broker.Topics;

namespace Broker.Hosting.DependencyInjection;

/// <summary>Handles messages of a topic subscription declared with <see cref="TopicBuilder{T}.Subscribe{THandler}"/>.</summary>
/// <typeparam name="T">The topic's body type.</typeparam>
public interface ITopicMessageHandler<T>
{
    /// <summary>Handles one message. A throw is a failed delivery, retried per the subscription's delivery policy.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancelled when the subscription is removed or the host stops.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    ValueTask HandleAsync(TopicMessage<T> message, CancellationToken cancellationToken);
}
