namespace CoffeeShop.Shop;

/// <summary>The settings of one run of the coffee shop.</summary>
internal sealed class ShopOptions
{
    public const int MinOrders = 8;
    public const int MaxOrders = 500;
    public const int MinBaristas = 2;
    public const int MaxBaristas = 16;
    public const double MinSpeed = 1;
    public const double MaxSpeed = 200;

    /// <summary>Gets or sets how many orders the cashier takes. The default is 24; the allowed range is 8 to 500.</summary>
    public int Orders { get; set; } = 24;

    /// <summary>Gets or sets how many baristas work at the rush. The default is 4; the allowed range is 2 to 16.</summary>
    public int Baristas { get; set; } = 4;

    /// <summary>Gets or sets the seed of the chaos: customers, drinks, sizes, brewing times, the cashier's pace and which order is impossible.</summary>
    public int Seed { get; set; } = 2026;

    /// <summary>Gets or sets how many times faster than real time the shop runs. The default is 30; the allowed range is 1 to 200.</summary>
    public double Speed { get; set; } = 30;

    /// <summary>Gets or sets a value indicating whether the dead-lettered order is redriven after the pantry is restocked. The default is <see langword="true"/>.</summary>
    public bool Redrive { get; set; } = true;

    /// <summary>Checks every setting, reporting every problem at once.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Orders is < MinOrders or > MaxOrders)
        {
            errors.Add($"--orders is {Orders}; it must be between {MinOrders} and {MaxOrders}.");
        }

        if (Baristas is < MinBaristas or > MaxBaristas)
        {
            errors.Add($"--baristas is {Baristas}; it must be between {MinBaristas} and {MaxBaristas}.");
        }

        if (double.IsNaN(Speed) || Speed is < MinSpeed or > MaxSpeed)
        {
            errors.Add($"--speed is {Speed}; it must be between {MinSpeed} and {MaxSpeed}.");
        }

        return errors;
    }
}
