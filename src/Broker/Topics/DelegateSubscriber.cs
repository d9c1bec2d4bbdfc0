namespace Broker.Topics;

/// <summary>Delivers to an in-process function.</summary>
internal sealed class DelegateSubscriber<T>(Func<TopicMessage<T>, CancellationToken, ValueTask> handler) : ITopicSubscriber<T>
{
    public string Protocol => "delegate";

    public string Endpoint { get; } = $"{handler.Method.DeclaringType?.Name}.{handler.Method.Name}";

    public ValueTask DeliverAsync(TopicMessage<T> message, CancellationToken cancellationToken) => handler(message, cancellationToken);
}
