using Broker.Hosting.DependencyInjection;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.Tests.DependencyInjection;

public sealed class AddBrokerTests
{
    [Fact]
    public async Task AddBroker_DeclaredQueueAndTopic_ResolvableByKeyAndFromBroker()
    {
        using IHost host = TestHost.Build(b => b
            .AddQueue<string>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(45))
            .AddTopic<string>("order-ready"));
        await host.StartAsync();

        var broker = host.Services.GetRequiredService<MessageBroker>();
        var keyedQueue = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");
        var keyedTopic = host.Services.GetRequiredKeyedService<ITopic<string>>("order-ready");

        keyedQueue.Should().BeSameAs(broker.GetQueue<string>("orders"));
        keyedTopic.Should().BeSameAs(broker.GetTopic<string>("order-ready"));
        (await keyedQueue.GetAttributesAsync()).Options.VisibilityTimeout.Should().Be(TimeSpan.FromSeconds(45));
        await host.StopAsync();
    }

    [Fact]
    public void AddBroker_CalledTwice_RegistersOneBrokerAndKeepsBothDeclarations()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        services.AddBroker(b => b.AddQueue<string>("a"));
        services.AddBroker(b => b.AddQueue<string>("b"));
        using ServiceProvider provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(MessageBroker)).Should().Be(1);
        provider.GetRequiredService<MessageBroker>().ListQueues().Select(q => q.Name).Should().Equal("a", "b");
    }

    [Fact]
    public async Task AddBroker_DeadLetterQueueDeclaredAfterItsSource_CreatesBoth()
    {
        using IHost host = TestHost.Build(b => b
            .AddQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 2))
            .AddQueue<string>("orders-dlq"));

        await host.StartAsync();

        host.Services.GetRequiredService<MessageBroker>().ListQueues().Select(q => q.Name).Should().Equal("orders", "orders-dlq");
        await host.StopAsync();
    }

    [Fact]
    public async Task BindConfiguration_QueueSection_OverridesCodeDefaults()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Broker:Queues:orders:VisibilityTimeout"] = "00:01:30",
            ["Broker:Queues:orders:MaximumMessageSize"] = "2048",
            ["Broker:Topics:order-ready:MaximumMessageSize"] = "4096",
        };
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(10)).AddTopic<string>("order-ready"),
            settings: settings);

        await host.StartAsync();
        QueueAttributes attributes = await host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders").GetAttributesAsync();

        attributes.Options.VisibilityTimeout.Should().Be(TimeSpan.FromSeconds(90));
        attributes.Options.MaximumMessageSize.Should().Be(2048);
        host.Services.GetRequiredService<IOptionsMonitor<TopicOptions>>().Get("order-ready").MaximumMessageSize.Should().Be(4096);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_InvalidQueueConfiguration_FailsListingEveryProblem()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Broker:Queues:orders:VisibilityTimeout"] = "13:00:00",
            ["Broker:Queues:orders:MessageRetentionPeriod"] = "00:00:10",
        };
        using IHost host = TestHost.Build(b => b.AddQueue<string>("orders"), settings: settings);

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains("VisibilityTimeout", StringComparison.Ordinal) && f.Contains("orders", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("MessageRetentionPeriod", StringComparison.Ordinal));
    }

    [Fact]
    public void AddConsumer_InvalidOptions_ThrowsNamingTheOption()
    {
        var services = new ServiceCollection();

        Action add = () => services.AddBroker(b => b.AddConsumer<NoopHandler, string>("orders", c => c.Concurrency = 0));

        add.Should().Throw<ArgumentException>().WithMessage("*Concurrency*").And.ParamName.Should().Be("configure");
    }

    [Fact]
    public void AddConsumer_SeveralInvalidOptions_ListsEveryOne()
    {
        var services = new ServiceCollection();

        Action add = () => services.AddBroker(b => b.AddConsumer<NoopHandler, string>("orders", c => { c.MaxMessages = 11; c.WaitTime = TimeSpan.FromSeconds(21); c.MaxRetryDelay = TimeSpan.Zero; }));

        add.Should().Throw<ArgumentException>()
            .WithMessage("*MaxMessages is 11*between 1 and 10*")
            .WithMessage("*WaitTime is 00:00:21*")
            .WithMessage("*MaxRetryDelay is 00:00:00*");
    }

    private sealed class NoopHandler : Broker.Hosting.Consumers.IMessageHandler<string>
    {
        public ValueTask HandleAsync(Messages.ReceivedMessage<string> message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
