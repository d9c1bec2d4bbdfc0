namespace Broker.Diagnostics;

/// <summary>What the queue gauges read from a queue.</summary>
internal interface IQueueGaugeSource
{
    string Name { get; }

    (long Visible, long InFlight, long Delayed) Counts { get; }

    TimeSpan AgeOfOldestMessage { get; }
}
