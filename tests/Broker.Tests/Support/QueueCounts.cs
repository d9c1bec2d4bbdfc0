namespace Broker.Tests.Support;

/// <summary>The three message counts of a queue, as <see cref="Broker.Queues.QueueAttributes"/> reports them.</summary>
public readonly record struct QueueCounts(long Visible, long NotVisible, long Delayed)
{
    public static QueueCounts Empty => default;
}
