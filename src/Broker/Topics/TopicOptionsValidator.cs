using Broker.Queues;

namespace Broker.Topics;

/// <summary>Checks a topic's name and <see cref="TopicOptions"/>, reporting every problem at once.</summary>
public static class TopicOptionsValidator
{
    /// <summary>Validates a topic's name and options.</summary>
    /// <param name="topicName">The topic's name; a name ending in <c>.fifo</c> makes a FIFO topic.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>One message per problem, each naming the setting and its allowed range; empty when all are valid.</returns>
    public static IReadOnlyList<string> Validate(string topicName, TopicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (TopicNames.Validate(topicName) is { } nameError)
        {
            errors.Add(nameError);
        }

        bool fifo = topicName is not null && QueueNames.IsFifo(topicName);
        if (options.MaximumMessageSize < TopicLimits.MinMaximumMessageSize)
        {
            errors.Add($"{nameof(TopicOptions.MaximumMessageSize)} is {options.MaximumMessageSize}; it must be between {TopicLimits.MinMaximumMessageSize} and {int.MaxValue} bytes.");
        }

        if (!fifo && options.ContentBasedDeduplication)
        {
            errors.Add($"{nameof(TopicOptions.ContentBasedDeduplication)} applies to FIFO topics only (names ending in '{QueueNames.FifoSuffix}').");
        }

        if (!Enum.IsDefined(options.DeduplicationScope) || (!fifo && options.DeduplicationScope != DeduplicationScope.Queue))
        {
            errors.Add($"{nameof(TopicOptions.DeduplicationScope)} is {options.DeduplicationScope}; only FIFO topics may set it, to {nameof(DeduplicationScope.Queue)} or {nameof(DeduplicationScope.MessageGroup)}.");
        }

        return errors;
    }

    internal static void ThrowIfInvalid(string topicName, TopicOptions options, string paramName)
    {
        IReadOnlyList<string> errors = Validate(topicName, options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid topic options: " + string.Join(" ", errors), paramName);
        }
    }
}
