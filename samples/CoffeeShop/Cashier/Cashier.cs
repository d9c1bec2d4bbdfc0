using System.Diagnostics;
using Broker.Messages;
using Broker.Queues;
using CoffeeShop.Shop;

namespace CoffeeShop.Cashier;

/// <summary>Takes the orders and pins them on the board. It only ever talks to the <c>orders</c> queue, so nothing that happens
/// behind it (a barista on a break, a crash, a backlog) slows it down.</summary>
internal sealed class Cashier
{
    private readonly IMessageQueue<CoffeeOrder> _orders;
    private readonly ShopChaos _chaos;
    private readonly ShopClock _clock;
    private readonly ShopLedger _ledger;

    public Cashier(IMessageQueue<CoffeeOrder> orders, ShopChaos chaos, ShopClock clock, ShopLedger ledger)
    {
        _orders = orders;
        _chaos = chaos;
        _clock = clock;
        _ledger = ledger;
    }

    public async Task TakeOrdersAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; i < _chaos.Orders.Count; i++)
        {
            await Task.Delay(_chaos.CashierPauses[i], _clock, cancellationToken);
            CoffeeOrder order = _chaos.Orders[i] with { TakenAt = _clock.GetUtcNow() };
            var sendOptions = new SendOptions
            {
                Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = order.Size, ["milk"] = order.Milk },
            };

            long started = Stopwatch.GetTimestamp();
            await _orders.SendAsync(order, sendOptions, cancellationToken);
            TimeSpan sendTime = Stopwatch.GetElapsedTime(started);

            QueueAttributes attributes = await _orders.GetAttributesAsync(cancellationToken);
            _ledger.OrderTaken(order, sendTime, attributes.ApproximateNumberOfMessages);
        }

        _ledger.Tell("cashier", "has taken every order and closes the till", ShopEventKind.Cashier);
    }
}
