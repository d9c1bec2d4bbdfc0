using Broker.Messages;

namespace Broker.Queues;

/// <summary>The outcome of an accepted send.</summary>
/// <param name="MessageId">The id given to the message.</param>
public readonly record struct SendResult(MessageId MessageId);
