namespace Broker.Topics;

/// <summary>What the broker needs from an in-memory topic whatever its body type.</summary>
internal interface IInMemoryTopic : ITopic
{
    TopicOptions Options { get; }

    /// <summary>Removes every subscription; the task completes when none of their deliveries runs any more.</summary>
    Task DeleteAsync();
}
