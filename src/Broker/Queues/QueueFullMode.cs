namespace Broker.Queues;

/// <summary>What a send does when a queue with a <see cref="QueueOptions.Capacity"/> is full.</summary>
public enum QueueFullMode
{
    /// <summary>The send waits until a message leaves the queue, or until it is cancelled.</summary>
    Wait,

    /// <summary>The send fails at once with <see cref="BrokerErrorCode.QueueFull"/>.</summary>
    Fail,
}
