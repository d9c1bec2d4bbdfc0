using Broker.Messages;

namespace Broker.Queues;

/// <summary>Optional settings for one sent message.</summary>
public sealed class SendOptions
{
    /// <summary>Gets or sets the message attributes.</summary>
    /// <value>At most 10 attributes; the default is none. The queue keeps its own copy.</value>
    public IReadOnlyDictionary<string, MessageAttributeValue>? Attributes { get; set; }

    /// <summary>Gets or sets how long the message stays invisible after it is sent.</summary>
    /// <value>The default is <see langword="null"/>: the queue's <see cref="QueueOptions.DeliveryDelay"/>. The allowed range is 0 to 15 minutes.</value>
    public TimeSpan? Delay { get; set; }

    /// <summary>Gets or sets the message group: required on FIFO queues, where messages of one group are delivered in order, one batch at a time.</summary>
    /// <value>1 to 128 letters, digits and punctuation. On a standard queue it is optional, kept and returned, and does not order anything.</value>
    public string? MessageGroupId { get; set; }

    /// <summary>Gets or sets the de-duplication id of a FIFO message: a second send with the same id within 5 minutes is accepted but not delivered.</summary>
    /// <value>1 to 128 letters, digits and punctuation. FIFO queues only; optional with content-based de-duplication.</value>
    public string? DeduplicationId { get; set; }
}
