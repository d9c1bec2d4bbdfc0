using System.Collections.Concurrent;

namespace CoffeeShop.Shop;

/// <summary>What every part of the shop writes down: the figures of the summary, the baristas' states and the story's events.</summary>
/// <remarks>Written from the cashier, every barista, every notification channel and the manager at once: counters are
/// interlocked, sets are concurrent, and the barista board is behind a lock that never covers a call out.</remarks>
internal sealed class ShopLedger
{
    private readonly ShopClock _clock;
    private readonly IShopObserver _observer;
    private readonly ConcurrentDictionary<int, string> _made = new();
    private readonly ConcurrentDictionary<string, bool> _phoneDeliveries = new(StringComparer.Ordinal);
    private readonly Lock _boardGate = new();
    private readonly List<string> _boardOrder = [];
    private readonly Dictionary<string, BaristaState> _board = new(StringComparer.Ordinal);
    private int _taken;
    private int _redeliveries;
    private int _duplicates;
    private int _crashes;
    private int _breaks;
    private int _largeMade;
    private int _sms;
    private int _analytics;
    private int _forgedRefused;
    private int _peakBaristas;
    private int _baristasWorking;
    private long _longestSendTicks;
    private string? _crashedBarista;
    private int _crashedOrder;

    public ShopLedger(ShopClock clock, IShopObserver observer)
    {
        _clock = clock;
        _observer = observer;
    }

    public int Taken => Volatile.Read(ref _taken);

    public int Made => _made.Count;

    public int Sms => Volatile.Read(ref _sms);

    public int Phone => _phoneDeliveries.Count;

    public int Analytics => Volatile.Read(ref _analytics);

    public int LargeMade => Volatile.Read(ref _largeMade);

    public int Crashes => Volatile.Read(ref _crashes);

    public bool IsMade(int orderNumber) => _made.ContainsKey(orderNumber);

    public void Tell(string actor, string text, ShopEventKind kind) => _observer.OnEvent(new ShopEvent(_clock.SinceOpening, actor, text, kind));

    public void OrderTaken(CoffeeOrder order, TimeSpan sendTime, long waiting)
    {
        Interlocked.Increment(ref _taken);
        long ticks = sendTime.Ticks;
        long longest;
        while (ticks > (longest = Volatile.Read(ref _longestSendTicks)) && Interlocked.CompareExchange(ref _longestSendTicks, ticks, longest) != longest)
        {
        }

        Tell("cashier", $"took {order} ({waiting} waiting)", ShopEventKind.Cashier);
    }

    public void Redelivered(string barista, CoffeeOrder order, int receiveCount)
    {
        Interlocked.Increment(ref _redeliveries);
        Tell(barista, $"gets {order} again (delivery {receiveCount})", ShopEventKind.Trouble);
    }

    /// <returns><see langword="false"/> when the order had already been made by someone: the caller drops the duplicate.</returns>
    public bool TryMarkMade(CoffeeOrder order, string barista)
    {
        if (!_made.TryAdd(order.Number, barista))
        {
            return false;
        }

        if (order.Size == "large")
        {
            Interlocked.Increment(ref _largeMade);
        }

        UpdateBarista(barista, "idle", made: 1);
        Tell(barista, $"made {order}", ShopEventKind.Barista);
        return true;
    }

    public void DuplicateDropped(string barista, CoffeeOrder order)
    {
        Interlocked.Increment(ref _duplicates);
        UpdateBarista(barista, "idle");
        Tell(barista, $"drops a duplicate of {order}: already made", ShopEventKind.Trouble);
    }

    /// <summary>Gets the barista who crashed, once one has.</summary>
    public string? CrashedBarista => Volatile.Read(ref _crashedBarista);

    /// <summary>Gets the number of the order the crashed barista held.</summary>
    public int CrashedOrder => Volatile.Read(ref _crashedOrder);

