using System.Collections.Concurrent;
using Broker.Hosting.Consumers;
using Broker.Messages;
using Broker.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Broker.Hosting.Tests.Consumers;

public sealed class ConsumerScopeTests
{
    [Fact]
    public async Task Consumer_ScopePerMessage_ResolvesEveryMessageOfABatchInANewScope()
    {
        var journal = new ScopeJournal();
        using IHost host = BuildHost(journal, "scope-per-message", c => c.MaxMessages = 4);
        await SendAsync(host, "scope-per-message", 4);

        await host.StartAsync();
        await TestHost.WaitUntilAsync(() => journal.Handled.Count == 4 && journal.Disposed == 4, "every message is handled and its scope disposed");
        await host.StopAsync();

        journal.Handled.Select(h => h.Scope).Distinct().Should().HaveCount(4);
        journal.Handled.Should().OnlyContain(h => !h.ScopeDisposedWhileHandling);
    }

    [Fact]
    public async Task Consumer_ScopePerBatch_SharesOneScopePerReceivedBatch()
    {
        var journal = new ScopeJournal();
        using IHost host = BuildHost(journal, "scope-per-batch", c => { c.MaxMessages = 3; c.ScopePerBatch = true; });
        await SendAsync(host, "scope-per-batch", 7);

        await host.StartAsync();
        await TestHost.WaitUntilAsync(() => journal.Handled.Count == 7 && journal.Disposed == 3, "every message is handled and every batch scope disposed");
        await host.StopAsync();

        journal.Handled.GroupBy(h => h.Scope).Select(g => g.Count()).Should().BeEquivalentTo([3, 3, 1], "one worker receives batches of at most 3 from 7 waiting messages");
        journal.Handled.Should().OnlyContain(h => !h.ScopeDisposedWhileHandling);
    }

    [Fact]
    public async Task Consumer_BatchSize_NeverHandsMoreThanMaxMessagesToOneReceive()
    {
        var journal = new ScopeJournal();
        using IHost host = BuildHost(journal, "scope-batch-size", c => { c.MaxMessages = 10; c.ScopePerBatch = true; });
        await SendAsync(host, "scope-batch-size", 25);

        await host.StartAsync();
        await TestHost.WaitUntilAsync(() => journal.Handled.Count == 25 && journal.Disposed == 3, "every message is handled");
        await host.StopAsync();

        journal.Handled.GroupBy(h => h.Scope).Select(g => g.Count()).Should().BeEquivalentTo([10, 10, 5]);
    }

    [Fact]
    public async Task Consumer_OptionsInConfiguration_OverrideTheCodesOptions()
    {
        var journal = new ScopeJournal();
        var settings = new Dictionary<string, string?>
        {
            ["Broker:Consumers:scope-configured:MaxMessages"] = "3",
            ["Broker:Consumers:scope-configured:ScopePerBatch"] = "true",
        };
        using IHost host = BuildHost(journal, "scope-configured", c => c.MaxMessages = 10, settings);
        await SendAsync(host, "scope-configured", 7);

        await host.StartAsync();
        await TestHost.WaitUntilAsync(() => journal.Handled.Count == 7 && journal.Disposed == 3, "every message is handled and every batch scope disposed");
        await host.StopAsync();

        journal.Handled.GroupBy(h => h.Scope).Select(g => g.Count()).Should().BeEquivalentTo([3, 3, 1], "configuration's batch size of 3 replaces the code's 10");
    }

    [Fact]
    public async Task StartAsync_InvalidConsumerConfiguration_FailsListingEveryProblem()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Broker:Consumers:scope-invalid:Concurrency"] = "0",
            ["Broker:Consumers:scope-invalid:MaxMessages"] = "11",
        };
        using IHost host = BuildHost(new ScopeJournal(), "scope-invalid", c => c.MaxMessages = 2, settings);

        Func<Task> start = () => host.StartAsync();

        OptionsValidationException failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Failures.Should().HaveCount(2)
            .And.Contain(f => f.StartsWith("Consumer of 'scope-invalid': Concurrency is 0", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Consumer of 'scope-invalid': MaxMessages is 11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_MisspeltConsumerKey_FailsNamingTheKey()
    {
        var settings = new Dictionary<string, string?> { ["Broker:Consumers:scope-misspelt:Concurency"] = "4" };
        using IHost host = BuildHost(new ScopeJournal(), "scope-misspelt", _ => { }, settings);

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Concurency");
    }

    private static IHost BuildHost(ScopeJournal journal, string queue, Action<ConsumerOptions> configure, Dictionary<string, string?>? settings = null)
        => TestHost.Build(
            b => b.AddQueue<string>(queue).AddConsumer<ScopedHandler, string>(queue, configure),
            settings: settings,
            services: s => s.AddSingleton(journal).AddScoped<ScopeProbe>());

    /// <summary>Sends before the host starts, so the single worker's first receive finds every message waiting.</summary>
    private static async Task SendAsync(IHost host, string queue, int count)
    {
        IMessageQueue<string> orders = host.Services.GetRequiredKeyedService<IMessageQueue<string>>(queue);
        for (int i = 0; i < count; i++)
        {
            await orders.SendAsync($"order-{i}");
        }
    }

    internal sealed class ScopeJournal
    {
        private int _nextScope;
        private int _disposed;

        public ConcurrentQueue<(string Body, int Scope, bool ScopeDisposedWhileHandling)> Handled { get; } = new();

        public int Disposed => Volatile.Read(ref _disposed);

        public int NewScope() => Interlocked.Increment(ref _nextScope);

        public void CountDisposed() => Interlocked.Increment(ref _disposed);
    }

    /// <summary>A scoped dependency: one instance per DI scope, disposed with it.</summary>
    internal sealed class ScopeProbe(ScopeJournal journal) : IDisposable
    {
        public int Id { get; } = journal.NewScope();

        public bool IsDisposed { get; private set; }

        public void Dispose()
        {
            IsDisposed = true;
            journal.CountDisposed();
        }
    }

    internal sealed class ScopedHandler(ScopeProbe probe, ScopeJournal journal) : IMessageHandler<string>
    {
        public ValueTask HandleAsync(ReceivedMessage<string> message, CancellationToken cancellationToken)
        {
            journal.Handled.Enqueue((message.Body, probe.Id, probe.IsDisposed));
            return ValueTask.CompletedTask;
        }
    }
}
