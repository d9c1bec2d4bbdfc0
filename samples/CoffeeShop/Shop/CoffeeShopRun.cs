using System.Diagnostics;
using System.Net.Http.Json;
using Broker;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Webhooks;
using CoffeeShop.Baristas;
using CoffeeShop.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CoffeeShop.Shop;

/// <summary>Builds the shop (its host, queues, topic, subscriptions, phone and baristas), plays the story and returns the figures.</summary>
/// <remarks>Rendering is not its business: it reports events to an <see cref="IShopObserver"/> and answers <see cref="SnapshotAsync"/>.</remarks>
internal sealed class CoffeeShopRun
{
    /// <summary>The longest any step of the story may take, in shop time, before the run is declared stuck.</summary>
    private static readonly TimeSpan s_stepTimeout = TimeSpan.FromMinutes(30);

    private readonly ShopOptions _options;
    private readonly IShopObserver _observer;
    private volatile ShopState? _state;
    private volatile ShopSnapshot? _closing;

    public CoffeeShopRun(ShopOptions options, IShopObserver observer)
    {
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _observer = observer;
    }

    public async Task<ShopSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        long startedAt = Stopwatch.GetTimestamp();
        DateTimeOffset today = TimeProvider.System.GetUtcNow();
        var clock = new ShopClock(_options.Speed, new DateTimeOffset(today.Year, today.Month, today.Day, 7, 0, 0, TimeSpan.Zero));
        var chaos = new ShopChaos(_options, clock.Opening);
        var parts = new ShopParts(clock, new ShopLedger(clock, _observer), chaos, new Pantry());
        string secret = WebhookSecret.Generate();

        await using PhoneListener phone = await PhoneListener.StartAsync(secret, parts, cancellationToken);
        using IHost shop = BuildShopHost(parts);
        await shop.StartAsync(cancellationToken);
        var stations = new List<BaristaStation>();
        try
        {
            var broker = shop.Services.GetRequiredService<MessageBroker>();
            var state = new ShopState(
                parts,
                broker,
                broker.GetQueue<CoffeeOrder>(ShopParts.OrdersQueue),
                broker.GetQueue<CoffeeOrder>(ShopParts.OrdersDeadLetterQueue),
                broker.GetQueue<OrderReady>(ShopParts.AnalyticsQueue),
                shop.Services.GetRequiredService<HealthCheckService>());
            _state = state;

            // The phone is a webhook subscriber: its address is only known once its listener runs, so it subscribes now.
            broker.GetTopic<OrderReady>(ShopParts.OrderReadyTopic).SubscribeWebhook(phone.Url, o =>
            {
                o.Secrets.Add(secret);
                o.RawMessageDelivery = true;
                o.Security.AllowLoopback = true;
                o.Timeout = TimeSpan.FromMinutes(5);

                // Shop time runs fast, so a real-time hiccup of the machine can outlast a request's timeout: retry generously.
                o.Subscription.DeliveryPolicy = new DeliveryPolicy { NumRetries = 10, MinDelay = TimeSpan.FromSeconds(20), MaxDelay = TimeSpan.FromSeconds(20) };
            });
            await SendForgedNotificationAsync(phone.Url, parts.Ledger, cancellationToken);

            return await PlayAsync(state, stations, startedAt, cancellationToken);
        }
        finally
        {
            _state = null;
            foreach (BaristaStation station in stations)
            {
                await station.StopAsync();
                await station.DisposeAsync();
            }

            await shop.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Reads the queues, the health check and the ledger; the closing figures once closed, <see langword="null"/> before opening.</summary>
    public async Task<ShopSnapshot?> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        if (_state is not { } state)
        {
            return _closing;
        }

        try
        {
            QueueAttributes orders = await state.Orders.GetAttributesAsync(cancellationToken);
            QueueAttributes deadLetters = await state.DeadLetters.GetAttributesAsync(cancellationToken);
            QueueAttributes analytics = await state.Analytics.GetAttributesAsync(cancellationToken);
            HealthReport health = await state.Health.CheckHealthAsync(cancellationToken);
            ShopLedger ledger = state.Parts.Ledger;
            return new ShopSnapshot
            {
                At = state.Parts.Clock.SinceOpening,
                OrdersWaiting = orders.ApproximateNumberOfMessages,
                OrdersInFlight = orders.ApproximateNumberOfMessagesNotVisible,
                DeadLetters = deadLetters.ApproximateNumberOfMessages + deadLetters.ApproximateNumberOfMessagesNotVisible,
                AnalyticsWaiting = analytics.ApproximateNumberOfMessages,
                OrdersHealth = health.Status.ToString(),
                Taken = ledger.Taken,
                Made = ledger.Made,
                Sms = ledger.Sms,
                Phone = ledger.Phone,
                Analytics = ledger.Analytics,
                Baristas = ledger.Board(),
            };
        }
        catch (ObjectDisposedException)
        {
            return null; // Closing while the view looked.
        }
        catch (BrokerException)
        {
            return null;
        }
    }

