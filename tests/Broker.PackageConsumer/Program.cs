using Broker;
using Broker.Hosting.Consumers;
using Broker.Hosting.DependencyInjection;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A consumer of the packed packages: a host with a queue, a topic fanning out to it, and a hosted consumer.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton<Kitchen>();
builder.Services.AddBroker(b => b
    .AddQueue<Order>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(30))
    .AddTopic<Order>("order-placed", t => t.SubscribeQueue("orders", filter: """{"size":["large"]}"""))
    .AddConsumer<Barista, Order>("orders"));

using IHost host = builder.Build();
await host.StartAsync();

ITopic<Order> placed = host.Services.GetRequiredKeyedService<ITopic<Order>>("order-placed");
await placed.PublishAsync(new Order("Ana", "flat white"), new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" } });
await placed.PublishAsync(new Order("Ben", "espresso"), new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "small" } });
await placed.PublishAsync(new Order("Cleo", "latte"), new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" } });

Kitchen kitchen = host.Services.GetRequiredService<Kitchen>();
bool brewed = await kitchen.TwoBrewed.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
await host.StopAsync();

var verifier = new WebhookVerifier(WebhookSecret.Generate());
WebhookVerificationResult unsigned = verifier.Verify(null, null, null, "{}"u8);

string[] served = kitchen.Served.Order(StringComparer.Ordinal).ToArray();
bool ok = brewed && served.SequenceEqual(["Ana", "Cleo"]) && unsigned == WebhookVerificationResult.MissingHeaders;
Console.WriteLine($"package consumer: served [{string.Join(", ", served)}], unsigned webhook {unsigned}: {(ok ? "ok" : "FAILED")}");
return ok ? 0 : 1;

internal sealed record Order(string Customer, string Drink);

internal sealed class Kitchen
{
    public System.Collections.Concurrent.ConcurrentBag<string> Served { get; } = [];

    public TaskCompletionSource TwoBrewed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal sealed class Barista(Kitchen kitchen) : IMessageHandler<Order>
{
    public ValueTask HandleAsync(ReceivedMessage<Order> message, CancellationToken cancellationToken)
    {
        kitchen.Served.Add(message.Body.Customer);
        if (kitchen.Served.Count == 2)
        {
            kitchen.TwoBrewed.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }
}
