using Broker;
using Broker.Hosting.DependencyInjection;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Broker in a service collection.</summary>
public static class BrokerServiceCollectionExtensions
{
    /// <summary>Adds the <see cref="MessageBroker"/> singleton and declares queues, topics and consumers.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Declares queues, topics, subscriptions and consumers; may be called again by later <c>AddBroker</c> calls.</param>
    /// <returns>The builder, for further declarations.</returns>
    /// <remarks>Calling <c>AddBroker</c> more than once is harmless: the broker is registered once and declarations accumulate.
    /// The broker takes its <see cref="TimeProvider"/> from the container when one is registered. Every declared queue and topic is
    /// created, and its options validated, when the host starts.</remarks>
    public static BrokerBuilder AddBroker(this IServiceCollection services, Action<BrokerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        BrokerDeclarations declarations = GetOrAddDeclarations(services);
        services.AddOptions();
        services.TryAddSingleton(static sp => CreateBroker(sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueOptions>, QueueOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TopicOptions>, TopicOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BrokerStartup>());
        var builder = new BrokerBuilder(services, declarations);
        configure?.Invoke(builder);
        return builder;
    }

    private static BrokerDeclarations GetOrAddDeclarations(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(BrokerDeclarations) && descriptor.ImplementationInstance is BrokerDeclarations existing)
            {
                return existing;
            }
        }

        var declarations = new BrokerDeclarations();
        services.AddSingleton(declarations);
        return declarations;
    }

    private static MessageBroker CreateBroker(IServiceProvider services)
    {
        BrokerOptions configured = services.GetRequiredService<IOptions<BrokerOptions>>().Value;
        var broker = new MessageBroker(new BrokerOptions
        {
            TimeProvider = configured.TimeProvider ?? services.GetService<TimeProvider>(),
            JsonSerializerOptions = configured.JsonSerializerOptions,
            LoggerFactory = configured.LoggerFactory ?? services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(),
        });
        var declarations = services.GetRequiredService<BrokerDeclarations>();
        var queueOptions = services.GetRequiredService<IOptionsMonitor<QueueOptions>>();
        var topicOptions = services.GetRequiredService<IOptionsMonitor<TopicOptions>>();
        try
        {
            // Dead-letter queues must exist before the queues that name them, and queues before the topics that deliver to them.
            foreach (QueueDeclaration queue in OrderByDeadLetterDependencies(declarations.Queues, queueOptions))
            {
                queue.Create(broker, queueOptions.Get(queue.Name));
            }

            foreach (TopicDeclaration topic in declarations.Topics)
            {
                topic.Create(broker, topicOptions.Get(topic.Name), services);
            }
        }
        catch
        {
            broker.Dispose();
            throw;
        }

        return broker;
    }

    private static List<QueueDeclaration> OrderByDeadLetterDependencies(List<QueueDeclaration> queues, IOptionsMonitor<QueueOptions> options)
    {
        var byName = new Dictionary<string, QueueDeclaration>(StringComparer.Ordinal);
        foreach (QueueDeclaration queue in queues)
        {
            byName.TryAdd(queue.Name, queue);
        }

        var ordered = new List<QueueDeclaration>(byName.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (QueueDeclaration queue in byName.Values)
        {
            Place(queue, 0);
        }

        return ordered;

        void Place(QueueDeclaration queue, int depth)
        {
            if (placed.Contains(queue.Name) || depth > byName.Count)
            {
                return;
            }

            if (options.Get(queue.Name).RedrivePolicy?.DeadLetterQueueName is { } target && byName.TryGetValue(target, out QueueDeclaration? deadLetter))
            {
                Place(deadLetter, depth + 1);
            }

            if (placed.Add(queue.Name))
            {
                ordered.Add(queue);
            }
        }
    }
}
