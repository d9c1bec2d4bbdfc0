using Broker.Queues;

namespace Broker.Topics;

/// <summary>The settings of a topic, fixed when the topic is created.</summary>
public sealed class TopicOptions
{
    /// <summary>Gets or sets the largest message accepted, in bytes: the body plus attribute names, types and values.</summary>
    /// <value>The default is 262,144 (256 KiB, as SNS); the allowed range is 1,024 to <see cref="int.MaxValue"/>.</value>
    /// <remarks>A string body counts as its UTF-8 bytes and a byte body as its length; other body types count as zero.</remarks>
    public int MaximumMessageSize { get; set; } = TopicLimits.DefaultMaximumMessageSize;

    /// <summary>Gets or sets whether a FIFO topic derives a missing de-duplication id from the body's SHA-256.</summary>
    /// <value>The default is <see langword="false"/>. FIFO topics only.</value>
    public bool ContentBasedDeduplication { get; set; }

    /// <summary>Gets or sets where a FIFO topic looks for duplicates: the whole topic or each message group.</summary>
    /// <value>The default is <see cref="Queues.DeduplicationScope.Queue"/> (the whole topic). FIFO topics only.</value>
    public DeduplicationScope DeduplicationScope { get; set; } = DeduplicationScope.Queue;

    internal TopicOptions Clone() => new()
    {
        MaximumMessageSize = MaximumMessageSize,
        ContentBasedDeduplication = ContentBasedDeduplication,
        DeduplicationScope = DeduplicationScope,
    };

    internal bool HasSameSettings(TopicOptions other)
        => MaximumMessageSize == other.MaximumMessageSize
            && ContentBasedDeduplication == other.ContentBasedDeduplication
            && DeduplicationScope == other.DeduplicationScope;
}
