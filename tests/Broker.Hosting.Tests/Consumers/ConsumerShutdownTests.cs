using Broker.Hosting.Consumers;
using Broker.Messages;
using Broker.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Hosting.Tests.Consumers;

public sealed class ConsumerShutdownTests
{
    [Fact]
    public async Task StopAsync_HandlerIgnoresCancellation_ReturnsAndReleasesItsMessageAtOnce()
    {
        const string queue = "shutdown-stubborn";
        var stubborn = new StubbornWork();
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>(queue, o => o.VisibilityTimeout = TimeSpan.FromHours(1))
                .AddConsumer<StubbornHandler, string>(queue, c => { c.Concurrency = 2; c.MaxMessages = 3; }),
            services: s => s.AddSingleton(stubborn));
        IMessageQueue<string> orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>(queue);
        for (int i = 0; i < 8; i++)
        {
            await orders.SendAsync($"order-{i}");
        }

        await host.StartAsync();
        await TestHost.WaitUntilAsync(() => stubborn.Started == 2, "both workers are inside a handler");
        QueueAttributes before = await orders.GetAttributesAsync();
        using var shutdownTimeout = new CancellationTokenSource();
        await shutdownTimeout.CancelAsync();
        await host.StopAsync(shutdownTimeout.Token).WaitAsync(TimeSpan.FromSeconds(10));
        QueueAttributes after = await orders.GetAttributesAsync();
        stubborn.Finish();
        await TestHost.WaitUntilAsync(() => stubborn.Returned == 2, "the stubborn handlers return once let go");

        (before.ApproximateNumberOfMessages + before.ApproximateNumberOfMessagesNotVisible).Should().Be(8);
        before.ApproximateNumberOfMessagesNotVisible.Should().Be(6, "each worker holds a batch of 3");
        after.ApproximateNumberOfMessages.Should().Be(8, "a handler that ignores its token does not keep its message hidden for the hour");
        after.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
        stubborn.SawCancellation.Should().Be(2, "the handlers' tokens were cancelled");
    }

    [Fact]
    public async Task StopAsync_MessagesArriveWhileStopping_NoneIsLost()
    {
        const string queue = "shutdown-counted";
        var stubborn = new StubbornWork();
        using IHost host = TestHost.Build(
            b => b.AddQueue<string>(queue).AddConsumer<CountingHandler, string>(queue, c => { c.Concurrency = 3; c.MaxMessages = 4; }),
            services: s => s.AddSingleton(stubborn));
        IMessageQueue<string> orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>(queue);
        await host.StartAsync();
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await orders.SendAsync($"order-{i}");
            }
        });
        await TestHost.WaitUntilAsync(() => stubborn.Returned >= 20, "the consumer is busy");

        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await producer.WaitAsync(TimeSpan.FromSeconds(10));
        QueueAttributes after = await orders.GetAttributesAsync();

        after.ApproximateNumberOfMessagesNotVisible.Should().Be(0, "nothing stays hidden after the consumer stopped");
        (after.ApproximateNumberOfMessages + stubborn.Returned).Should().Be(200, "every message was either handled and deleted or is visible again");
    }

    internal sealed class StubbornWork
    {
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;
        private int _returned;
        private int _sawCancellation;

        public int Started => Volatile.Read(ref _started);

        public int Returned => Volatile.Read(ref _returned);

        public int SawCancellation => Volatile.Read(ref _sawCancellation);

        public Task FinishTask => _finish.Task;

        public void Finish() => _finish.TrySetResult();

        public void CountStarted() => Interlocked.Increment(ref _started);

        public void CountReturned() => Interlocked.Increment(ref _returned);

        public void CountCancellation() => Interlocked.Increment(ref _sawCancellation);
    }

    /// <summary>Ignores its token: waits for the test, not for cancellation.</summary>
    internal sealed class StubbornHandler(StubbornWork work) : IMessageHandler<string>
    {
        public async ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            using CancellationTokenRegistration registration = cancellationToken.Register(work.CountCancellation);
            work.CountStarted();
            await work.FinishTask.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            work.CountReturned();
        }
    }

    internal sealed class CountingHandler(StubbornWork work) : IMessageHandler<string>
    {
        public async ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            await Task.Yield();
            work.CountReturned();
        }
    }
}
