using Broker.Hosting.DependencyInjection;
using Broker.Topics;
using CoffeeShop.Shop;

namespace CoffeeShop.Notifications;

/// <summary>The SMS channel: a handler subscribed to <c>order-ready</c> (a delegate subscription, resolved per delivery).</summary>
internal sealed class SmsNotifier : ITopicMessageHandler<OrderReady>
{
    private readonly ShopLedger _ledger;

    public SmsNotifier(ShopLedger ledger) => _ledger = ledger;

    public ValueTask HandleAsync(TopicMessage<OrderReady> message, CancellationToken cancellationToken)
    {
        _ledger.SmsSent(message.Body);
        return ValueTask.CompletedTask;
    }
}
