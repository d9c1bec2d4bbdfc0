namespace CoffeeShop.Shop;

/// <summary>The shop at one moment, for the live view.</summary>
internal sealed record ShopSnapshot
{
    public required TimeSpan At { get; init; }

    public required long OrdersWaiting { get; init; }

    public required long OrdersInFlight { get; init; }

    public required long DeadLetters { get; init; }

    public required long AnalyticsWaiting { get; init; }

    public required string OrdersHealth { get; init; }

    public required int Taken { get; init; }

    public required int Made { get; init; }

    public required int Sms { get; init; }

    public required int Phone { get; init; }

    public required int Analytics { get; init; }

    public required IReadOnlyList<BaristaState> Baristas { get; init; }
}
