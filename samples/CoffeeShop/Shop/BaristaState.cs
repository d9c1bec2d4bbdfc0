namespace CoffeeShop.Shop;

/// <summary>What a barista is doing, for the live view.</summary>
/// <param name="Name">The barista's name.</param>
/// <param name="Status">"idle", "brewing #12 large latte", "on break", "crashed", ...</param>
/// <param name="Made">Drinks made so far.</param>
internal sealed record BaristaState(string Name, string Status, int Made);
