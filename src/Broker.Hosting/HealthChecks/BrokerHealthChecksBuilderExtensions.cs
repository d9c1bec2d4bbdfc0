using Broker;
using Broker.Hosting.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Broker queue health checks.</summary>
public static class BrokerHealthChecksBuilderExtensions
{
    /// <summary>Adds a health check on a queue's depth, oldest message age and dead-letter count.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="queueName">The queue to check.</param>
    /// <param name="configure">Sets the thresholds; a check with no thresholds only reports whether the queue exists.</param>
    /// <param name="failureStatus">The status for an unhealthy queue; <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">A threshold is below its minimum (1 message, or a positive age), or a degraded threshold
    /// exceeds its unhealthy one; the message lists every problem.</exception>
    public static IHealthChecksBuilder AddBrokerQueue(
        this IHealthChecksBuilder builder,
        string queueName,
        Action<QueueHealthOptions>? configure = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var options = new QueueHealthOptions();
        configure?.Invoke(options);
        QueueHealthOptionsValidator.ThrowIfInvalid(options, nameof(configure));
        return builder.Add(new HealthCheckRegistration(
            $"broker-queue-{queueName}",
            sp => new QueueHealthCheck(sp.GetRequiredService<MessageBroker>(), queueName, options),
            failureStatus,
            tags));
    }
}
