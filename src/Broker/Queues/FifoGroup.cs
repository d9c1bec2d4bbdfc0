namespace Broker.Queues;

/// <summary>One message group of a FIFO queue: its messages in send order and the batch last handed out.</summary>
/// <remarks>Guarded by the queue's timer gate. A group is available when its first undeleted message is ready and none of
/// the messages last handed out is still in flight; only then may the next batch of the group be handed out.</remarks>
internal sealed class FifoGroup<T>(string id)
{
    public string Id { get; } = id;

    /// <summary>Gets the group's messages in send order; deleted ones are dropped once they reach the front.</summary>
    public Queue<FifoQueueMessage<T>> Messages { get; } = new();

    /// <summary>Gets or sets the messages of the last receive from this group: the only ones that can be in flight.</summary>
    public List<FifoQueueMessage<T>> LastTaken { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether the group waits in the queue's channel of available groups.</summary>
    public bool Queued { get; set; }

    /// <summary>Gets or sets a value indicating whether the group was dropped from the queue because it ran empty.</summary>
    public bool Removed { get; set; }

    public bool IsBlocked_Locked()
    {
        foreach (FifoQueueMessage<T> message in LastTaken)
        {
            if (MessageState.Kind(Volatile.Read(ref message.State)) == MessageState.InFlight)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Drops deleted messages from the front and returns the first undeleted one.</summary>
    public FifoQueueMessage<T>? Head_Locked()
    {
        while (Messages.TryPeek(out FifoQueueMessage<T>? head))
        {
            if (MessageState.Kind(Volatile.Read(ref head.State)) != MessageState.Deleted)
            {
                return head;
            }

            Messages.Dequeue();
        }

        return null;
    }
}
