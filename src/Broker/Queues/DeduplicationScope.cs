namespace Broker.Queues;

/// <summary>Where a FIFO queue looks for duplicates.</summary>
public enum DeduplicationScope
{
    /// <summary>A de-duplication id is unique across the whole queue.</summary>
    Queue,

    /// <summary>A de-duplication id is unique within its message group; other groups may reuse it.</summary>
    MessageGroup,
}
