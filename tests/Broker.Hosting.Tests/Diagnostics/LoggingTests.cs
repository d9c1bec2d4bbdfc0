using Broker.Hosting.Consumers;
using Broker.Hosting.DependencyInjection;
using Broker.Hosting.Tests.Support;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Hosting.Tests.Diagnostics;

public sealed class LoggingTests
{
    [Fact]
    public async Task HostLifecycle_PoisonMessage_EmitsEventsWithStableIds()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Trace);

        await RunPoisonScenarioAsync(logs, "logging-events");

        logs.Entries.Select(e => e.EventId.Id).Should().Contain([1, 3, 100, 101, 1000, 1002, 1001]);
        logs.Entries.Should().Contain(e => e.EventId.Id == 1002 && e.Level == LogLevel.Warning && e.Message.Contains("logging-events", StringComparison.Ordinal));
        logs.Entries.Should().Contain(e => e.EventId.Id == 3 && e.Category == "Broker" && e.Message.Contains("logging-events-dlq", StringComparison.Ordinal));
        logs.Entries.Should().OnlyContain(e => !e.Message.Contains("secret-body", StringComparison.Ordinal), "bodies are never logged");
        logs.Entries.Should().Contain(e => e.Category.StartsWith("Broker.Hosting.Consumers", StringComparison.Ordinal), "consumers log under their own category");
    }

    [Fact]
    public async Task HostLifecycle_LoggingDisabled_NeverCallsLog()
    {
        var logs = new CapturingLoggerFactory(LogLevel.None);

        await RunPoisonScenarioAsync(logs, "logging-off");

        logs.Entries.Should().BeEmpty();
        logs.CallsWhileDisabled.Where(c => c.Category.StartsWith("Broker", StringComparison.Ordinal)).Should().BeEmpty("every Broker event checks IsEnabled before it formats anything");
    }

    private static async Task RunPoisonScenarioAsync(CapturingLoggerFactory logs, string queue)
    {
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>(queue, o => o.DeadLetter($"{queue}-dlq", maxReceiveCount: 1))
                .AddQueue<string>($"{queue}-dlq")
                .AddTopic<string>($"{queue}-ready", t => t.SubscribeQueue(queue))
                .AddConsumer<ThrowingHandler, string>(queue, c => { c.RetryDelay = TimeSpan.Zero; c.MaxRetryDelay = TimeSpan.Zero; }),
            services: s => s.AddSingleton<ILoggerFactory>(logs));
        await host.StartAsync();
        IMessageQueue<string> deadLetters = host.Services.GetRequiredKeyedService<IMessageQueue<string>>($"{queue}-dlq");

        await host.Services.GetRequiredKeyedService<ITopic<string>>($"{queue}-ready").PublishAsync("secret-body");
        await TestHost.WaitUntilAsync(async () => (await deadLetters.GetAttributesAsync()).ApproximateNumberOfMessages == 1, "the poison message is dead-lettered");
        await host.StopAsync();
    }

    internal sealed class ThrowingHandler : IMessageHandler<string>
    {
        public ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken) => throw new InvalidOperationException("cannot");
    }
}
