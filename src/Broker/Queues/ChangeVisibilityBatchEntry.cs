using Broker.Messages;

namespace Broker.Queues;

/// <summary>One message of a batch visibility change.</summary>
/// <param name="Id">The entry's id, unique within the batch: 1 to 80 letters, digits, '-' and '_'.</param>
/// <param name="ReceiptHandle">The handle from the receive of the message.</param>
/// <param name="VisibilityTimeout">The new timeout, counted from now: 0 to 12 hours.</param>
public sealed record ChangeVisibilityBatchEntry(string Id, ReceiptHandle ReceiptHandle, TimeSpan VisibilityTimeout);
