using System.Diagnostics.CodeAnalysis;
using Broker.Hosting.Consumers;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.DependencyInjection;

/// <summary>Declares the queues, topics, subscriptions and consumers of an application's broker.</summary>
/// <remarks>Declarations can come in any order: dead-letter queues are created before the queues that name them, and queues
/// before the topics that deliver to them. Each queue and topic is also available as a keyed service under its name.</remarks>
public sealed class BrokerBuilder
{
    private readonly BrokerDeclarations _declarations;

    internal BrokerBuilder(IServiceCollection services, BrokerDeclarations declarations)
    {
        Services = services;
        _declarations = declarations;
    }

    /// <summary>Gets the service collection the broker is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Sets the broker-wide options (the clock and JSON settings).</summary>
    /// <param name="configure">Sets the options.</param>
    /// <returns>This builder.</returns>
    public BrokerBuilder Configure(Action<BrokerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Binds queue, topic and consumer options from configuration: <c>Queues:{name}</c>, <c>Topics:{name}</c> and
    /// <c>Consumers:{queue name}</c> under the section, for example
    /// <c>"Broker": { "Queues": { "orders": { "VisibilityTimeout": "00:00:30" } }, "Consumers": { "orders": { "Concurrency": 4 } } }</c>.</summary>
    /// <param name="section">The configuration section, such as <c>builder.Configuration.GetSection("Broker")</c>.</param>
    /// <returns>This builder.</returns>
    /// <remarks>Values from configuration are applied after the code's <c>configure</c> delegates, so configuration overrides code.
    /// A key that names no option (a misspelling) stops the host's start with an <see cref="InvalidOperationException"/> naming it.</remarks>
    public BrokerBuilder BindConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        // A misspelt key would otherwise be ignored and leave a default in force; failing names the key and the path.
        Services.AddSingleton<IPostConfigureOptions<QueueOptions>>(new ConfigurationBinding<QueueOptions>(section.GetSection("Queues"), static (named, options) => named.Bind(options, RefuseUnknownKeys)));
        Services.AddSingleton<IPostConfigureOptions<TopicOptions>>(new ConfigurationBinding<TopicOptions>(section.GetSection("Topics"), static (named, options) => named.Bind(options, RefuseUnknownKeys)));
        Services.AddSingleton<IPostConfigureOptions<ConsumerOptions>>(new ConfigurationBinding<ConsumerOptions>(section.GetSection("Consumers"), static (named, options) => named.Bind(options, RefuseUnknownKeys)));
        return this;
    }

    private static void RefuseUnknownKeys(BinderOptions binder) => binder.ErrorOnUnknownConfiguration = true;

    /// <summary>Declares a queue.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The queue's name.</param>
    /// <param name="configure">Sets the queue's options; configuration bound with <see cref="BindConfiguration"/> applies after it.</param>
    /// <returns>This builder.</returns>
    /// <remarks>The queue is registered as a keyed <see cref="IMessageQueue{T}"/> under <paramref name="name"/>.</remarks>
    public BrokerBuilder AddQueue<T>(string name, Action<QueueOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        OptionsBuilder<QueueOptions> options = Services.AddOptions<QueueOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (_declarations.QueueNames.Add(name))
        {
            options.ValidateOnStart();
            _declarations.Queues.Add(new QueueDeclaration(name, typeof(T), (broker, queueOptions) => broker.CreateQueue<T>(name, queueOptions)));
            Services.TryAddKeyedSingleton<IMessageQueue<T>>(name, static (sp, key) => sp.GetRequiredService<MessageBroker>().GetQueue<T>((string)key!));
        }

        return this;
    }

    /// <summary>Declares a topic and its subscriptions.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="name">The topic's name.</param>
    /// <param name="configure">Sets the topic's options and subscriptions.</param>
    /// <returns>This builder.</returns>
    /// <remarks>The topic is registered as a keyed <see cref="ITopic{T}"/> under <paramref name="name"/>.</remarks>
    public BrokerBuilder AddTopic<T>(string name, Action<TopicBuilder<T>>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var topic = new TopicBuilder<T>(name, Services);
        configure?.Invoke(topic);
        if (_declarations.TopicNames.Add(name))
        {
            Services.AddOptions<TopicOptions>(name).ValidateOnStart();
            Services.TryAddKeyedSingleton<ITopic<T>>(name, static (sp, key) => sp.GetRequiredService<MessageBroker>().GetTopic<T>((string)key!));
        }

        _declarations.Topics.Add(new TopicDeclaration(name, typeof(T), topic.Create));
        return this;
    }

    /// <summary>Adds a hosted consumer: workers that long-poll the queue and hand each message to a <typeparamref name="THandler"/>
    /// resolved in a new scope.</summary>
    /// <typeparam name="THandler">The handler; registered as scoped if it is not registered yet.</typeparam>
    /// <typeparam name="TMessage">The queue's body type.</typeparam>
    /// <param name="queueName">The queue to consume; declare it with <see cref="AddQueue{T}"/>.</param>
    /// <param name="configure">Sets concurrency, batch size, retry back-off and heartbeat; configuration bound with
    /// <see cref="BindConfiguration"/> (<c>Consumers:{queueName}</c>) applies after it, to every consumer of that queue.</param>
    /// <returns>This builder.</returns>
    /// <remarks>Options set in code are checked here; with configuration applied they are checked again when the host starts,
    /// which then fails with an <see cref="OptionsValidationException"/> listing every problem.</remarks>
    public BrokerBuilder AddConsumer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TMessage>(string queueName, Action<ConsumerOptions>? configure = null)
        where THandler : class, IMessageHandler<TMessage>
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var options = new ConsumerOptions();
        configure?.Invoke(options);
        ConsumerOptionsValidator.ThrowIfInvalid(options, nameof(configure));
        Services.TryAddScoped<THandler>();
        Services.AddSingleton<IHostedService>(sp =>
        {
            // A fresh copy per container, so configuration never changes the options another container was built with.
            var configured = new ConsumerOptions();
            configure?.Invoke(configured);
            foreach (IPostConfigureOptions<ConsumerOptions> binding in sp.GetServices<IPostConfigureOptions<ConsumerOptions>>())
            {
                binding.PostConfigure(queueName, configured);
            }

            IReadOnlyList<string> errors = ConsumerOptionsValidator.Validate(configured);
            if (errors.Count > 0)
            {
                throw new OptionsValidationException(queueName, typeof(ConsumerOptions), errors.Select(e => $"Consumer of '{queueName}': {e}"));
            }

            return ActivatorUtilities.CreateInstance<QueueConsumer<THandler, TMessage>>(sp, queueName, configured);
        });
        return this;
    }
}
