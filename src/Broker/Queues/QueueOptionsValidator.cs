namespace Broker.Queues;

/// <summary>Checks <see cref="QueueOptions"/> against the documented ranges, reporting every problem at once.</summary>
public static class QueueOptionsValidator
{
    /// <summary>Validates the options.</summary>
    /// <param name="options">The options to check.</param>
    /// <returns>One message per invalid setting, each naming the setting and its allowed range; empty when all are valid.</returns>
    public static IReadOnlyList<string> Validate(QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
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
            string? nameError = QueueNames.Validate(redrive.DeadLetterQueueName);
            if (nameError is not null)
            {
                errors.Add($"{nameof(QueueOptions.RedrivePolicy)}.{nameof(RedrivePolicy.DeadLetterQueueName)}: {nameError}");
            }

            if (redrive.MaxReceiveCount is < 1 or > QueueLimits.MaxMaxReceiveCount)
            {
                errors.Add($"{nameof(QueueOptions.RedrivePolicy)}.{nameof(RedrivePolicy.MaxReceiveCount)} is {redrive.MaxReceiveCount}; it must be between 1 and {QueueLimits.MaxMaxReceiveCount}.");
            }
        }

        return errors;
    }

    internal static void ThrowIfInvalid(QueueOptions options, string paramName)
    {
        IReadOnlyList<string> errors = Validate(options);
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
