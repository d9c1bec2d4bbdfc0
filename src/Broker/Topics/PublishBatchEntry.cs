using Broker.Messages;

namespace Broker.Topics;

/// <summary>One message of a batch publish.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <param name="Id">The entry's id, unique within the batch: 1 to 80 letters, digits, '-' and '_'.</param>
/// <param name="Body">The message body.</param>
public sealed record PublishBatchEntry<T>(string Id, T Body)
{
    /// <summary>Gets the message attributes; at most 10.</summary>
    public IReadOnlyDictionary<string, MessageAttributeValue>? Attributes { get; init; }

    /// <summary>Gets the subject; see <see cref="PublishOptions.Subject"/>.</summary>
    public string? Subject { get; init; }

    /// <summary>Gets the message group; see <see cref="PublishOptions.MessageGroupId"/>.</summary>
    public string? MessageGroupId { get; init; }

    /// <summary>Gets the de-duplication id; see <see cref="PublishOptions.DeduplicationId"/>.</summary>
    public string? DeduplicationId { get; init; }
}
