namespace CoffeeShop.Shop;

/// <summary>Who an event is about, so views can colour it.</summary>
internal enum ShopEventKind
{
    Cashier,
    Barista,
    Trouble,
    Notification,
    Manager,
}

/// <summary>One line of the story.</summary>
/// <param name="At">Shop time since opening.</param>
/// <param name="Actor">Who acted: "cashier", a barista's name, "sms", "phone", "analytics", "manager".</param>
/// <param name="Text">What happened.</param>
/// <param name="Kind">What kind of event it is.</param>
internal sealed record ShopEvent(TimeSpan At, string Actor, string Text, ShopEventKind Kind);
