using Broker;
using Broker.Messages;
using Broker.Queues;

// The cashier pins orders on the board; baristas take them when ready. A barista who walks away without
// finishing an order does not lose it: after the visibility timeout the order is back on the board.
using var broker = new MessageBroker();
broker.CreateQueue<CoffeeOrder>("orders-dlq");
IMessageQueue<CoffeeOrder> orders = broker.CreateQueue<CoffeeOrder>("orders", o =>
{
    o.VisibilityTimeout = TimeSpan.FromSeconds(1);
    o.DeadLetter("orders-dlq", maxReceiveCount: 2);
});

string[] drinks = ["flat white", "latte", "espresso", "cortado", "mocha"];
for (int i = 0; i < 10; i++)
{
    var order = new CoffeeOrder(i + 1, $"customer-{i + 1}", drinks[i % drinks.Length]);
    await orders.SendAsync(order, new SendOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = i % 3 == 0 ? "large" : "small" } });
    Console.WriteLine($"cashier  took order #{order.Number}: {order.Drink} for {order.Customer}");
}

int made = 0;
bool walkedAway = false;
while (made < 10)
{
    IReadOnlyList<ReceivedMessage<CoffeeOrder>> batch = await orders.ReceiveAsync(maxMessages: 4, waitTime: TimeSpan.FromSeconds(2));
    foreach (ReceivedMessage<CoffeeOrder> message in batch)
    {
        if (!walkedAway && message.Body.Number == 3)
        {
            walkedAway = true;
            Console.WriteLine($"barista  walked away from order #{message.Body.Number}; it comes back after the visibility timeout");
            continue;
        }

        Console.WriteLine($"barista  made order #{message.Body.Number} ({message.Body.Drink}, {message.Attributes["size"].StringValue}), receive #{message.ReceiveCount}");
        await orders.DeleteAsync(message.ReceiptHandle);
        made++;
    }
}

QueueAttributes attributes = await orders.GetAttributesAsync();
Console.WriteLine($"done     {made} orders made; {attributes.ApproximateNumberOfMessages} waiting, {attributes.ApproximateNumberOfMessagesNotVisible} in flight");

internal sealed record CoffeeOrder(int Number, string Customer, string Drink);
