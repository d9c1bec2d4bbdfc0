namespace Broker.Topics;

/// <summary>The limits that topic operations enforce; most are those of Amazon SNS.</summary>
public static class TopicLimits
{
    /// <summary>The longest topic name: 256 characters.</summary>
    public const int MaxTopicNameLength = 256;

    /// <summary>The longest subject: 99 characters (SNS: under 100).</summary>
    public const int MaxSubjectLength = 99;

    /// <summary>The default and SNS maximum message size: 256 KiB (262,144 bytes).</summary>
    public const int DefaultMaximumMessageSize = 256 * 1024;

    /// <summary>The smallest configurable maximum message size: 1,024 bytes.</summary>
    public const int MinMaximumMessageSize = 1024;

    /// <summary>The most entries in one publish batch: 10.</summary>
    public const int MaxBatchEntries = 10;

    /// <summary>The most parallel deliveries of one subscription: 64.</summary>
    public const int MaxConcurrency = 64;
}
