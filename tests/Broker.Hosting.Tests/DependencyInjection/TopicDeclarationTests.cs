using System.Collections.Concurrent;
using Broker.Hosting.DependencyInjection;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.DependencyInjection;

public sealed class TopicDeclarationTests
{
    private const string LargeOnly = """{"size": ["large"]}""";

    [Fact]
    public async Task Subscribe_HandlerWithFilter_GetsOnlyMatchingMessagesEachInANewScope()
    {
        var deliveries = new ConcurrentQueue<(string Body, int Scope)>();
        using IHost host = TestHost.Build(
            b => b.AddTopic<string>("decl-handler-ready", t => t.Subscribe<SizeHandler>(filter: LargeOnly)),
            services: s => s.AddSingleton(deliveries).AddSingleton<ScopeCounter>().AddScoped<ScopeId>());
        await host.StartAsync();
        ITopic<string> topic = host.Services.GetRequiredKeyedService<ITopic<string>>("decl-handler-ready");

        await topic.PublishAsync("small latte", Sized("small"));
        await topic.PublishAsync("large latte", Sized("large"));
        await topic.PublishAsync("large mocha", Sized("large"));
        await TestHost.WaitUntilAsync(() => deliveries.Count == 2, "both large orders are delivered");
        await host.StopAsync();

        deliveries.Select(d => d.Body).Should().BeEquivalentTo("large latte", "large mocha");
        deliveries.Select(d => d.Scope).Distinct().Should().HaveCount(2, "each delivery resolves its handler in a new scope");
    }

    [Fact]
    public async Task SubscribeQueue_WithFilterAndEnvelope_DeliversMatchingBodiesAndEnvelopes()
    {
        using IHost host = TestHost.Build(b => b
            .AddTopic<string>("decl-queue-ready", t => t.SubscribeQueue("decl-large", filter: LargeOnly).SubscribeEnvelopeQueue("decl-audit"))
            .AddQueue<string>("decl-large")
            .AddQueue<TopicMessage<string>>("decl-audit"));
        await host.StartAsync();
        ITopic<string> topic = host.Services.GetRequiredKeyedService<ITopic<string>>("decl-queue-ready");
        var large = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("decl-large");
        var audit = host.Services.GetRequiredKeyedService<IMessageQueue<TopicMessage<string>>>("decl-audit");

        await topic.PublishAsync("small latte", Sized("small"));
        await topic.PublishAsync("large latte", Sized("large"));
        IReadOnlyList<ReceivedMessage<string>> largeOrders = await ReceiveAtLeastAsync(large, 1);
        IReadOnlyList<ReceivedMessage<TopicMessage<string>>> audited = await ReceiveAtLeastAsync(audit, 2);
        await host.StopAsync();

        largeOrders.Select(m => m.Body).Should().Equal("large latte");
        audited.Select(m => m.Body.Body).Should().BeEquivalentTo("small latte", "large latte");
        audited.Should().OnlyContain(m => m.Body.TopicName == "decl-queue-ready");
    }

    [Fact]
    public async Task AddTopic_SubscribesUndeclaredQueue_StartFailsNamingTheQueue()
    {
        using IHost host = TestHost.Build(b => b.AddTopic<string>("decl-broken-ready", t => t.SubscribeQueue("decl-missing")));

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<BrokerException>()).Which.Message.Should().Contain("decl-missing");
    }

    private static PublishOptions Sized(string size) => new() { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = size } };

    private static async Task<IReadOnlyList<ReceivedMessage<T>>> ReceiveAtLeastAsync<T>(IMessageQueue<T> queue, int count)
    {
        var all = new List<ReceivedMessage<T>>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (all.Count < count)
        {
            all.AddRange(await queue.ReceiveAsync(10, TimeSpan.FromSeconds(1), cancellationToken: timeout.Token));
        }

        // A short poll after the expected count: a filter that let through too much shows up here.
        all.AddRange(await queue.ReceiveAsync(10, TimeSpan.Zero));
        return all;
    }

    internal sealed class ScopeCounter
    {
        private int _next;

        public int Next() => Interlocked.Increment(ref _next);
    }

    internal sealed class ScopeId(ScopeCounter counter)
    {
        public int Value { get; } = counter.Next();
    }

    internal sealed class SizeHandler(ScopeId scope, ConcurrentQueue<(string Body, int Scope)> deliveries) : ITopicMessageHandler<string>
    {
        public ValueTask HandleAsync(TopicMessage<string> message, CancellationToken cancellationToken)
        {
            deliveries.Enqueue((message.Body, scope.Value));
            return ValueTask.CompletedTask;
        }
    }
}