    public void Crashed(string barista, CoffeeOrder order)
    {
        Volatile.Write(ref _crashedOrder, order.Number);
        Volatile.Write(ref _crashedBarista, barista);
        Interlocked.Increment(ref _crashes);
        UpdateBarista(barista, $"crashed on #{order.Number}");
        Tell(barista, $"crashes mid-order on {order}; the order stays hidden until its visibility timeout", ShopEventKind.Trouble);
    }

    public void BreakTaken() => Interlocked.Increment(ref _breaks);

    public void SmsSent(OrderReady ready)
    {
        Interlocked.Increment(ref _sms);
        Tell("sms", $"to {ready.Customer}: your {ready.Size} {ready.Drink} (#{ready.Number}) is ready", ShopEventKind.Notification);
    }

    /// <returns><see langword="false"/> for a retry of a delivery already counted (same <c>webhook-id</c>).</returns>
    public bool PhoneBuzzed(string webhookId, OrderReady ready)
    {
        if (!_phoneDeliveries.TryAdd(webhookId, true))
        {
            return false;
        }

        Tell("phone", $"{ready.Customer}'s phone buzzes for #{ready.Number} (signature verified)", ShopEventKind.Notification);
        return true;
    }

    public void ForgedNotificationRefused(int status)
    {
        Interlocked.Increment(ref _forgedRefused);
        Tell("phone", $"refuses an unsigned 'your drink is ready' request: HTTP {status}", ShopEventKind.Trouble);
    }

    public void AnalyticsRecorded(OrderReady ready)
    {
        Interlocked.Increment(ref _analytics);
        Tell("analytics", $"records large drink #{ready.Number} ({ready.Drink})", ShopEventKind.Notification);
    }

    public void BaristaJoined(string barista, string reason)
    {
        int working = Interlocked.Increment(ref _baristasWorking);
        int peak;
        while (working > (peak = Volatile.Read(ref _peakBaristas)) && Interlocked.CompareExchange(ref _peakBaristas, working, peak) != peak)
        {
        }

        UpdateBarista(barista, "idle");
        Tell(barista, reason, ShopEventKind.Manager);
    }

    public void BaristaLeft(string barista, string status, string reason)
    {
        Interlocked.Decrement(ref _baristasWorking);
        UpdateBarista(barista, status);
        Tell(barista, reason, ShopEventKind.Manager);
    }

    public void UpdateBarista(string barista, string status, int made = 0)
    {
        lock (_boardGate)
        {
            if (_board.TryGetValue(barista, out BaristaState? state))
            {
                _board[barista] = state with { Status = status, Made = state.Made + made };
            }
            else
            {
                _boardOrder.Add(barista);
                _board[barista] = new BaristaState(barista, status, made);
            }
        }
    }

    public IReadOnlyList<BaristaState> Board()
    {
        lock (_boardGate)
        {
            var states = new BaristaState[_boardOrder.Count];
            for (int i = 0; i < states.Length; i++)
            {
                states[i] = _board[_boardOrder[i]];
            }

            return states;
        }
    }

    public ShopSummary Summarize(int deadLettered, int redriven, int leftInDeadLetterQueue, TimeSpan realTime) => new()
    {
        OrdersTaken = Taken,
        OrdersMade = Made,
        Redeliveries = Volatile.Read(ref _redeliveries),
        DuplicatesDropped = Volatile.Read(ref _duplicates),
        Crashes = Crashes,
        Breaks = Volatile.Read(ref _breaks),
        DeadLettered = deadLettered,
        Redriven = redriven,
        LeftInDeadLetterQueue = leftInDeadLetterQueue,
        LargeDrinksMade = LargeMade,
        SmsSent = Sms,
        PhoneNotifications = Phone,
        AnalyticsRecords = Analytics,
        ForgedNotificationsRefused = Volatile.Read(ref _forgedRefused),
        PeakBaristas = Volatile.Read(ref _peakBaristas),
        LongestCashierSend = TimeSpan.FromTicks(Volatile.Read(ref _longestSendTicks)),
        ShopTime = _clock.SinceOpening,
        RealTime = realTime,
    };
}
