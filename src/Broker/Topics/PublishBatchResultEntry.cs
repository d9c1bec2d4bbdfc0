using Broker.Messages;

namespace Broker.Topics;

/// <summary>A batch publish entry that was accepted.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="MessageId">The message's id; for a FIFO duplicate, the id of the original.</param>
/// <param name="SequenceNumber">The FIFO sequence number; <see langword="null"/> on a standard topic.</param>
public sealed record PublishBatchResultEntry(string Id, MessageId MessageId, string? SequenceNumber = null);
