namespace CoffeeShop.Shop;

/// <summary>Published once on the <c>order-ready</c> topic when a drink is on the counter.</summary>
/// <param name="Number">The order's number.</param>
/// <param name="Customer">Who ordered.</param>
/// <param name="Drink">What was made.</param>
/// <param name="Size">The drink's size; also the <c>size</c> attribute the analytics filter matches.</param>
/// <param name="Barista">Who made it.</param>
internal sealed record OrderReady(int Number, string Customer, string Drink, string Size, string Barista);
