using CoffeeShop.Shop;
using CoffeeShop.Views;
using Spectre.Console;

// The coffee shop sample: see docs/coffee-shop-sample.md.
CommandLine commandLine = CommandLine.Parse(args);
if (commandLine.ShowHelp)
{
    Console.WriteLine(CommandLine.Help);
    return 0;
}

if (commandLine.Errors.Count > 0)
{
    foreach (string error in commandLine.Errors)
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

bool live = !commandLine.Plain && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
if (live)
{
    var view = new LiveView();
    await view.RunAsync(new CoffeeShopRun(commandLine.Options, view));
}
else
{
    var view = new PlainView(Console.Out);
    ShopSummary summary = await new CoffeeShopRun(commandLine.Options, view).RunAsync();
    SummaryView.WritePlain(Console.Out, summary);
}

return 0;
