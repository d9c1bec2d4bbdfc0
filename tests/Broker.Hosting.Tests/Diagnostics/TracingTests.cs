using System.Collections.Concurrent;
using System.Diagnostics;
using Broker.Diagnostics;
using Broker.Hosting.Consumers;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.Diagnostics;

public sealed class TracingTests : IDisposable
{
    private const string TestSourceName = "Broker.Hosting.Tests.Tracing";
    private static readonly ActivitySource s_testSource = new(TestSourceName);
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is BrokerTelemetry.ActivitySourceName or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => _stopped.Enqueue(a),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task PublishToQueueConsumedByHost_ParentChainLeadsFromProcessBackToTheCaller()
    {
        var handled = new ConcurrentQueue<string>();
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("trace-chain-orders")
                .AddTopic<string>("trace-chain-ready", t => t.SubscribeQueue("trace-chain-orders"))
                .AddConsumer<NoteHandler, string>("trace-chain-orders"),
            services: s => s.AddSingleton(handled));
        await host.StartAsync();
        ITopic<string> topic = host.Services.GetRequiredKeyedService<ITopic<string>>("trace-chain-ready");

        Activity root = s_testSource.StartActivity("checkout")!;
        await topic.PublishAsync("flat white");
        root.Stop();
        await TestHost.WaitUntilAsync(() => Named("process trace-chain-orders").Count > 0, "the process span has ended");
        await host.StopAsync();

        Activity process = Named("process trace-chain-orders").Single();
        Activity send = Named("send trace-chain-orders").Single();
        Activity publish = Named("publish trace-chain-ready").Single();
        process.Kind.Should().Be(ActivityKind.Consumer);
        process.ParentSpanId.Should().Be(send.SpanId, "the consumer's span is parented to the send that put the message in its queue");
        Ancestors(send).Should().Contain(publish.SpanId, "the send into the queue happened on behalf of the publish");
        publish.ParentSpanId.Should().Be(root.SpanId);
        new[] { process, send, publish }.Should().OnlyContain(a => a.TraceId == root.TraceId);
        process.GetTagItem("messaging.system").Should().Be("broker");
        process.GetTagItem("messaging.destination.name").Should().Be("trace-chain-orders");
        process.GetTagItem("messaging.operation.name").Should().Be("process");
        process.GetTagItem("messaging.operation.type").Should().Be("process");
        send.GetTagItem("messaging.operation.type").Should().Be("send");
        publish.GetTagItem("messaging.operation.type").Should().Be("send");
        Activity receive = Named("receive trace-chain-orders").First(a => a.Links.Any(l => l.Context.SpanId == send.SpanId));
        receive.Kind.Should().Be(ActivityKind.Client, "a pull is a client call; the consumer span is the process span");
        receive.GetTagItem("messaging.operation.type").Should().Be("receive");
    }

    [Fact]
    public async Task HostStartedInsideASpan_ReceiveSpansDoNotJoinIt()
    {
        var handled = new ConcurrentQueue<string>();
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("trace-boot").AddConsumer<NoteHandler, string>("trace-boot"),
            services: s => s.AddSingleton(handled));
        Activity startup = s_testSource.StartActivity("startup")!;
        await host.StartAsync();
        startup.Stop();
        Activity.Current = null;

        await host.Services.GetRequiredKeyedService<IMessageQueue<string>>("trace-boot").SendAsync("order");
        await TestHost.WaitUntilAsync(() => Named("process trace-boot").Count > 0, "the message is processed");
        await host.StopAsync();

        Activity receive = Named("receive trace-boot").Should().ContainSingle().Subject;
        receive.TraceId.Should().NotBe(startup.TraceId);
        receive.Links.Should().ContainSingle().Which.Context.SpanId.Should().Be(Named("send trace-boot").Single().SpanId);
    }

    public void Dispose() => _listener.Dispose();

    private List<Activity> Named(string name) => _stopped.Where(a => a.DisplayName == name).ToList();

    private List<ActivitySpanId> Ancestors(Activity activity)
    {
        var ancestors = new List<ActivitySpanId>();
        ActivitySpanId parent = activity.ParentSpanId;
        while (parent != default && ancestors.Count < 10)
        {
            ancestors.Add(parent);
            parent = _stopped.FirstOrDefault(a => a.SpanId == parent)?.ParentSpanId ?? default;
        }

        return ancestors;
    }

    internal sealed class NoteHandler(ConcurrentQueue<string> handled) : IMessageHandler<string>
    {
        public ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            handled.Enqueue(message.Body);
            return ValueTask.CompletedTask;
        }
    }
}
