using System.Text.Json;
using System.Text.Json.Serialization;
using Broker;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Topics.Filtering;

// Exercises queues, FIFO de-duplication, topics and filter policies in a native AOT build, where reflection-based JSON is off.
var checks = new SmokeChecks();
TimeSpan patience = TimeSpan.FromSeconds(10);

await using (var broker = new MessageBroker(new BrokerOptions { JsonSerializerOptions = SmokeJsonContext.Default.Options }))
{
    // Standard queue: every message sent is received once and deleted.
    IMessageQueue<Order> orders = broker.CreateQueue<Order>("orders");
    for (int i = 0; i < 100; i++)
    {
        await orders.SendAsync(new Order(i, i % 2 == 0 ? "latte" : "espresso"), new SendOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["n"] = MessageAttributeValue.FromNumber(i) } });
    }

    var seen = new HashSet<int>();
    bool attributesMatch = true;
    while (seen.Count < 100)
    {
        IReadOnlyList<ReceivedMessage<Order>> batch = await orders.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.Zero);
        if (batch.Count == 0)
        {
            break;
        }

        foreach (ReceivedMessage<Order> message in batch)
        {
            seen.Add(message.Body.Id);
            attributesMatch &= message.Attributes["n"].StringValue == message.Body.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            checks.That(await orders.DeleteAsync(message.ReceiptHandle), $"delete order {message.Body.Id}", quiet: true);
        }
    }

    checks.That(seen.Count == 100, $"standard queue: 100 sent, {seen.Count} distinct received");
    checks.That(attributesMatch, "standard queue: number attributes travel with their messages");
    QueueAttributes left = await orders.GetAttributesAsync();
    checks.That(left.ApproximateNumberOfMessages == 0 && left.ApproximateNumberOfMessagesNotVisible == 0, "standard queue: empty after deletes");

    // FIFO queue with content-based de-duplication: the record body is hashed through the source-generated contract.
    IMessageQueue<Order> fifo = broker.CreateQueue<Order>("orders.fifo", o => o.ContentBasedDeduplication = true);
    SendResult first = await fifo.SendAsync(new Order(1, "latte"), new SendOptions { MessageGroupId = "table-1" });
    SendResult again = await fifo.SendAsync(new Order(1, "latte"), new SendOptions { MessageGroupId = "table-1" });
    SendResult second = await fifo.SendAsync(new Order(2, "mocha"), new SendOptions { MessageGroupId = "table-1" });
    checks.That(first.MessageId == again.MessageId, "FIFO: an identical body within the window is de-duplicated");
    checks.That(first.MessageId != second.MessageId, "FIFO: a different body is a new message");
    IReadOnlyList<ReceivedMessage<Order>> fifoBatch = await fifo.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.Zero);
    checks.That(fifoBatch.Count == 2 && fifoBatch[0].Body.Id == 1 && fifoBatch[1].Body.Id == 2, $"FIFO: 2 messages in order, got {string.Join(",", fifoBatch.Select(m => m.Body.Id))}");

    // Topic: a queue subscriber with a body filter, one with an attribute filter, and a delegate subscriber that sees all.
    ITopic<Order> ready = broker.CreateTopic<Order>("order-ready");
    IMessageQueue<Order> lattes = broker.CreateQueue<Order>("lattes");
    IMessageQueue<Order> large = broker.CreateQueue<Order>("large");
    ready.Subscribe(lattes, o =>
    {
        o.FilterPolicy = """{"Drink":["latte"]}""";
        o.FilterPolicyScope = FilterPolicyScope.MessageBody;
    });
    ready.Subscribe(large, o => o.FilterPolicy = """{"size":["large"]}""");
    int delivered = 0;
    var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    ready.Subscribe((message, _) =>
    {
        if (Interlocked.Increment(ref delivered) == 3)
        {
            allDelivered.TrySetResult();
        }

        return ValueTask.CompletedTask;
    });

    await ready.PublishAsync(new Order(10, "latte"), new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" } });
    await ready.PublishAsync(new Order(11, "espresso"), new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "small" } });
    await ready.PublishAsync(new Order(12, "latte"));

    checks.That(await Completes(allDelivered.Task, patience), $"topic: the delegate subscriber got all 3 messages ({Volatile.Read(ref delivered)})");
    List<int> latteIds = await ReceiveIds(lattes, expected: 2, patience);
    checks.That(latteIds.Order().SequenceEqual([10, 12]), $"topic: body filter passed the lattes only, got {string.Join(",", latteIds)}");
    List<int> largeIds = await ReceiveIds(large, expected: 1, patience);
    checks.That(largeIds.SequenceEqual([10]), $"topic: attribute filter passed the large order only, got {string.Join(",", largeIds)}");
}

