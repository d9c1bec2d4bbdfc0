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
}
