using System.Globalization;
using Broker.Messages;
using Broker.Queues;

namespace Broker.Benchmarks.Support;

/// <summary>Entry ids and delete batches for the batched benchmarks, made the way a consumer would make them.</summary>
public static class BatchEntries
{
    /// <summary>The size of a full batch.</summary>
    public const int Size = 10;

    /// <summary>Gets the entry ids "0" to "9", made once.</summary>
    public static IReadOnlyList<string> Ids { get; } = Enumerable.Range(0, Size).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Makes the delete batch for a receive's messages.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="received">The messages, at most <see cref="Size"/>.</param>
    /// <returns>One entry per message.</returns>
    public static DeleteBatchEntry[] ToDelete<T>(IReadOnlyList<ReceivedMessage<T>> received)
    {
        var deletes = new DeleteBatchEntry[received.Count];
        for (int i = 0; i < deletes.Length; i++)
        {
            deletes[i] = new DeleteBatchEntry(Ids[i], received[i].ReceiptHandle);
        }

        return deletes;
    }
}
