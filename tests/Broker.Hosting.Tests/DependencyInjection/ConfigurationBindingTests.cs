using Broker.Hosting.DependencyInjection;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.Tests.DependencyInjection;

public sealed class ConfigurationBindingTests
{
    [Fact]
    public async Task BindConfiguration_NestedRedrivePolicyAndEnums_CreatesTheQueueWithThem()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Broker:Queues:orders:RedrivePolicy:DeadLetterQueueName"] = "orders-dlq",
            ["Broker:Queues:orders:RedrivePolicy:MaxReceiveCount"] = "2",
            ["Broker:Queues:orders:Capacity"] = "100",
            ["Broker:Queues:orders:FullMode"] = "Fail",
            ["Broker:Queues:orders:DeliveryDelay"] = "00:00:05",
        };
        using IHost host = TestHost.Build(b => b.AddQueue<string>("orders").AddQueue<string>("orders-dlq"), settings: settings);

        await host.StartAsync();
        QueueOptions options = (await host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders").GetAttributesAsync()).Options;
        await host.StopAsync();

        options.RedrivePolicy.Should().BeEquivalentTo(new RedrivePolicy { DeadLetterQueueName = "orders-dlq", MaxReceiveCount = 2 });
        options.Capacity.Should().Be(100);
        options.FullMode.Should().Be(QueueFullMode.Fail);
        options.DeliveryDelay.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task BindConfiguration_FifoTopicSection_CreatesTheTopicWithIt()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Broker:Topics:ready.fifo:ContentBasedDeduplication"] = "true",
            ["Broker:Topics:ready.fifo:MaximumMessageSize"] = "1024",
        };
        using IHost host = TestHost.Build(b => b.AddTopic<string>("ready.fifo", t => t.Configure(o => o.MaximumMessageSize = 4096)), settings: settings);

        await host.StartAsync();
        TopicOptions options = host.Services.GetRequiredService<IOptionsMonitor<TopicOptions>>().Get("ready.fifo");
        ITopic<string> topic = host.Services.GetRequiredKeyedService<ITopic<string>>("ready.fifo");
        Func<Task> oversized = async () => await topic.PublishAsync(new string('x', 2000), new PublishOptions { MessageGroupId = "g" });

        await oversized.Should().ThrowAsync<ArgumentException>("the bound 1024-byte limit, not the code's 4096, is in force");
        options.ContentBasedDeduplication.Should().BeTrue();
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_MisspeltQueueKey_FailsNamingTheKey()
    {
        var settings = new Dictionary<string, string?> { ["Broker:Queues:orders:VisibilityTimout"] = "00:00:30" };
        InvalidOperationException failure = await StartFailureAsync<InvalidOperationException>(b => b.AddQueue<string>("orders"), settings);

        failure.Message.Should().Contain("VisibilityTimout");
    }

    [Fact]
    public async Task StartAsync_UnparsableValue_FailsNamingThePath()
    {
        var settings = new Dictionary<string, string?> { ["Broker:Queues:orders:VisibilityTimeout"] = "thirty seconds" };
        InvalidOperationException failure = await StartFailureAsync<InvalidOperationException>(b => b.AddQueue<string>("orders"), settings);

        failure.Message.Should().Contain("Broker:Queues:orders:VisibilityTimeout");
    }

    [Fact]
    public async Task StartAsync_InvalidRedrivePolicy_FailsNamingTheQueueAndOption()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Broker:Queues:orders:RedrivePolicy:DeadLetterQueueName"] = "orders",
            ["Broker:Queues:orders:RedrivePolicy:MaxReceiveCount"] = "0",
        };
        OptionsValidationException failure = await StartFailureAsync<OptionsValidationException>(b => b.AddQueue<string>("orders"), settings);

        failure.Failures.Should().HaveCount(2)
            .And.Contain(f => f.StartsWith("Queue 'orders': RedrivePolicy.DeadLetterQueueName", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Queue 'orders': RedrivePolicy.MaxReceiveCount is 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_InvalidTopicConfiguration_FailsNamingTheTopicAndOption()
    {
        var settings = new Dictionary<string, string?> { ["Broker:Topics:ready:MaximumMessageSize"] = "0" };
        OptionsValidationException failure = await StartFailureAsync<OptionsValidationException>(b => b.AddTopic<string>("ready"), settings);

        failure.Failures.Should()
            .ContainSingle().Which.Should().StartWith("Topic 'ready': MaximumMessageSize is 0");
    }

    private static async Task<TException> StartFailureAsync<TException>(Action<BrokerBuilder> configure, Dictionary<string, string?> settings)
        where TException : Exception
    {
        using IHost host = TestHost.Build(configure, settings: settings);

        Func<Task> start = () => host.StartAsync();

        return (await start.Should().ThrowAsync<TException>()).Which;
    }
}
