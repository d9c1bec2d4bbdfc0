namespace Broker.Queues;

/// <summary>A snapshot of a queue's settings and message counts.</summary>
/// <remarks>In-process the counts are exact once concurrent operations settle. While a message changes state, it leaves one count
/// an instant before it joins the next, and the counts are read one after another, so a read during heavy traffic can be off by the
/// messages changing state at that moment.</remarks>
public sealed class QueueAttributes
{
    internal QueueAttributes(string name, QueueOptions options, DateTimeOffset createdTimestamp, long visible, long inFlight, long delayed, TimeSpan ageOfOldestMessage)
    {
        ApproximateAgeOfOldestMessage = ageOfOldestMessage;
        Name = name;
        Options = options;
        CreatedTimestamp = createdTimestamp;
        ApproximateNumberOfMessages = visible;
        ApproximateNumberOfMessagesNotVisible = inFlight;
        ApproximateNumberOfMessagesDelayed = delayed;
    }

    /// <summary>Gets the queue's name.</summary>
    public string Name { get; }

    /// <summary>Gets a copy of the queue's settings.</summary>
    public QueueOptions Options { get; }

    /// <summary>Gets when the queue was created.</summary>
    public DateTimeOffset CreatedTimestamp { get; }

    /// <summary>Gets the number of messages that can be received now.</summary>
    public long ApproximateNumberOfMessages { get; }

    /// <summary>Gets the number of messages in flight: received and neither deleted nor visible again.</summary>
    public long ApproximateNumberOfMessagesNotVisible { get; }

    /// <summary>Gets how long the oldest stored message (visible, in flight or delayed) has been in the queue; zero when the queue is empty.</summary>
    /// <remarks>Reading it walks the queue's timer structure, O(n) in stored messages: fine for health checks and gauges, not for hot loops.
    /// A message moved to a standard dead-letter queue counts from its original send, one moved to a FIFO dead-letter queue from the move.</remarks>
    public TimeSpan ApproximateAgeOfOldestMessage { get; }

    /// <summary>Gets the number of messages still in their delivery delay.</summary>
    public long ApproximateNumberOfMessagesDelayed { get; }
}
