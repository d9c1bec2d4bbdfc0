namespace Broker.Hosting.Consumers;

/// <summary>The settings of a hosted queue consumer.</summary>
public sealed class ConsumerOptions
{
    /// <summary>Gets or sets how many workers receive and handle messages at once.</summary>
    /// <value>The default is 1; the allowed range is 1 to 256.</value>
    public int Concurrency { get; set; } = 1;

    /// <summary>Gets or sets how many messages a worker receives at once and handles one after another.</summary>
    /// <value>The default is 1; the allowed range is 1 to 10.</value>
    public int MaxMessages { get; set; } = 1;

    /// <summary>Gets or sets how long a worker's receive waits for messages.</summary>
    /// <value>The default is 20 seconds; the allowed range is 0 to 20 seconds.</value>
    public TimeSpan WaitTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets the visibility timeout of the consumer's receives.</summary>
    /// <value>The default is <see langword="null"/>: the queue's. The allowed range is 1 second to 12 hours.</value>
    public TimeSpan? VisibilityTimeout { get; set; }

    /// <summary>Gets or sets how long a message whose handler threw stays hidden before its first retry.</summary>
    /// <value>The default is 1 second; each further failure of the same message doubles it, up to <see cref="MaxRetryDelay"/>.
    /// The allowed range is 0 to 12 hours.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest retry delay.</summary>
    /// <value>The default is 5 minutes; the allowed range is <see cref="RetryDelay"/> to 12 hours.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how often a running handler's message has its visibility extended, so a slow but alive handler keeps it.</summary>
    /// <value>The default is <see langword="null"/>: half the visibility timeout. <see cref="TimeSpan.Zero"/> turns the heartbeat off.</value>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>Gets or sets a value indicating whether one DI scope (and handler) serves a whole received batch instead of each message.</summary>
    /// <value>The default is <see langword="false"/>: a new scope per message.</value>
    public bool ScopePerBatch { get; set; }
}
