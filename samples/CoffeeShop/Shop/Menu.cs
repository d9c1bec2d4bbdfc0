namespace CoffeeShop.Shop;

/// <summary>What the shop sells and who comes in.</summary>
internal static class Menu
{
    public const string DefaultMilk = "whole";

    /// <summary>The milk the shop runs out of: an order that needs it cannot be made until the pantry is restocked.</summary>
    public const string ScarceMilk = "oat";

    public static readonly string[] Drinks = ["flat white", "latte", "cappuccino", "cortado", "mocha", "americano", "chai latte", "macchiato"];

    public static readonly string[] Sizes = ["small", "medium", "large"];

    public static readonly string[] Customers =
    [
        "Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jon", "Kemal", "Lena", "Mo", "Nadia", "Omar", "Priya",
        "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Viktor", "Wen", "Yara", "Zoe",
    ];

    public static readonly string[] Baristas = ["Alba", "Bruno", "Cleo", "Dario", "Esme", "Felix", "Gia", "Hugo", "Iris", "Jules", "Kai", "Luz", "Milo", "Nora", "Otto", "Pia"];
}
