using Broker.Hosting.Consumers;
using Broker.Messages;
using CoffeeShop.Shop;

namespace CoffeeShop.Notifications;

/// <summary>Consumes the <c>analytics</c> queue, which the topic fills only with large drinks (its filter policy).</summary>
internal sealed class AnalyticsDesk : IMessageHandler<OrderReady>
{
    private readonly ShopLedger _ledger;

    public AnalyticsDesk(ShopLedger ledger) => _ledger = ledger;

    public ValueTask HandleAsync(ReceivedMessage<OrderReady> message, CancellationToken cancellationToken)
    {
        _ledger.AnalyticsRecorded(message.Body);
        return ValueTask.CompletedTask;
    }
}
