using System.Collections.Concurrent;
using Broker.Hosting.Consumers;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.Consumers;

public sealed class QueueConsumerTests
{
    [Fact]
    public async Task Consumer_HandlerSucceeds_DeletesEveryMessage()
    {
        var journal = new Journal();
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("orders").AddConsumer<RecordingHandler, string>("orders", c => c.Concurrency = 3),
            services: s => s.AddSingleton(journal));
        await host.StartAsync();
        var orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");

        for (int i = 0; i < 20; i++)
        {
            await orders.SendAsync($"order-{i}");
        }

        await TestHost.WaitUntilAsync(() => journal.Handled.Count == 20, "every order is handled");
        await TestHost.WaitUntilAsync(async () => await IsEmptyAsync(orders), "every order is deleted");
        journal.Handled.Keys.Should().BeEquivalentTo(Enumerable.Range(0, 20).Select(i => $"order-{i}"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Consumer_HandlerAlwaysThrows_RetriesThenDeadLetters()
    {
        var journal = new Journal { FailAll = true };
        using IHost host = TestHost.Build(
            b => b
                .AddQueue<string>("orders", o => o.DeadLetter("orders-dlq", maxReceiveCount: 3))
                .AddQueue<string>("orders-dlq")
                .AddConsumer<RecordingHandler, string>("orders", c => { c.RetryDelay = TimeSpan.Zero; c.MaxRetryDelay = TimeSpan.Zero; c.WaitTime = TimeSpan.FromSeconds(1); }),
            services: s => s.AddSingleton(journal));
        await host.StartAsync();
        var orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");
        var deadLetters = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders-dlq");

        await orders.SendAsync("impossible");
        IReadOnlyList<ReceivedMessage<string>> dead = await deadLetters.ReceiveAsync(1, waitTime: TimeSpan.FromSeconds(20)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        dead.Should().ContainSingle().Which.Body.Should().Be("impossible");
        journal.Attempts["impossible"].Should().Be(3);
        await host.StopAsync();
    }

    [Fact]
    public async Task Consumer_HandlerThrows_HidesMessageForTheBackOff()
    {
        var clock = new ManualTimeProvider();
        var journal = new Journal { FailAll = true };
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("orders").AddConsumer<RecordingHandler, string>("orders", c => { c.RetryDelay = TimeSpan.FromSeconds(10); c.WaitTime = TimeSpan.Zero; c.HeartbeatInterval = TimeSpan.Zero; }),
            clock,
            services: s => s.AddSingleton(journal));
        await host.StartAsync();
        var orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");

        await orders.SendAsync("retry-me");
        await TestHost.WaitUntilAsync(async () => journal.AttemptsOf("retry-me") == 1 && (await orders.GetAttributesAsync()).ApproximateNumberOfMessagesNotVisible == 1 && clock.HasTimerDueWithin(TimeSpan.FromSeconds(10)), "the first attempt failed and the back-off is set");
        clock.Advance(TimeSpan.FromSeconds(9));
        int afterNine = journal.AttemptsOf("retry-me");
        clock.Advance(TimeSpan.FromSeconds(1));
        await TestHost.WaitUntilAsync(() => journal.AttemptsOf("retry-me") == 2, "the message is retried once its back-off ends");

        afterNine.Should().Be(1);
        await host.StopAsync();
    }

    [Fact]
    public async Task Consumer_SlowHandler_HeartbeatKeepsItsMessageHidden()
    {
        var clock = new ManualTimeProvider();
        var journal = new Journal();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        journal.Gate = release.Task;
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(30))
                .AddConsumer<RecordingHandler, string>("orders", c => { c.Concurrency = 2; c.WaitTime = TimeSpan.Zero; }),
            clock,
            services: s => s.AddSingleton(journal));
        await host.StartAsync();
        var orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");
        await orders.SendAsync("slow");
        await TestHost.WaitUntilAsync(() => journal.AttemptsOf("slow") == 1 && clock.HasTimerDueWithin(TimeSpan.FromSeconds(15)), "the handler runs and its heartbeat is scheduled");

        for (int i = 0; i < 6; i++)
        {
            await TestHost.WaitUntilAsync(() => clock.HasTimerDueWithin(TimeSpan.FromSeconds(15)), "the next heartbeat is scheduled");
            clock.Advance(TimeSpan.FromSeconds(15));
        }

        int attemptsWhileRunning = journal.AttemptsOf("slow");
        release.SetResult();
        await TestHost.WaitUntilAsync(async () => await IsEmptyAsync(orders), "the message is deleted after the handler returns");

        attemptsWhileRunning.Should().Be(1, "90 seconds of a 30-second visibility timeout passed, and the heartbeat kept the message hidden");
        await host.StopAsync();
    }

