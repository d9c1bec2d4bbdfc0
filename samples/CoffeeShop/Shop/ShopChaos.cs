namespace CoffeeShop.Shop;

/// <summary>Everything the seed decides, drawn once up front so a seed always tells the same story.</summary>
internal sealed class ShopChaos
{
    private static readonly string[] s_otherMilks = [Menu.DefaultMilk, Menu.DefaultMilk, Menu.DefaultMilk, "skimmed", "almond"];
    private readonly TimeSpan[] _brewTimes;
    private const int NotArmed = 0;
    private const int Armed = 1;
    private const int Crashed = 2;
    private int _crash;

    public ShopChaos(ShopOptions options, DateTimeOffset opening)
    {
        var random = new Random(options.Seed);
        int orders = options.Orders;

        // The story's beats, by how many orders the cashier has taken: barista one alone, then on a break while orders pile up,
        // back, then the rush with everyone. Each beat leaves orders to come, so the crash, armed at the rush, always finds one.
        BreakAfterOrder = 2;
        BreakPile = Math.Clamp(orders / 5, 3, 8);
        ImpossibleOrder = random.Next(1, orders + 1);

        var list = new CoffeeOrder[orders];
        var pauses = new TimeSpan[orders];
        _brewTimes = new TimeSpan[orders + 1];
        for (int i = 0; i < orders; i++)
        {
            int number = i + 1;
            string milk = number == ImpossibleOrder ? Menu.ScarceMilk : s_otherMilks[random.Next(s_otherMilks.Length)];
            list[i] = new CoffeeOrder(
                number,
                Menu.Customers[random.Next(Menu.Customers.Length)],
                Menu.Drinks[random.Next(Menu.Drinks.Length)],
                Menu.Sizes[random.Next(Menu.Sizes.Length)],
                milk,
                opening);
            pauses[i] = TimeSpan.FromSeconds(random.Next(8, 19));
            _brewTimes[number] = TimeSpan.FromSeconds(random.Next(25, 46));
        }

        Orders = list;
        CashierPauses = pauses;
    }

    /// <summary>Gets the orders the cashier will take, in order (their <see cref="CoffeeOrder.TakenAt"/> is set when taken).</summary>
    public IReadOnlyList<CoffeeOrder> Orders { get; }

    /// <summary>Gets the pause before each order: the time it takes the next customer to reach the till.</summary>
    public IReadOnlyList<TimeSpan> CashierPauses { get; }

    public int BreakAfterOrder { get; }

    /// <summary>Gets how many orders pile up during the break before the barista returns.</summary>
    public int BreakPile { get; }

    /// <summary>Gets the order that needs the milk the pantry is out of.</summary>
    public int ImpossibleOrder { get; }

    public TimeSpan BrewTime(int orderNumber) => _brewTimes[orderNumber];

    /// <summary>Arms the crash: the next barista to pick up a fresh order (its first delivery) crashes while making it.</summary>
    public void ArmCrash() => Interlocked.CompareExchange(ref _crash, Armed, NotArmed);

    /// <summary>Decides, once, that this delivery crashes its barista; the order's redelivery is made normally.</summary>
    public bool TryCrash(int orderNumber, int receiveCount) =>
        receiveCount == 1 && orderNumber != ImpossibleOrder && Interlocked.CompareExchange(ref _crash, Crashed, Armed) == Armed;
}
