namespace CoffeeShop.Baristas;

/// <summary>The name of the barista a station's handlers work for.</summary>
/// <param name="Name">The barista's name.</param>
internal sealed record BaristaBadge(string Name);
