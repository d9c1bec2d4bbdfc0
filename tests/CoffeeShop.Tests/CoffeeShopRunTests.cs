using System.Collections.Concurrent;
using CoffeeShop.Shop;

namespace CoffeeShop.Tests;

public sealed class CoffeeShopRunTests
{
    // The fastest the sample allows. A scheduling hiccup long enough to outlast a visibility timeout only adds a redelivery
    // and a dropped duplicate, which the figures account for: they are counts, never timings.
    private const double Speed = ShopOptions.MaxSpeed;
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsync_WithRedrive_MakesEveryOrderAndNotifiesEveryChannel()
    {
        var events = new RecordingObserver();

        ShopSummary summary = await RunAsync(new ShopOptions { Orders = 12, Baristas = 3, Seed = 7, Speed = Speed }, events);

        summary.OrdersTaken.Should().Be(12);
        summary.DeadLettered.Should().Be(1);
        summary.Redriven.Should().Be(1);
        summary.LeftInDeadLetterQueue.Should().Be(0);
        summary.OrdersMade.Should().Be(12);
        summary.OrdersMade.Should().Be(events.CountStartingWith("made #"), "each order is made exactly once");
        summary.SmsSent.Should().Be(summary.OrdersMade);
        summary.PhoneNotifications.Should().Be(summary.OrdersMade);
        summary.AnalyticsRecords.Should().Be(summary.LargeDrinksMade);
    }

    [Fact]
    public async Task RunAsync_WithoutRedrive_LeavesTheImpossibleOrderDeadLettered()
    {
        var events = new RecordingObserver();

        ShopSummary summary = await RunAsync(new ShopOptions { Orders = 12, Baristas = 3, Seed = 11, Speed = Speed, Redrive = false }, events);

        summary.OrdersTaken.Should().Be(12);
        summary.DeadLettered.Should().Be(1);
        summary.Redriven.Should().Be(0);
        summary.LeftInDeadLetterQueue.Should().Be(1);
        (summary.OrdersMade + summary.LeftInDeadLetterQueue).Should().Be(summary.OrdersTaken);
        summary.SmsSent.Should().Be(summary.OrdersMade);
        summary.PhoneNotifications.Should().Be(summary.OrdersMade);
        summary.AnalyticsRecords.Should().Be(summary.LargeDrinksMade);
    }

    [Fact]
    public async Task RunAsync_Always_TellsTheWholeStory()
    {
        var events = new RecordingObserver();

        ShopSummary summary = await RunAsync(new ShopOptions { Orders = 12, Baristas = 3, Seed = 3, Speed = Speed }, events);

        summary.Breaks.Should().Be(1);
        summary.Crashes.Should().Be(1);
        summary.PeakBaristas.Should().Be(3);
        summary.ForgedNotificationsRefused.Should().Be(1);

        // Redeliveries: the crashed order once, the impossible order on each delivery before the dead-letter queue, and one for
        // every duplicate dropped (a redelivery of an order someone else had finished meanwhile).
        summary.Redeliveries.Should().Be(summary.Crashes + (ShopParts.MaxReceiveCount - 1) * summary.DeadLettered + summary.DuplicatesDropped);
        events.Count("crashes mid-order").Should().Be(1);
        events.Count("is killed and restarted").Should().Be(1);
        events.Count("in 'orders-dlq'").Should().Be(1);
    }

    private static Task<ShopSummary> RunAsync(ShopOptions options, RecordingObserver events) =>
        new CoffeeShopRun(options, events).RunAsync().WaitAsync(s_runTimeout);

    private sealed class RecordingObserver : IShopObserver
    {
        private readonly ConcurrentQueue<ShopEvent> _events = new();

        public void OnEvent(ShopEvent shopEvent) => _events.Enqueue(shopEvent);

        public int CountStartingWith(string text) => _events.Count(e => e.Text.StartsWith(text, StringComparison.Ordinal));

        public int Count(string text) => _events.Count(e => e.Text.Contains(text, StringComparison.Ordinal));
    }
}
