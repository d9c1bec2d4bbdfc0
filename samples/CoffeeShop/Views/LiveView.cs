using System.Globalization;
using CoffeeShop.Shop;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CoffeeShop.Views;

/// <summary>A live terminal view of the queues, the baristas, the notifications and the latest events.</summary>
internal sealed class LiveView : IShopObserver
{
    private const int StoryLines = 12;
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private readonly Queue<ShopEvent> _story = new();

    public void OnEvent(ShopEvent shopEvent)
    {
        lock (_gate)
        {
            _story.Enqueue(shopEvent);
            if (_story.Count > StoryLines)
            {
                _story.Dequeue();
            }
        }
    }

    public async Task<ShopSummary> RunAsync(CoffeeShopRun run)
    {
        ShopSummary? summary = null;
        await AnsiConsole.Live(new Text("Opening the shop...")).AutoClear(false).StartAsync(async context =>
        {
            Task<ShopSummary> running = run.RunAsync();
            ShopSnapshot? last = null;
            while (!running.IsCompleted)
            {
                last = await run.SnapshotAsync() ?? last;
                if (last is not null)
                {
                    context.UpdateTarget(Render(last));
                }

                await Task.WhenAny(running, Task.Delay(s_refresh, TimeProvider.System));
            }

            summary = await running;
            last = await run.SnapshotAsync() ?? last;
            if (last is not null)
            {
                context.UpdateTarget(Render(last));
            }
        });

        var table = new Table().Title("[bold]Summary[/]").AddColumn("").AddColumn("");
        table.HideHeaders();
        foreach ((string label, string value) in SummaryView.Lines(summary!))
        {
            table.AddRow(Markup.Escape(label), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
        return summary!;
    }

    private Rows Render(ShopSnapshot s)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var queues = new Table().Title("Queues").AddColumns("queue", "waiting", "in flight", "health");
        string healthColour = s.OrdersHealth switch { "Healthy" => "green", "Degraded" => "yellow", _ => "red" };
        queues.AddRow("orders", Bar(s.OrdersWaiting), s.OrdersInFlight.ToString(c), $"[{healthColour}]{s.OrdersHealth}[/]");
        queues.AddRow("orders-dlq", s.DeadLetters > 0 ? $"[red]{s.DeadLetters}[/]" : "0", "", "");
        queues.AddRow("analytics", s.AnalyticsWaiting.ToString(c), "", "");

        var baristas = new Table().Title("Baristas").AddColumns("barista", "doing", "made");
        foreach (BaristaState b in s.Baristas)
        {
            string colour = b.Status.StartsWith("brewing", StringComparison.Ordinal) ? "green"
                : b.Status.StartsWith("crashed", StringComparison.Ordinal) || b.Status == "restarting" ? "red"
                : b.Status == "on break" ? "yellow" : "grey";
            baristas.AddRow(Markup.Escape(b.Name), $"[{colour}]{Markup.Escape(b.Status)}[/]", b.Made.ToString(c));
        }

        var notifications = new Table().Title("Notifications").AddColumns("channel", "sent");
        notifications.AddRow("sms", s.Sms.ToString(c));
        notifications.AddRow("phone (webhook)", s.Phone.ToString(c));
        notifications.AddRow("analytics", s.Analytics.ToString(c));

        ShopEvent[] story;
        lock (_gate)
        {
            story = [.. _story];
        }

        var lines = new List<IRenderable>(story.Length);
        foreach (ShopEvent e in story)
        {
            string colour = e.Kind switch
            {
                ShopEventKind.Cashier => "blue",
                ShopEventKind.Barista => "green",
                ShopEventKind.Trouble => "red",
                ShopEventKind.Notification => "aqua",
                _ => "yellow",
            };
            lines.Add(new Markup($"[grey]{PlainView.Clock(e.At)}[/] [{colour}]{Markup.Escape(e.Actor),-9}[/] {Markup.Escape(e.Text)}"));
        }

        var header = new Markup($"[bold]The coffee shop[/] at {PlainView.Clock(s.At)}: {s.Taken} taken, {s.Made} made");
        return new Rows(header, new Columns(queues, baristas, notifications), new Panel(new Rows(lines)).Header("Story").Expand());
    }

    private static string Bar(long depth) => depth.ToString(CultureInfo.InvariantCulture) + " " + new string('#', (int)Math.Min(depth, 30));
}
