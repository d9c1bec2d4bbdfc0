using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Broker.Diagnostics;

/// <summary>Broker's meter, activity source and instruments. Every recording checks <c>Enabled</c> first, so an application
/// that listens to nothing pays a field read per event.</summary>
internal static class BrokerDiagnostics
{
    public const string System = "broker";

    public static readonly ActivitySource Source = new(BrokerTelemetry.ActivitySourceName, typeof(BrokerDiagnostics).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(BrokerTelemetry.MeterName, typeof(BrokerDiagnostics).Assembly.GetName().Version?.ToString());

    private static readonly ConcurrentDictionary<IQueueGaugeSource, byte> s_queues = new();

    private static readonly Counter<long> s_sent = Meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Messages sent to queues and published to topics.");
    private static readonly Counter<long> s_consumed = Meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Messages handed to receivers.");
    private static readonly Counter<long> s_deleted = Meter.CreateCounter<long>("broker.messages.deleted", "{message}", "Messages deleted by receipt handle.");
    private static readonly Counter<long> s_redelivered = Meter.CreateCounter<long>("broker.messages.redelivered", "{message}", "Messages visible again because their visibility timeout lapsed.");
    private static readonly Counter<long> s_deadLettered = Meter.CreateCounter<long>("broker.messages.dead_lettered", "{message}", "Messages moved to a dead-letter queue.");
    private static readonly Counter<long> s_expired = Meter.CreateCounter<long>("broker.messages.expired", "{message}", "Messages deleted by the retention period.");
    private static readonly Counter<long> s_purged = Meter.CreateCounter<long>("broker.messages.purged", "{message}", "Messages deleted by purges.");
    private static readonly Counter<long> s_deliveries = Meter.CreateCounter<long>("broker.deliveries", "{delivery}", "Topic messages delivered to subscriptions.");
    private static readonly Counter<long> s_deliveryFailures = Meter.CreateCounter<long>("broker.delivery.failures", "{attempt}", "Failed delivery attempts to subscriptions.");

    static BrokerDiagnostics()
    {
        Meter.CreateObservableGauge("broker.queue.messages", ObserveDepths, "{message}", "Messages stored in each queue, by state.");
        Meter.CreateObservableGauge("broker.queue.oldest_message.age", ObserveOldestAges, "s", "Age of the oldest message stored in each queue.");
    }

    public static Histogram<double> ProcessDuration { get; } = Meter.CreateHistogram<double>(
        "messaging.process.duration", "s", "Duration of hosted consumers' handlers.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30] });

    public static void Register(IQueueGaugeSource queue) => s_queues.TryAdd(queue, 0);

    public static void Unregister(IQueueGaugeSource queue) => s_queues.TryRemove(queue, out _);

    public static void Sent(string destination, string operation, long count = 1)
    {
        if (s_sent.Enabled)
        {
            s_sent.Add(count, Tags(destination, operation));
        }
    }

    public static void Consumed(string queue, long count)
    {
        if (s_consumed.Enabled)
        {
            s_consumed.Add(count, Tags(queue, "receive"));
        }
    }

    public static void Deleted(string queue)
    {
        if (s_deleted.Enabled)
        {
            s_deleted.Add(1, Tags(queue, "delete"));
        }
    }

    public static void Redelivered(string queue)
    {
        if (s_redelivered.Enabled)
        {
            s_redelivered.Add(1, Tags(queue, "redeliver"));
        }
    }

    public static void DeadLettered(string source, long count = 1)
    {
        if (s_deadLettered.Enabled)
        {
            s_deadLettered.Add(count, Tags(source, "dead_letter"));
        }
    }

    /// <summary>A subscription's failed delivery sent to its dead-letter queue; the topic is the source.</summary>
    public static void SubscriptionDeadLettered(string topic, string protocol)
    {
        if (s_deadLettered.Enabled)
        {
            s_deadLettered.Add(1, SubscriptionTags(topic, "dead_letter", protocol));
        }
    }

    public static void Expired(string queue)
    {
        if (s_expired.Enabled)
        {
            s_expired.Add(1, Tags(queue, "expire"));
        }
    }

    public static void Purged(string queue, long count)
    {
        if (s_purged.Enabled)
        {
            s_purged.Add(count, Tags(queue, "purge"));
        }
    }

    public static void Delivered(string topic, string protocol, long count = 1)
    {
        if (s_deliveries.Enabled)
        {
            s_deliveries.Add(count, SubscriptionTags(topic, "deliver", protocol));
        }
    }

    public static void DeliveryFailed(string topic, string protocol)
    {
        if (s_deliveryFailures.Enabled)
        {
            s_deliveryFailures.Add(1, SubscriptionTags(topic, "deliver", protocol));
        }
    }

    /// <summary>Starts a span if anyone listens, parented to <paramref name="parent"/> (a W3C traceparent) when given.</summary>
    public static Activity? StartActivity(string operation, string destination, ActivityKind kind, string? parent = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(parent, null, out ActivityContext parentContext);
        Activity? activity = Source.StartActivity($"{operation} {destination}", kind, parentContext);
        SetMessagingTags(activity, operation, destination);
        return activity;
    }

    /// <summary>Tags a span with the OpenTelemetry messaging attributes every Broker span carries, when its data is recorded.</summary>
    public static void SetMessagingTags(Activity? activity, string operation, string destination)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", System);
            activity.SetTag("messaging.destination.name", destination);
            activity.SetTag("messaging.operation.name", operation);
            activity.SetTag("messaging.operation.type", OperationType(operation));
        }
    }

    /// <summary>The OpenTelemetry messaging operation type of one of Broker's operation names: publishing to a topic and a
    /// topic's delivery to a subscriber both send.</summary>
    private static string OperationType(string operation) => operation switch
    {
        "receive" => "receive",
        "process" => "process",
        _ => "send",
    };

    /// <summary>The W3C traceparent of the current span, to travel with a message; <see langword="null"/> when there is none.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    private static TagList Tags(string destination, string operation) => new()
    {
        { "messaging.system", System },
        { "messaging.destination.name", destination },
        { "messaging.operation.name", operation },
    };

    private static TagList SubscriptionTags(string topic, string operation, string protocol)
    {
        TagList tags = Tags(topic, operation);
        tags.Add("broker.subscription.protocol", protocol);
        return tags;
    }

    private static IEnumerable<Measurement<long>> ObserveDepths()
    {
        foreach (IQueueGaugeSource queue in s_queues.Keys)
        {
            (long visible, long inFlight, long delayed) = queue.Counts;
            yield return new Measurement<long>(visible, new("messaging.destination.name", queue.Name), new("broker.queue.state", "visible"));
            yield return new Measurement<long>(inFlight, new("messaging.destination.name", queue.Name), new("broker.queue.state", "in_flight"));
            yield return new Measurement<long>(delayed, new("messaging.destination.name", queue.Name), new("broker.queue.state", "delayed"));
        }
    }

    private static IEnumerable<Measurement<double>> ObserveOldestAges()
    {
        foreach (IQueueGaugeSource queue in s_queues.Keys)
        {
            yield return new Measurement<double>(queue.AgeOfOldestMessage.TotalSeconds, new KeyValuePair<string, object?>("messaging.destination.name", queue.Name));
        }
    }
}
