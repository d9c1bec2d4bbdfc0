using Broker.Messages;

namespace Broker.Queues;

/// <summary>A batch send entry that was accepted.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="MessageId">The id given to the message; for a FIFO duplicate, the id of the original message.</param>
/// <param name="SequenceNumber">The FIFO sequence number; <see langword="null"/> on a standard queue.</param>
public sealed record SendBatchResultEntry(string Id, MessageId MessageId, string? SequenceNumber = null);
