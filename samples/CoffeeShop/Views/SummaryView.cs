using System.Globalization;
using CoffeeShop.Shop;

namespace CoffeeShop.Views;

/// <summary>The closing figures, as label and value pairs for either view.</summary>
internal static class SummaryView
{
    public static IReadOnlyList<(string Label, string Value)> Lines(ShopSummary s)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return
        [
            ("orders taken", s.OrdersTaken.ToString(c)),
            ("orders made", s.OrdersMade.ToString(c)),
            ("redelivered", string.Create(c, $"{s.Redeliveries} ({s.Crashes} after a crash, {s.DuplicatesDropped} duplicates dropped, the rest retries)")),
            ("dead-lettered", string.Create(c, $"{s.DeadLettered} ({s.Redriven} redriven, {s.LeftInDeadLetterQueue} left in the dead-letter queue)")),
            ("baristas", string.Create(c, $"1 to {s.PeakBaristas}, {s.Breaks} break, {s.Crashes} crash")),
            ("sms", s.SmsSent.ToString(c)),
            ("phone (webhook)", string.Create(c, $"{s.PhoneNotifications} verified, {s.ForgedNotificationsRefused} forged refused")),
            ("analytics (large only)", string.Create(c, $"{s.AnalyticsRecords} of {s.LargeDrinksMade} large drinks")),
            ("cashier's longest send", string.Create(c, $"{s.LongestCashierSend.TotalMilliseconds:0.###} ms")),
            ("time", string.Create(c, $"{s.ShopTime:h\\:mm\\:ss} of shop time in {s.RealTime.TotalSeconds:0.0} s")),
        ];
    }

    public static void WritePlain(TextWriter output, ShopSummary summary)
    {
        output.WriteLine();
        output.WriteLine("Summary");
        foreach ((string label, string value) in Lines(summary))
        {
            output.WriteLine($"  {label,-24}{value}");
        }
    }
}
