using CoffeeShop.Shop;

namespace CoffeeShop.Views;

/// <summary>The story as plain lines, one per event: for output that is not a terminal (a file, a pipe, a CI log).</summary>
internal sealed class PlainView : IShopObserver
{
    private readonly TextWriter _output;
    private readonly Lock _gate = new();

    public PlainView(TextWriter output) => _output = output;

    public static string Clock(TimeSpan sinceOpening) => (TimeSpan.FromHours(7) + sinceOpening).ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);

    public void OnEvent(ShopEvent shopEvent)
    {
        string line = $"[{Clock(shopEvent.At)}] {shopEvent.Actor,-9} {shopEvent.Text}";
        lock (_gate)
        {
            _output.WriteLine(line);
        }
    }
}
