using System.Diagnostics.CodeAnalysis;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Broker.Hosting.DependencyInjection;

/// <summary>Declares a topic's options and subscriptions.</summary>
/// <typeparam name="T">The topic's body type.</typeparam>
public sealed class TopicBuilder<T>
{
    private readonly string _name;
    private readonly IServiceCollection _services;
    private readonly List<Action<ITopic<T>, MessageBroker, IServiceProvider>> _subscriptions = [];

    internal TopicBuilder(string name, IServiceCollection services)
    {
        _name = name;
        _services = services;
    }

    /// <summary>Sets the topic's options; configuration bound with <see cref="BrokerBuilder.BindConfiguration"/> applies after it.</summary>
    /// <param name="configure">Sets the options.</param>
    /// <returns>This builder.</returns>
    public TopicBuilder<T> Configure(Action<TopicOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _services.Configure(_name, configure);
        return this;
    }

    /// <summary>Subscribes a declared queue of the body type (raw delivery).</summary>
    /// <param name="queueName">The queue's name.</param>
    /// <param name="filter">An optional filter policy on message attributes.</param>
    /// <param name="configure">Sets the other subscription options.</param>
    /// <returns>This builder.</returns>
    public TopicBuilder<T> SubscribeQueue(string queueName, string? filter = null, Action<SubscriptionOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        _subscriptions.Add((topic, broker, _) => topic.Subscribe(broker.GetQueue<T>(queueName), Combine(filter, configure)));
        return this;
    }

    /// <summary>Subscribes a declared queue of <see cref="TopicMessage{T}"/> envelopes.</summary>
    /// <param name="queueName">The queue's name.</param>
    /// <param name="filter">An optional filter policy on message attributes.</param>
    /// <param name="configure">Sets the other subscription options.</param>
    /// <returns>This builder.</returns>
    public TopicBuilder<T> SubscribeEnvelopeQueue(string queueName, string? filter = null, Action<SubscriptionOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        _subscriptions.Add((topic, broker, _) => topic.Subscribe(broker.GetQueue<TopicMessage<T>>(queueName), Combine(filter, configure)));
        return this;
    }

    /// <summary>Subscribes a handler, resolved in a new scope for every delivery.</summary>
    /// <typeparam name="THandler">The handler; registered as scoped if it is not registered yet.</typeparam>
    /// <param name="filter">An optional filter policy on message attributes.</param>
    /// <param name="configure">Sets the other subscription options.</param>
    /// <returns>This builder.</returns>
    public TopicBuilder<T> Subscribe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string? filter = null, Action<SubscriptionOptions>? configure = null)
        where THandler : class, ITopicMessageHandler<T>
    {
        _services.TryAddScoped<THandler>();
        _subscriptions.Add((topic, _, services) =>
        {
            IServiceScopeFactory scopes = services.GetRequiredService<IServiceScopeFactory>();
            topic.Subscribe(
                async (message, cancellationToken) =>
                {
                    AsyncServiceScope scope = scopes.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(message, cancellationToken).ConfigureAwait(false);
                    }
                },
                Combine(filter, configure));
        });
        return this;
    }

    internal void Create(MessageBroker broker, TopicOptions options, IServiceProvider services)
    {
        ITopic<T> topic = broker.CreateTopic<T>(_name, options);
        foreach (Action<ITopic<T>, MessageBroker, IServiceProvider> subscribe in _subscriptions)
        {
            subscribe(topic, broker, services);
        }
    }

    private static Action<SubscriptionOptions> Combine(string? filter, Action<SubscriptionOptions>? configure) => options =>
    {
        if (filter is not null)
        {
            options.FilterPolicy = filter;
        }

        configure?.Invoke(options);
    };
}
