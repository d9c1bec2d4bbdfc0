using Broker.Messages;

namespace Broker.Hosting.Consumers;

/// <summary>Handles the messages of a queue consumer added with <c>AddConsumer</c>.</summary>
/// <typeparam name="T">The queue's body type.</typeparam>
public interface IMessageHandler<T>
{
    /// <summary>Handles one message. Returning deletes it; throwing leaves it in the queue for a retry after the consumer's back-off,
    /// until the queue's redrive policy dead-letters it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout runs out; the message then becomes visible again at once.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    ValueTask HandleAsync(ReceivedMessage<T> message, CancellationToken cancellationToken);
}