// Without a JSON contract for the body type, a body that must become JSON fails clearly instead of using reflection.
await using (var bare = new MessageBroker())
{
    IMessageQueue<Order> fifo = bare.CreateQueue<Order>("bare.fifo", o => o.ContentBasedDeduplication = true);
    string outcome;
    try
    {
        await fifo.SendAsync(new Order(1, "latte"), new SendOptions { MessageGroupId = "g" });
        outcome = "accepted";
    }
    catch (NotSupportedException e)
    {
        outcome = e.Message.Contains(nameof(Order), StringComparison.Ordinal) ? "refused, naming the type" : "refused: " + e.Message;
    }

    checks.That(outcome == "refused, naming the type", $"no JSON contract: content-based de-duplication {outcome}");
    QueueAttributes state = await fifo.GetAttributesAsync();
    checks.That(state.ApproximateNumberOfMessages == 0, "no JSON contract: the refused message was not stored");

    ITopic<Order> bareTopic = bare.CreateTopic<Order>("bare-topic");
    bool refused = false;
    try
    {
        bareTopic.Subscribe((_, _) => ValueTask.CompletedTask, o =>
        {
            o.FilterPolicy = """{"Drink":["latte"]}""";
            o.FilterPolicyScope = FilterPolicyScope.MessageBody;
        });
    }
    catch (ArgumentException e) when (e.Message.Contains(nameof(Order), StringComparison.Ordinal))
    {
        refused = true;
    }

    checks.That(refused && bareTopic.ListSubscriptions().Count == 0, "no JSON contract: a body filter subscription is refused up front");

    IMessageQueue<string> text = bare.CreateQueue<string>("text.fifo", o => o.ContentBasedDeduplication = true);
    SendResult a = await text.SendAsync("hello", new SendOptions { MessageGroupId = "g" });
    SendResult b = await text.SendAsync("hello", new SendOptions { MessageGroupId = "g" });
    checks.That(a.MessageId == b.MessageId, "no JSON contract: string bodies still de-duplicate by content");
}

return checks.Report();

static async Task<bool> Completes(Task task, TimeSpan patience)
{
    try
    {
        await task.WaitAsync(patience);
        return true;
    }
    catch (TimeoutException)
    {
        return false;
    }
}

static async Task<List<int>> ReceiveIds(IMessageQueue<Order> queue, int expected, TimeSpan patience)
{
    var ids = new List<int>();
    using var stop = new CancellationTokenSource(patience);
    while (ids.Count < expected && !stop.IsCancellationRequested)
    {
        foreach (ReceivedMessage<Order> message in await queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.FromSeconds(1)))
        {
            ids.Add(message.Body.Id);
            await queue.DeleteAsync(message.ReceiptHandle);
        }
    }

    // Anything beyond the expected count would be a filter letting too much through.
    ids.AddRange((await queue.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.Zero)).Select(m => m.Body.Id));
    return ids;
}

internal sealed record Order(int Id, string Drink);

[JsonSerializable(typeof(Order))]
internal sealed partial class SmokeJsonContext : JsonSerializerContext;
