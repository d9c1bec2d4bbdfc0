using Broker.Messages;

namespace Broker.Queues;

/// <summary>A batch send entry that was accepted.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="MessageId">The id given to the message.</param>
public sealed record SendBatchResultEntry(string Id, MessageId MessageId);
