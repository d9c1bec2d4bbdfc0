using Broker.Messages;

namespace Broker.Queues;

/// <summary>One message of a batch delete.</summary>
/// <param name="Id">The entry's id, unique within the batch: 1 to 80 letters, digits, '-' and '_'.</param>
/// <param name="ReceiptHandle">The handle from the receive of the message to delete.</param>
public sealed record DeleteBatchEntry(string Id, ReceiptHandle ReceiptHandle);
