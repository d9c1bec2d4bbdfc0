namespace CoffeeShop.Shop;

/// <summary>An order as the cashier pins it on the board (the <c>orders</c> queue).</summary>
/// <param name="Number">The order's number, from 1.</param>
/// <param name="Customer">Who ordered.</param>
/// <param name="Drink">What to make.</param>
/// <param name="Size">"small", "medium" or "large"; also sent as the <c>size</c> attribute.</param>
/// <param name="Milk">The milk it needs.</param>
/// <param name="TakenAt">When the cashier took it, in shop time.</param>
internal sealed record CoffeeOrder(int Number, string Customer, string Drink, string Size, string Milk, DateTimeOffset TakenAt)
{
    public override string ToString() => $"#{Number} {Size} {Drink}{(Milk == Menu.DefaultMilk ? "" : $" with {Milk} milk")} for {Customer}";
}
