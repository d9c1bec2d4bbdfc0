namespace CoffeeShop.Shop;

/// <summary>The figures of a finished run.</summary>
internal sealed record ShopSummary
{
    public required int OrdersTaken { get; init; }

    /// <summary>Orders made, each counted once however many times it was delivered.</summary>
    public required int OrdersMade { get; init; }

    /// <summary>Deliveries of an order after its first (the crash, the retries of the impossible order, any other).</summary>
    public required int Redeliveries { get; init; }

    /// <summary>Deliveries of an order that was already made, recognised and dropped: at-least-once delivery made safe.</summary>
    public required int DuplicatesDropped { get; init; }

    public required int Crashes { get; init; }

    public required int Breaks { get; init; }

    /// <summary>Orders that reached the dead-letter queue.</summary>
    public required int DeadLettered { get; init; }

    /// <summary>Dead-lettered orders sent back to the <c>orders</c> queue.</summary>
    public required int Redriven { get; init; }

    /// <summary>Orders still in the dead-letter queue at closing.</summary>
    public required int LeftInDeadLetterQueue { get; init; }

    public required int LargeDrinksMade { get; init; }

    public required int SmsSent { get; init; }

    /// <summary>Distinct verified webhook deliveries to the customer's phone.</summary>
    public required int PhoneNotifications { get; init; }

    public required int AnalyticsRecords { get; init; }

    /// <summary>Unsigned requests the phone refused.</summary>
    public required int ForgedNotificationsRefused { get; init; }

    public required int PeakBaristas { get; init; }

    /// <summary>The longest time a send to the <c>orders</c> queue took the cashier.</summary>
    public required TimeSpan LongestCashierSend { get; init; }

    public required TimeSpan ShopTime { get; init; }

    public required TimeSpan RealTime { get; init; }
}
