using Broker.Queues;

namespace Broker.Hosting.Consumers;

/// <summary>Checks <see cref="ConsumerOptions"/>, reporting every problem at once.</summary>
internal static class ConsumerOptionsValidator
{
    public const int MaxConcurrency = 256;

    public static IReadOnlyList<string> Validate(ConsumerOptions options)
    {
        var errors = new List<string>();
        if (options.Concurrency is < 1 or > MaxConcurrency)
        {
            errors.Add($"{nameof(ConsumerOptions.Concurrency)} is {options.Concurrency}; it must be between 1 and {MaxConcurrency}.");
        }

        if (options.MaxMessages is < 1 or > QueueLimits.MaxReceiveMessages)
        {
            errors.Add($"{nameof(ConsumerOptions.MaxMessages)} is {options.MaxMessages}; it must be between 1 and {QueueLimits.MaxReceiveMessages}.");
        }

        if (options.WaitTime < TimeSpan.Zero || options.WaitTime > QueueLimits.MaxReceiveWaitTime)
        {
            errors.Add($"{nameof(ConsumerOptions.WaitTime)} is {options.WaitTime}; it must be between {TimeSpan.Zero} and {QueueLimits.MaxReceiveWaitTime}.");
        }

        if (options.VisibilityTimeout is { } visibility && (visibility < TimeSpan.FromSeconds(1) || visibility > QueueLimits.MaxVisibilityTimeout))
        {
            errors.Add($"{nameof(ConsumerOptions.VisibilityTimeout)} is {visibility}; it must be between {TimeSpan.FromSeconds(1)} and {QueueLimits.MaxVisibilityTimeout}.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > QueueLimits.MaxVisibilityTimeout)
        {
            errors.Add($"{nameof(ConsumerOptions.RetryDelay)} is {options.RetryDelay}; it must be between {TimeSpan.Zero} and {QueueLimits.MaxVisibilityTimeout}.");
        }

        if (options.MaxRetryDelay < options.RetryDelay || options.MaxRetryDelay > QueueLimits.MaxVisibilityTimeout)
        {
            errors.Add($"{nameof(ConsumerOptions.MaxRetryDelay)} is {options.MaxRetryDelay}; it must be between {nameof(ConsumerOptions.RetryDelay)} ({options.RetryDelay}) and {QueueLimits.MaxVisibilityTimeout}.");
        }

        if (options.HeartbeatInterval is { } heartbeat && heartbeat < TimeSpan.Zero)
        {
            errors.Add($"{nameof(ConsumerOptions.HeartbeatInterval)} is {heartbeat}; it must not be negative.");
        }

        return errors;
    }

    public static void ThrowIfInvalid(ConsumerOptions options, string paramName)
    {
        IReadOnlyList<string> errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid consumer options: " + string.Join(" ", errors), paramName);
        }
    }
}
