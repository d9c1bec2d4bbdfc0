using Broker.Messages;

namespace Broker.Queues;

/// <summary>One message of a batch send.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <param name="Id">The entry's id, unique within the batch: 1 to 80 letters, digits, '-' and '_'.</param>
/// <param name="Body">The message body.</param>
public sealed record SendBatchEntry<T>(string Id, T Body)
{
    /// <summary>Gets the message attributes; at most 10.</summary>
    public IReadOnlyDictionary<string, MessageAttributeValue>? Attributes { get; init; }

    /// <summary>Gets the delay for this message; <see langword="null"/> uses the queue's delivery delay.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Gets the message group; see <see cref="SendOptions.MessageGroupId"/>.</summary>
    public string? MessageGroupId { get; init; }

    /// <summary>Gets the de-duplication id; see <see cref="SendOptions.DeduplicationId"/>.</summary>
    public string? DeduplicationId { get; init; }
}
