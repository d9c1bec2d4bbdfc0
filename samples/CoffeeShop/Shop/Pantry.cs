namespace CoffeeShop.Shop;

/// <summary>What the kitchen has in stock. The run starts out of <see cref="Menu.ScarceMilk"/> milk and restocks it as the "fix"
/// before redriving the dead-lettered order.</summary>
internal sealed class Pantry
{
    private volatile bool _scarceMilkInStock;

    public bool Has(string milk) => milk != Menu.ScarceMilk || _scarceMilkInStock;

    public void Restock() => _scarceMilkInStock = true;
}
