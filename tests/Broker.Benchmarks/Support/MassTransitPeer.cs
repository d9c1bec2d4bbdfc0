using MassTransit;

namespace Broker.Benchmarks.Support;

/// <summary>The MassTransit message type: MassTransit routes by message type, so it gets its own record.</summary>
/// <param name="Id">An id; the consumers do not read it.</param>
public sealed record MassTransitOrder(int Id);

/// <summary>A MassTransit consumer that only counts, like the handlers given to the other peers.</summary>
public sealed class CountingConsumer(CompletionCounter counter) : IConsumer<MassTransitOrder>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<MassTransitOrder> context)
    {
        counter.Signal();
        return Task.CompletedTask;
    }
}

/// <summary>Builds MassTransit's in-memory bus the way its documentation shows, with counting consumers.</summary>
public static class MassTransitPeer
{
    /// <summary>Starts an in-memory bus with <paramref name="endpoints"/> receive endpoints, each consuming every published order.</summary>
    /// <param name="endpoints">How many endpoints (1 for a queue, 10 for fan-out).</param>
    /// <param name="concurrency">Each endpoint's concurrent message limit (its number of consumers).</param>
    /// <param name="counter">Signalled once per consumed message.</param>
    /// <returns>The started bus.</returns>
    public static IBusControl Start(int endpoints, int concurrency, CompletionCounter counter)
    {
        IBusControl bus = Bus.Factory.CreateUsingInMemory(cfg =>
        {
            for (int i = 0; i < endpoints; i++)
            {
                cfg.ReceiveEndpoint($"orders-{i}", e =>
                {
                    e.ConcurrentMessageLimit = concurrency;
                    e.Consumer(() => new CountingConsumer(counter));
                });
            }
        });
        bus.Start();
        return bus;
    }

    /// <summary>Publishes <paramref name="count"/> orders from <paramref name="producers"/> tasks and waits until the counter completes.</summary>
    /// <param name="bus">The started bus.</param>
    /// <param name="producers">How many concurrent publishers.</param>
    /// <param name="count">How many messages in all.</param>
    /// <param name="counter">The counter, already reset to the expected deliveries.</param>
    /// <returns>A task that completes when every delivery has been consumed.</returns>
    public static async Task PublishAndWaitAsync(IBus bus, int producers, int count, CompletionCounter counter)
    {
        var body = new MassTransitOrder(1);
        var tasks = new Task[producers];
        for (int p = 0; p < producers; p++)
        {
            tasks[p] = Task.Run(async () =>
            {
                for (int i = 0; i < count / producers; i++)
                {
                    await bus.Publish(body).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        await counter.Task.ConfigureAwait(false);
    }
}
