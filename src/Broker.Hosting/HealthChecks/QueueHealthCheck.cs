using Broker.Queues;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Broker.Hosting.HealthChecks;

/// <summary>Reports a queue's health from its depth, the age of its oldest message and the size of its dead-letter queue.</summary>
internal sealed class QueueHealthCheck(MessageBroker broker, string queueName, QueueHealthOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IMessageQueue? queue = Find(queueName);
        if (queue is null)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The queue '{queueName}' does not exist.");
        }

        QueueAttributes attributes = await queue.GetAttributesAsync(cancellationToken).ConfigureAwait(false);
        long depth = attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesDelayed;
        long deadLettered = 0;
        if (attributes.Options.RedrivePolicy?.DeadLetterQueueName is { } deadLetterName && Find(deadLetterName) is { } deadLetterQueue)
        {
            QueueAttributes deadLetterAttributes = await deadLetterQueue.GetAttributesAsync(cancellationToken).ConfigureAwait(false);
            deadLettered = deadLetterAttributes.ApproximateNumberOfMessages + deadLetterAttributes.ApproximateNumberOfMessagesNotVisible + deadLetterAttributes.ApproximateNumberOfMessagesDelayed;
        }

        var data = new Dictionary<string, object>
        {
            ["depth"] = depth,
            ["inFlight"] = attributes.ApproximateNumberOfMessagesNotVisible,
            ["oldestMessageAgeSeconds"] = attributes.ApproximateAgeOfOldestMessage.TotalSeconds,
            ["deadLettered"] = deadLettered,
        };

        var problems = new List<string>();
        HealthStatus status = HealthStatus.Healthy;
        status = Check(status, problems, "depth", depth, options.DegradedDepth, options.UnhealthyDepth);
        status = Check(status, problems, "oldest message age", attributes.ApproximateAgeOfOldestMessage, options.DegradedOldestMessageAge, options.UnhealthyOldestMessageAge);
        status = Check(status, problems, "dead-lettered", deadLettered, options.DegradedDeadLetterCount, options.UnhealthyDeadLetterCount);
        if (status == HealthStatus.Unhealthy)
        {
            status = context.Registration.FailureStatus;
        }

        string description = problems.Count == 0 ? $"Queue '{queueName}' is healthy." : $"Queue '{queueName}': {string.Join("; ", problems)}.";
        return new HealthCheckResult(status, description, data: data);
    }

    private IMessageQueue? Find(string name)
    {
        foreach (IMessageQueue queue in broker.ListQueues(name))
        {
            if (queue.Name == name)
            {
                return queue;
            }
        }

        return null;
    }

    // Generic so ages compare as TimeSpans: truncating them to whole seconds made a sub-second threshold zero, which even an
    // empty queue reaches.
    private static HealthStatus Check<TValue>(HealthStatus status, List<string> problems, string what, TValue value, TValue? degraded, TValue? unhealthy)
        where TValue : struct, IComparable<TValue>
    {
        if (unhealthy is { } u && value.CompareTo(u) >= 0)
        {
            problems.Add($"{what} {value} reaches the unhealthy threshold {u}");
            return HealthStatus.Unhealthy;
        }

        if (degraded is { } d && value.CompareTo(d) >= 0)
        {
            problems.Add($"{what} {value} reaches the degraded threshold {d}");
            return status == HealthStatus.Unhealthy ? status : HealthStatus.Degraded;
        }

        return status;
    }
}
