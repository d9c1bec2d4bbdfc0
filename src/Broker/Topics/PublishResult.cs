using Broker.Messages;

namespace Broker.Topics;

/// <summary>The outcome of an accepted publish.</summary>
/// <param name="MessageId">The message's id; for a FIFO duplicate, the id of the original.</param>
/// <param name="SequenceNumber">The FIFO sequence number; <see langword="null"/> on a standard topic.</param>
public readonly record struct PublishResult(MessageId MessageId, string? SequenceNumber = null);
