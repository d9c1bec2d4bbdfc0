namespace Broker.Queues;

/// <summary>What the broker needs from an in-memory queue whatever its body type.</summary>
internal interface IInMemoryQueue : IMessageQueue
{
    QueueOptions Options { get; }

    bool IsDeadLetterTarget { get; }

    MessageMoveTask? ActiveMoveTask { get; }

    void Close();

    void AddDeadLetterSource(string sourceQueueName);

    void RemoveDeadLetterSource(string sourceQueueName);

    MessageMoveTask StartMoveTask(MessageBroker broker, IMessageQueue? destination, int? maxMessagesPerSecond);
}
