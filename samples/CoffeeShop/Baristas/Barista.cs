using Broker.Hosting.Consumers;
using Broker.Messages;
using Broker.Topics;
using CoffeeShop.Shop;

namespace CoffeeShop.Baristas;

/// <summary>Makes one order taken from the <c>orders</c> queue, then publishes it once on <c>order-ready</c>.</summary>
/// <remarks>Returning lets the hosted consumer delete the order; throwing (out of stock) makes it retry after its back-off until the
/// queue's redrive policy dead-letters it. Delivery is at least once, so an order already made is recognised and dropped.</remarks>
internal sealed class Barista : IMessageHandler<CoffeeOrder>
{
    private readonly BaristaBadge _badge;
    private readonly ShopLedger _ledger;
    private readonly ShopChaos _chaos;
    private readonly Pantry _pantry;
    private readonly ShopClock _clock;
    private readonly ITopic<OrderReady> _orderReady;

    public Barista(BaristaBadge badge, ShopLedger ledger, ShopChaos chaos, Pantry pantry, ShopClock clock, ITopic<OrderReady> orderReady)
    {
        _badge = badge;
        _ledger = ledger;
        _chaos = chaos;
        _pantry = pantry;
        _clock = clock;
        _orderReady = orderReady;
    }

    public async ValueTask HandleAsync(ReceivedMessage<CoffeeOrder> message, CancellationToken cancellationToken)
    {
        CoffeeOrder order = message.Body;
        string name = _badge.Name;
        if (message.ReceiveCount > 1)
        {
            _ledger.Redelivered(name, order, message.ReceiveCount);
        }

        if (_ledger.IsMade(order.Number))
        {
            _ledger.DuplicateDropped(name, order);
            return;
        }

        if (!_pantry.Has(order.Milk))
        {
            _ledger.UpdateBarista(name, "idle");
            _ledger.Tell(name, $"cannot make {order}: out of {order.Milk} milk", ShopEventKind.Trouble);
            throw new OutOfStockException($"Out of {order.Milk} milk for order #{order.Number}.");
        }

        _ledger.UpdateBarista(name, $"brewing #{order.Number} {order.Size} {order.Drink}");
        if (_chaos.TryCrash(order.Number, message.ReceiveCount))
        {
            _ledger.Crashed(name, order);

            // A crashed barista neither finishes nor gives the order back: it is frozen until the manager kills its station.
            await Task.Delay(Timeout.InfiniteTimeSpan, _clock, cancellationToken);
        }

        await Task.Delay(_chaos.BrewTime(order.Number), _clock, cancellationToken);
        if (!_ledger.TryMarkMade(order, name))
        {
            _ledger.DuplicateDropped(name, order);
            return;
        }

        var options = new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = order.Size } };
        await _orderReady.PublishAsync(new OrderReady(order.Number, order.Customer, order.Drink, order.Size, name), options, cancellationToken);
    }
}