    private static IHost BuildShopHost(ShopParts parts)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(parts.Clock);
        builder.Services.AddSingleton(parts.Ledger);
        builder.Services.AddBroker(b => b
            .AddQueue<CoffeeOrder>(ShopParts.OrdersDeadLetterQueue, o => o.MessageRetentionPeriod = TimeSpan.FromDays(14))
            .AddQueue<CoffeeOrder>(ShopParts.OrdersQueue, o =>
            {
                o.VisibilityTimeout = ShopParts.VisibilityTimeout;
                o.DeadLetter(ShopParts.OrdersDeadLetterQueue, maxReceiveCount: ShopParts.MaxReceiveCount);
            })
            .AddQueue<OrderReady>(ShopParts.AnalyticsQueue)
            .AddTopic<OrderReady>(ShopParts.OrderReadyTopic, t => t
                .Subscribe<SmsNotifier>()
                .SubscribeQueue(ShopParts.AnalyticsQueue, filter: ShopParts.AnalyticsFilter))
            .AddConsumer<AnalyticsDesk, OrderReady>(ShopParts.AnalyticsQueue));
        builder.Services.AddHealthChecks().AddBrokerQueue(ShopParts.OrdersQueue, h =>
        {
            h.DegradedDepth = 5;
            h.UnhealthyDeadLetterCount = 1;
        });
        return builder.Build();
    }

    private static async Task SendForgedNotificationAsync(Uri phone, ShopLedger ledger, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.PostAsJsonAsync(phone, new OrderReady(0, "you", "free latte", "large", "nobody"), cancellationToken);
        ledger.ForgedNotificationRefused((int)response.StatusCode);
    }

    private async Task<ShopSummary> PlayAsync(ShopState state, List<BaristaStation> stations, long startedAt, CancellationToken cancellationToken)
    {
        ShopParts parts = state.Parts;
        ShopLedger ledger = parts.Ledger;
        ShopChaos chaos = parts.Chaos;
        string first = Menu.Baristas[0];

        stations.Add(await OpenStationAsync(first, state, "opens the shop alone", cancellationToken));
        Task cashier = new Cashier.Cashier(state.Orders, chaos, parts.Clock, ledger).TakeOrdersAsync(cancellationToken);

        // Every beat is clamped to leave orders still to come, so that short runs tell the whole story too.
        int orders = _options.Orders;
        await WaitUntilAsync(parts, () => ledger.Taken >= chaos.BreakAfterOrder, "the break", cancellationToken);
        ledger.Tell("manager", $"sends {first} on a break", ShopEventKind.Manager);
        ledger.UpdateBarista(first, "finishing, then a break");
        await CloseStationAsync(stations, first);
        ledger.BreakTaken();
        ledger.BaristaLeft(first, "on break", "is on a break; orders pile up in the queue while the cashier carries on");

        int returnAt = Math.Min(ledger.Taken + chaos.BreakPile, orders - 2);
        await WaitUntilAsync(parts, () => ledger.Taken >= returnAt, "the return from the break", cancellationToken);
        stations.Add(await OpenStationAsync(first, state, "is back from the break and works through the pile", cancellationToken));

        int rushAt = Math.Min(ledger.Taken + 1, orders - 1);
        await WaitUntilAsync(parts, () => ledger.Taken >= rushAt, "the rush", cancellationToken);
        chaos.ArmCrash();
        ledger.Tell("manager", $"the rush: calls in {_options.Baristas - 1} more baristas; the queue spreads the orders between them", ShopEventKind.Manager);
        for (int i = 1; i < _options.Baristas; i++)
        {
            stations.Add(await OpenStationAsync(Menu.Baristas[i], state, "joins and competes for orders", cancellationToken));
            await Task.Delay(TimeSpan.FromSeconds(5), parts.Clock, cancellationToken);
        }

        // The crashed order comes back after its visibility timeout and someone else makes it; only then is the frozen station
        // killed (so it never handed the order back early) and started again, as an orchestrator restarts a crashed container.
        await WaitUntilAsync(
            parts,
            async () => (ledger.CrashedBarista is not null && ledger.IsMade(ledger.CrashedOrder)) ||
                (ledger.CrashedBarista is null && cashier.IsCompleted && await AllSettledAsync(state, cancellationToken)),
            "the crashed order's redelivery",
            cancellationToken);
        if (ledger.CrashedBarista is { } crashed)
        {
            await CloseStationAsync(stations, crashed, kill: true);
            ledger.BaristaLeft(crashed, "restarting", "is killed and restarted by the manager; the order it held was already made by another barista");
            stations.Add(await OpenStationAsync(crashed, state, "is back after the restart", cancellationToken));
        }

        await cashier;
        await WaitUntilAsync(parts, () => AllSettledAsync(state, cancellationToken), "every order made or dead-lettered", cancellationToken);
        int deadLettered = await DeadLetterCountAsync(state, cancellationToken);
        await ShowDeadLettersAsync(state, cancellationToken);

        int redriven = 0;
        if (_options.Redrive && deadLettered > 0)
        {
            parts.Pantry.Restock();
            ledger.Tell("manager", $"restocks {Menu.ScarceMilk} milk and redrives the dead-letter queue into '{ShopParts.OrdersQueue}'", ShopEventKind.Manager);
            MessageMoveTask move = state.Broker.StartMessageMoveTask(ShopParts.OrdersDeadLetterQueue);
            await move.Completion.WaitAsync(cancellationToken);
            redriven = (int)move.MessagesMoved;
            await WaitUntilAsync(parts, () => AllSettledAsync(state, cancellationToken), "the redriven orders made", cancellationToken);
        }

        await WaitUntilAsync(
            parts,
            () => ledger.Sms == ledger.Made && ledger.Phone == ledger.Made && ledger.Analytics == ledger.LargeMade,
            "every notification delivered",
            cancellationToken);
        ledger.Tell("manager", "every drink is made and every customer told: closing time", ShopEventKind.Manager);
        int left = await DeadLetterCountAsync(state, cancellationToken);
        _closing = await SnapshotAsync(cancellationToken);
        return ledger.Summarize(deadLettered, redriven, left, Stopwatch.GetElapsedTime(startedAt));
    }

    private static async Task<BaristaStation> OpenStationAsync(string name, ShopState state, string reason, CancellationToken cancellationToken)
    {
        BaristaStation station = await BaristaStation.OpenAsync(name, state.Broker, state.Parts, cancellationToken);
        state.Parts.Ledger.BaristaJoined(name, reason);
        return station;
    }

    private static async Task CloseStationAsync(List<BaristaStation> stations, string name, bool kill = false)
    {
        BaristaStation station = stations.Find(s => s.Name == name)!;
        stations.Remove(station);
        if (kill)
        {
            await station.KillAsync();
        }
        else
        {
            await station.StopAsync();
        }

        await station.DisposeAsync();
    }

    private static async ValueTask<int> DeadLetterCountAsync(ShopState state, CancellationToken cancellationToken)
    {
        QueueAttributes attributes = await state.DeadLetters.GetAttributesAsync(cancellationToken);
        return (int)(attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible);
    }

    private async ValueTask<bool> AllSettledAsync(ShopState state, CancellationToken cancellationToken) =>
        state.Parts.Ledger.Made + await DeadLetterCountAsync(state, cancellationToken) == _options.Orders;

    private static async Task ShowDeadLettersAsync(ShopState state, CancellationToken cancellationToken)
    {
        IReadOnlyList<ReceivedMessage<CoffeeOrder>> letters = await state.DeadLetters.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.Zero, cancellationToken: cancellationToken);
        foreach (ReceivedMessage<CoffeeOrder> letter in letters)
        {
            state.Parts.Ledger.Tell(
                "manager",
                $"finds {letter.Body} in '{ShopParts.OrdersDeadLetterQueue}' (from '{letter.DeadLetterSourceQueue}', after {ShopParts.MaxReceiveCount} failed deliveries)",
                ShopEventKind.Trouble);

            // Only looking: make it visible again so a redrive can move it.
            await state.DeadLetters.ChangeVisibilityAsync(letter.ReceiptHandle, TimeSpan.Zero, cancellationToken);
        }
    }

    private static Task WaitUntilAsync(ShopParts parts, Func<bool> condition, string what, CancellationToken cancellationToken) =>
        WaitUntilAsync(parts, () => new ValueTask<bool>(condition()), what, cancellationToken);

    private static async Task WaitUntilAsync(ShopParts parts, Func<ValueTask<bool>> condition, string what, CancellationToken cancellationToken)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(parts.Clock.ToReal(s_stepTimeout).TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException(
                    $"The shop did not reach {what} within {s_stepTimeout} of shop time: {parts.Ledger.Taken} taken, {parts.Ledger.Made} made, " +
                    $"{parts.Ledger.Sms} SMS, {parts.Ledger.Phone} phone, {parts.Ledger.Analytics} analytics.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>The open shop's parts, for the snapshot and the story.</summary>
    private sealed record ShopState(
        ShopParts Parts,
        MessageBroker Broker,
        IMessageQueue<CoffeeOrder> Orders,
        IMessageQueue<CoffeeOrder> DeadLetters,
        IMessageQueue<OrderReady> Analytics,
        HealthCheckService Health);
}
