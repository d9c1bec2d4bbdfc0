namespace Broker.Queues;

/// <summary>Checks <see cref="QueueOptions"/> against the documented ranges, reporting every problem at once.</summary>
public static class QueueOptionsValidator
{
    /// <summary>Validates a queue's name and options.</summary>
    /// <param name="queueName">The queue's name; a name ending in <c>.fifo</c> makes a FIFO queue.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>One message per invalid setting, each naming the setting and its allowed range; empty when all are valid.</returns>
    public static IReadOnlyList<string> Validate(string queueName, QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        string? nameError = QueueNames.Validate(queueName);
        if (nameError is not null)
        {
            errors.Add(nameError);
        }

        bool fifo = queueName is not null && QueueNames.IsFifo(queueName);
        if (!fifo && options.ContentBasedDeduplication)
        {
            errors.Add($"{nameof(QueueOptions.ContentBasedDeduplication)} applies to FIFO queues only (names ending in '{QueueNames.FifoSuffix}').");
        }

        if (!Enum.IsDefined(options.DeduplicationScope))
        {
            errors.Add($"{nameof(QueueOptions.DeduplicationScope)} is {options.DeduplicationScope}; it must be {nameof(DeduplicationScope.Queue)} or {nameof(DeduplicationScope.MessageGroup)}.");
        }
        else if (!fifo && options.DeduplicationScope != DeduplicationScope.Queue)
        {
            errors.Add($"{nameof(QueueOptions.DeduplicationScope)} applies to FIFO queues only (names ending in '{QueueNames.FifoSuffix}').");
        }

        CheckRange(errors, nameof(QueueOptions.VisibilityTimeout), options.VisibilityTimeout, TimeSpan.Zero, QueueLimits.MaxVisibilityTimeout);
        CheckRange(errors, nameof(QueueOptions.DeliveryDelay), options.DeliveryDelay, TimeSpan.Zero, QueueLimits.MaxDeliveryDelay);
        CheckRange(errors, nameof(QueueOptions.MessageRetentionPeriod), options.MessageRetentionPeriod, QueueLimits.MinRetentionPeriod, QueueLimits.MaxRetentionPeriod);
        CheckRange(errors, nameof(QueueOptions.ReceiveWaitTime), options.ReceiveWaitTime, TimeSpan.Zero, QueueLimits.MaxReceiveWaitTime);
        if (options.MaximumMessageSize < QueueLimits.MinMaximumMessageSize)
        {
            errors.Add($"{nameof(QueueOptions.MaximumMessageSize)} is {options.MaximumMessageSize}; it must be between {QueueLimits.MinMaximumMessageSize} and {int.MaxValue} bytes.");
        }

        if (options.Capacity is < 1)
        {
            errors.Add($"{nameof(QueueOptions.Capacity)} is {options.Capacity}; it must be at least 1, or null for an unbounded queue.");
        }

        if (!Enum.IsDefined(options.FullMode))
        {
            errors.Add($"{nameof(QueueOptions.FullMode)} is {options.FullMode}; it must be {nameof(QueueFullMode.Wait)} or {nameof(QueueFullMode.Fail)}.");
        }

        if (options.RedrivePolicy is { } redrive)
        {
            string? deadLetterNameError = QueueNames.Validate(redrive.DeadLetterQueueName);
            if (deadLetterNameError is not null)
            {
                errors.Add($"{nameof(QueueOptions.RedrivePolicy)}.{nameof(RedrivePolicy.DeadLetterQueueName)}: {deadLetterNameError}");
            }
            else if (redrive.DeadLetterQueueName == queueName)
            {
                errors.Add($"{nameof(QueueOptions.RedrivePolicy)}.{nameof(RedrivePolicy.DeadLetterQueueName)}: the queue '{queueName}' cannot be its own dead-letter queue.");
            }
            else if (fifo != QueueNames.IsFifo(redrive.DeadLetterQueueName))
            {
                errors.Add($"{nameof(QueueOptions.RedrivePolicy)}.{nameof(RedrivePolicy.DeadLetterQueueName)}: the dead-letter queue of a {(fifo ? "FIFO" : "standard")} queue must be a {(fifo ? "FIFO" : "standard")} queue.");
            }

            if (redrive.MaxReceiveCount is < 1 or > QueueLimits.MaxMaxReceiveCount)
            {
                errors.Add($"{nameof(QueueOptions.RedrivePolicy)}.{nameof(RedrivePolicy.MaxReceiveCount)} is {redrive.MaxReceiveCount}; it must be between 1 and {QueueLimits.MaxMaxReceiveCount}.");
            }
        }

        return errors;
    }

    internal static void ThrowIfInvalid(string queueName, QueueOptions options, string paramName)
    {
        IReadOnlyList<string> errors = Validate(queueName, options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid queue options: " + string.Join(" ", errors), paramName);
        }
    }

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
