using Broker.Messages;

namespace Broker.Topics;

/// <summary>Optional settings for one published message.</summary>
public sealed class PublishOptions
{
    /// <summary>Gets or sets the message attributes, which filter policies and subscribers see.</summary>
    /// <value>At most 10 attributes; the default is none. The topic keeps its own copy.</value>
    public IReadOnlyDictionary<string, MessageAttributeValue>? Attributes { get; set; }

    /// <summary>Gets or sets the subject: under 100 characters, without line breaks or other control characters.</summary>
    public string? Subject { get; set; }

    /// <summary>Gets or sets the message group; required on FIFO topics, where each group is delivered in publish order.</summary>
    public string? MessageGroupId { get; set; }

    /// <summary>Gets or sets the de-duplication id of a FIFO topic's message; a repeat within 5 minutes is accepted and not delivered.</summary>
    public string? DeduplicationId { get; set; }
}