    [Fact]
    public async Task StopAsync_WhileHandlersRun_LosesNoMessage()
    {
        var journal = new Journal();
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        journal.Gate = never.Task;
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("orders").AddConsumer<RecordingHandler, string>("orders", c => { c.Concurrency = 2; c.MaxMessages = 5; c.WaitTime = TimeSpan.Zero; }),
            services: s => s.AddSingleton(journal));
        await host.StartAsync();
        var orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");
        for (int i = 0; i < 12; i++)
        {
            await orders.SendAsync($"order-{i}");
        }

        await TestHost.WaitUntilAsync(() => journal.Handled.Count == 2, "both workers are inside a handler");
        using var shutdownTimeout = new CancellationTokenSource();
        await shutdownTimeout.CancelAsync();
        await host.StopAsync(shutdownTimeout.Token).WaitAsync(TimeSpan.FromSeconds(10));
        QueueAttributes after = await orders.GetAttributesAsync();

        after.ApproximateNumberOfMessages.Should().Be(12, "every message, started or not, is visible again at once");
        after.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
    }

    [Fact]
    public async Task StopAsync_HandlerFinishesWithinShutdownTimeout_DeletesItsMessageAndReleasesTheRest()
    {
        var journal = new Journal();
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        journal.Gate = finish.Task;
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>("orders").AddConsumer<RecordingHandler, string>("orders", c => { c.MaxMessages = 5; c.WaitTime = TimeSpan.Zero; }),
            services: s => s.AddSingleton(journal));
        await host.StartAsync();
        var orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>("orders");
        await orders.SendBatchAsync(Enumerable.Range(0, 5).Select(i => new SendBatchEntry<string>($"e{i}", $"order-{i}")).ToList());
        await TestHost.WaitUntilAsync(() => journal.Handled.Count == 1, "the worker is inside its first handler");

        Task stopping = host.StopAsync(CancellationToken.None);
        bool stoppedWhileHandlerRan = stopping.IsCompleted;
        finish.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        QueueAttributes after = await orders.GetAttributesAsync();

        stoppedWhileHandlerRan.Should().BeFalse("the host waits for the running handler");
        journal.Handled.Should().HaveCount(1, "no new message is started once shutdown begins");
        after.ApproximateNumberOfMessages.Should().Be(4, "the finished message is deleted and the four not started are visible again");
        after.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
    }

    private static async Task<bool> IsEmptyAsync(IMessageQueue<string> queue)
    {
        QueueAttributes attributes = await queue.GetAttributesAsync();
        return attributes.ApproximateNumberOfMessages == 0 && attributes.ApproximateNumberOfMessagesNotVisible == 0 && attributes.ApproximateNumberOfMessagesDelayed == 0;
    }

    internal sealed class Journal
    {
        public ConcurrentDictionary<string, int> Handled { get; } = new();

        public ConcurrentDictionary<string, int> Attempts { get; } = new();

        public bool FailAll { get; init; }

        public Task Gate { get; set; } = Task.CompletedTask;

        public int AttemptsOf(string body) => Attempts.TryGetValue(body, out int n) ? n : 0;
    }

    internal sealed class RecordingHandler(Journal journal) : IMessageHandler<string>
    {
        public async ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            journal.Attempts.AddOrUpdate(message.Body, 1, static (_, n) => n + 1);
            journal.Handled.TryAdd(message.Body, 0);
            if (journal.FailAll)
            {
                throw new InvalidOperationException("cannot make " + message.Body);
            }

            await journal.Gate.WaitAsync(cancellationToken);
        }
    }
}
