using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Broker.Diagnostics;
using Broker.Hosting.Consumers;
using Broker.Messages;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.Diagnostics;

public sealed class TelemetryTests
{
    private static readonly ActivitySource s_testSource = new("Broker.Hosting.Tests");

    [Fact]
    public async Task PublishThroughTopicQueueAndConsumer_ProducesOneConnectedTraceAndMetrics()
    {
        var activities = new ConcurrentBag<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is BrokerTelemetry.ActivitySourceName or "Broker.Hosting.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(activityListener);
        var measurements = new ConcurrentBag<(string Instrument, double Value, string? Destination, string? Protocol)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == BrokerTelemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Tag(tags, "messaging.destination.name"), Tag(tags, "broker.subscription.protocol"))));
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Tag(tags, "messaging.destination.name"), null)));
        meterListener.Start();

        var handled = new TaskCompletionSource<ReceivedMessage<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IHost host = TestHost.Build(
            b => b
                .AddQueue<string>("telemetry-orders")
                .AddTopic<string>("telemetry-ready", t => t.SubscribeQueue("telemetry-orders"))
                .AddConsumer<CompletingHandler, string>("telemetry-orders", c => c.WaitTime = TimeSpan.FromSeconds(1)),
            services: s => s.AddSingleton(handled));
        await host.StartAsync();
        var topic = host.Services.GetRequiredKeyedService<ITopic<string>>("telemetry-ready");

        ActivityTraceId traceId;
        using (Activity root = s_testSource.StartActivity("checkout")!)
        {
            traceId = root.TraceId;
            await topic.PublishAsync("flat white");
        }

        ReceivedMessage<string> message = await handled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await TestHost.WaitUntilAsync(() => activities.Any(a => a.DisplayName == "process telemetry-orders"), "the process span has ended");
        await TestHost.WaitUntilAsync(() => measurements.Any(m => m.Instrument == "messaging.process.duration" && m.Destination == "telemetry-orders"), "the handler duration is recorded");
        meterListener.RecordObservableInstruments();
        await host.StopAsync();

        message.TraceParent.Should().Contain(traceId.ToHexString());
        activities.Should().Contain(a => a.DisplayName == "publish telemetry-ready" && a.Kind == ActivityKind.Producer && a.TraceId == traceId);
        activities.Should().Contain(a => a.DisplayName == "send telemetry-orders" && a.TraceId == traceId);
        activities.Should().Contain(a => a.DisplayName == "process telemetry-orders" && a.Kind == ActivityKind.Consumer && a.TraceId == traceId);
        activities.Should().Contain(a => a.DisplayName == "receive telemetry-orders" && a.Links.Any(l => l.Context.TraceId == traceId));
        measurements.Should().Contain(m => m.Instrument == "messaging.client.sent.messages" && m.Destination == "telemetry-ready");
        measurements.Should().Contain(m => m.Instrument == "messaging.client.sent.messages" && m.Destination == "telemetry-orders");
        measurements.Should().Contain(m => m.Instrument == "messaging.client.consumed.messages" && m.Destination == "telemetry-orders");
        measurements.Should().Contain(m => m.Instrument == "broker.messages.deleted" && m.Destination == "telemetry-orders");
        measurements.Should().Contain(m => m.Instrument == "broker.deliveries" && m.Destination == "telemetry-ready" && m.Protocol == "queue");
        measurements.Should().Contain(m => m.Instrument == "broker.queue.messages" && m.Destination == "telemetry-orders");
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    internal sealed class CompletingHandler(TaskCompletionSource<ReceivedMessage<string>> handled) : IMessageHandler<string>
    {
        public ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            handled.TrySetResult(message);
            return ValueTask.CompletedTask;
        }
    }
}
