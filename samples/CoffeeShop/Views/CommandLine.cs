using System.Globalization;
using System.Numerics;
using CoffeeShop.Shop;

namespace CoffeeShop.Views;

/// <summary>Reads the command line into <see cref="ShopOptions"/> and knows the help text.</summary>
internal sealed class CommandLine
{
    public const string Help = """
        The coffee shop: a story of loosely coupled systems told with Broker queues and topics.

        A cashier takes orders into the 'orders' queue. Baristas are hosted consumers competing on it:
        one at first, who takes a break while orders pile up, then several. One crashes mid-order and the
        order comes back after its visibility timeout; an order the kitchen cannot make is retried and
        dead-lettered, then redriven once the pantry is restocked. Each ready drink is published once to
        the 'order-ready' topic, which fans out to an SMS sender, the customer's phone (a signed webhook
        to a listener on 127.0.0.1) and an analytics queue that only takes large drinks.

        Usage: dotnet run --project samples/CoffeeShop [-- options]

        Options:
          --orders <n>     orders the cashier takes (8 to 500; default 24)
          --baristas <n>   baristas at the rush (2 to 16; default 4)
          --seed <n>       seed of the chaos: customers, drinks, sizes, brewing times, the cashier's
                           pace and which order cannot be made (default 2026)
          --speed <x>      how many times faster than real time the shop runs (1 to 200; default 30,
                           which takes 10 to 20 seconds with the defaults)
          --no-redrive     leave the impossible order in the dead-letter queue
          --plain          plain lines instead of the live view (the default when output is redirected)
          -h, --help       this text
        """;

    private const string WholeNumber = "a whole number";

    private CommandLine(ShopOptions options, bool plain, bool showHelp, IReadOnlyList<string> errors)
    {
        Options = options;
        Plain = plain;
        ShowHelp = showHelp;
        Errors = errors;
    }

    public ShopOptions Options { get; }

    public bool Plain { get; }

    public bool ShowHelp { get; }

    public IReadOnlyList<string> Errors { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new ShopOptions();
        var errors = new List<string>();
        bool plain = false;
        bool help = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    help = true;
                    break;
                case "--plain":
                    plain = true;
                    break;
                case "--no-redrive":
                    options.Redrive = false;
                    break;
                case "--orders":
                    options.Orders = ReadNumber(args, ref i, errors, options.Orders, NumberStyles.Integer, WholeNumber);
                    break;
                case "--baristas":
                    options.Baristas = ReadNumber(args, ref i, errors, options.Baristas, NumberStyles.Integer, WholeNumber);
                    break;
                case "--seed":
                    options.Seed = ReadNumber(args, ref i, errors, options.Seed, NumberStyles.Integer, WholeNumber);
                    break;
                case "--speed":
                    options.Speed = ReadNumber(args, ref i, errors, options.Speed, NumberStyles.Float, "a number");
                    break;
                default:
                    errors.Add($"Unknown option '{arg}'.");
                    break;
            }
        }

        if (!help)
        {
            errors.AddRange(options.Validate());
        }

        return new CommandLine(options, plain, help, errors);
    }

    private static string? ReadValue(IReadOnlyList<string> args, ref int i, List<string> errors)
    {
        if (i + 1 >= args.Count)
        {
            errors.Add($"{args[i]} needs a value.");
            return null;
        }

        i++;
        return args[i];
    }

    private static T ReadNumber<T>(IReadOnlyList<string> args, ref int i, List<string> errors, T fallback, NumberStyles styles, string kind)
        where T : INumber<T>
    {
        string name = args[i];
        string? text = ReadValue(args, ref i, errors);
        if (text is null)
        {
            return fallback;
        }

        if (T.TryParse(text, styles, CultureInfo.InvariantCulture, out T? value))
        {
            return value;
        }

        errors.Add($"{name} takes {kind}, not '{text}'.");
        return fallback;
    }
}
