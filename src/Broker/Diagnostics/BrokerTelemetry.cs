namespace Broker.Diagnostics;

/// <summary>The names under which Broker reports metrics and traces, for OpenTelemetry or a <c>MeterListener</c>/<c>ActivityListener</c>.</summary>
/// <remarks>
/// Metrics follow the OpenTelemetry messaging conventions where they apply: <c>messaging.client.sent.messages</c>,
/// <c>messaging.client.consumed.messages</c> and <c>messaging.process.duration</c> (seconds), tagged with <c>messaging.system</c>
/// (<c>broker</c>), <c>messaging.destination.name</c> and <c>messaging.operation.name</c>. Broker-specific counters are
/// <c>broker.messages.deleted</c>, <c>broker.messages.redelivered</c>, <c>broker.messages.dead_lettered</c>, <c>broker.messages.expired</c>,
/// <c>broker.messages.purged</c>, <c>broker.deliveries</c> and <c>broker.delivery.failures</c> (tagged with
/// <c>broker.subscription.protocol</c>); gauges are <c>broker.queue.messages</c> (tagged <c>broker.queue.state</c> = visible,
/// in_flight or delayed) and <c>broker.queue.oldest_message.age</c> (seconds).
/// Traces: <c>send</c>, <c>publish</c> and <c>deliver</c> spans (producer), <c>receive</c> spans (client) linked to the messages'
/// send spans, and <c>process</c> spans (consumer) of hosted consumers parented to the send; each carries
/// <c>messaging.operation.type</c> (<c>send</c>, <c>receive</c> or <c>process</c>). The W3C trace context travels with each message, across topic
/// and queue hops.
/// </remarks>
public static class BrokerTelemetry
{
    /// <summary>The name of Broker's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Broker";

    /// <summary>The name of Broker's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Broker";
}
