namespace Broker.Hosting.DependencyInjection;

/// <summary>The queues, topics and subscriptions declared with <see cref="BrokerBuilder"/>, created in order when the broker is first resolved.</summary>
internal sealed class BrokerDeclarations
{
    public List<QueueDeclaration> Queues { get; } = [];

    public List<TopicDeclaration> Topics { get; } = [];

    public HashSet<string> QueueNames { get; } = new(StringComparer.Ordinal);

    public HashSet<string> TopicNames { get; } = new(StringComparer.Ordinal);
}

/// <summary>A declared queue: its name and how to create it with the options bound for that name.</summary>
internal sealed record QueueDeclaration(string Name, Type BodyType, Action<MessageBroker, Queues.QueueOptions> Create);

/// <summary>A declared topic: its name, how to create it, and its subscriptions, made once every queue exists.</summary>
internal sealed record TopicDeclaration(string Name, Type BodyType, Action<MessageBroker, Topics.TopicOptions, IServiceProvider> Create);
