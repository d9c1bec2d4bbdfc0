namespace Broker.Topics;

/// <summary>How a subscription retries a failed delivery, following the phases of an SNS delivery policy: immediate retries,
/// retries at the minimum delay, back-off retries growing from the minimum to the maximum delay, then retries at the maximum delay.</summary>
/// <remarks>The back-off phase has <see cref="NumRetries"/> minus the other phases' retries. Delays are exact (no jitter) and are
/// measured with the broker's <see cref="TimeProvider"/>. When every retry has failed, the message goes to the subscription's
/// dead-letter queue, if it has one.</remarks>
public sealed class DeliveryPolicy
{
    /// <summary>The most retries a policy may have: 100.</summary>
    public const int MaxRetries = 100;

    /// <summary>The longest delay a policy may set: 1 hour.</summary>
    public static readonly TimeSpan MaxDelayLimit = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the total number of retries after the first attempt, over all phases.</summary>
    /// <value>The default is 3; the allowed range is 0 to 100.</value>
    public int NumRetries { get; set; } = 3;

    /// <summary>Gets or sets how many retries happen at once, without delay.</summary>
    /// <value>The default is 0.</value>
    public int NumNoDelayRetries { get; set; }

    /// <summary>Gets or sets how many retries wait <see cref="MinDelay"/> before the back-off phase.</summary>
    /// <value>The default is 0.</value>
    public int NumMinDelayRetries { get; set; }

    /// <summary>Gets or sets how many retries wait <see cref="MaxDelay"/> after the back-off phase.</summary>
    /// <value>The default is 0.</value>
    public int NumMaxDelayRetries { get; set; }

    /// <summary>Gets or sets the shortest delay between attempts.</summary>
    /// <value>The default is 1 second; the allowed range is 0 to <see cref="MaxDelay"/>.</value>
    public TimeSpan MinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between attempts.</summary>
    /// <value>The default is 20 seconds; the allowed range is <see cref="MinDelay"/> to 1 hour.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how delays grow in the back-off phase.</summary>
    /// <value>The default is <see cref="BackoffFunction.Exponential"/>.</value>
    public BackoffFunction BackoffFunction { get; set; } = BackoffFunction.Exponential;

    /// <summary>Gets or sets the most deliveries per second to this subscription; <see langword="null"/> for no limit.</summary>
    /// <value>The default is <see langword="null"/>; when set, at least 1. Messages above the rate wait their turn.</value>
    public int? MaxReceivesPerSecond { get; set; }

    /// <summary>Gets the delay before a retry.</summary>
    /// <param name="retry">The retry number, from 1 to <see cref="NumRetries"/>.</param>
    /// <returns>How long to wait before that retry.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retry"/> is outside 1 to <see cref="NumRetries"/>.</exception>
    public TimeSpan GetDelay(int retry)
    {
        if (retry < 1 || retry > NumRetries)
        {
            throw new ArgumentOutOfRangeException(nameof(retry), retry, $"retry must be between 1 and {NumRetries}.");
        }

        if (retry <= NumNoDelayRetries)
        {
            return TimeSpan.Zero;
        }

        retry -= NumNoDelayRetries;
        if (retry <= NumMinDelayRetries)
        {
            return MinDelay;
        }

        retry -= NumMinDelayRetries;
        int backoffRetries = NumRetries - NumNoDelayRetries - NumMinDelayRetries - NumMaxDelayRetries;
        if (retry > backoffRetries)
        {
            return MaxDelay;
        }

        double x = (double)retry / backoffRetries;
        double min = MinDelay.Ticks;
        double max = MaxDelay.Ticks;
        double ticks = BackoffFunction switch
        {
            BackoffFunction.Linear => min + ((max - min) * x),
            BackoffFunction.Arithmetic => min + ((max - min) * x * x),
            BackoffFunction.Geometric => min + ((max - min) * (Math.Pow(2, retry) - 1) / (Math.Pow(2, backoffRetries) - 1)),
            _ => min <= 0 ? max * x : min * Math.Pow(max / min, x),
        };

        return TimeSpan.FromTicks((long)Math.Round(ticks));
    }

    /// <summary>Checks the policy, reporting every problem at once.</summary>
    /// <returns>One message per problem; empty when the policy is valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (NumRetries is < 0 or > MaxRetries)
        {
            errors.Add($"{nameof(NumRetries)} is {NumRetries}; it must be between 0 and {MaxRetries}.");
        }

        if (NumNoDelayRetries < 0 || NumMinDelayRetries < 0 || NumMaxDelayRetries < 0)
        {
            errors.Add($"{nameof(NumNoDelayRetries)}, {nameof(NumMinDelayRetries)} and {nameof(NumMaxDelayRetries)} must not be negative.");
        }
        else if (NumNoDelayRetries + NumMinDelayRetries + NumMaxDelayRetries > NumRetries)
        {
            errors.Add($"{nameof(NumNoDelayRetries)} + {nameof(NumMinDelayRetries)} + {nameof(NumMaxDelayRetries)} is {NumNoDelayRetries + NumMinDelayRetries + NumMaxDelayRetries}; it must not exceed {nameof(NumRetries)} ({NumRetries}).");
        }

        if (MinDelay < TimeSpan.Zero || MinDelay > MaxDelay)
        {
            errors.Add($"{nameof(MinDelay)} is {MinDelay}; it must be between {TimeSpan.Zero} and {nameof(MaxDelay)} ({MaxDelay}).");
        }

        if (MaxDelay > MaxDelayLimit)
        {
            errors.Add($"{nameof(MaxDelay)} is {MaxDelay}; it must be at most {MaxDelayLimit}.");
        }

        if (!Enum.IsDefined(BackoffFunction))
        {
            errors.Add($"{nameof(BackoffFunction)} is {BackoffFunction}; it must be one of {string.Join(", ", Enum.GetNames<BackoffFunction>())}.");
        }

        if (MaxReceivesPerSecond is < 1)
        {
            errors.Add($"{nameof(MaxReceivesPerSecond)} is {MaxReceivesPerSecond}; it must be at least 1, or null for no limit.");
        }

        return errors;
    }

    internal DeliveryPolicy Clone() => (DeliveryPolicy)MemberwiseClone();
}
