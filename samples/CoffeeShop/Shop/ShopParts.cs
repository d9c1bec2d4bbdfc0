namespace CoffeeShop.Shop;

/// <summary>The pieces every part of the shop shares, and the names and timings of its queues and topic.</summary>
/// <param name="Clock">The shop's clock.</param>
/// <param name="Ledger">Where everything is written down.</param>
/// <param name="Chaos">What the seed decided.</param>
/// <param name="Pantry">What is in stock.</param>
internal sealed record ShopParts(ShopClock Clock, ShopLedger Ledger, ShopChaos Chaos, Pantry Pantry)
{
    public const string OrdersQueue = "orders";
    public const string OrdersDeadLetterQueue = "orders-dlq";
    public const string AnalyticsQueue = "analytics";
    public const string OrderReadyTopic = "order-ready";

    /// <summary>How many deliveries an order gets before it is dead-lettered.</summary>
    public const int MaxReceiveCount = 3;

    /// <summary>How long an order stays hidden from the other baristas once one picks it up (shop time).</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The first back-off after a barista fails an order (shop time); it doubles with each delivery.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Only large drinks reach the analytics queue.</summary>
    public const string AnalyticsFilter = """{"size": ["large"]}""";
}
