using Broker.Messages;

namespace Broker.Queues;

/// <summary>The outcome of an accepted send.</summary>
/// <param name="MessageId">The id given to the message; for a FIFO duplicate, the id of the original message.</param>
/// <param name="SequenceNumber">The FIFO sequence number; <see langword="null"/> on a standard queue.</param>
public readonly record struct SendResult(MessageId MessageId, string? SequenceNumber = null);
