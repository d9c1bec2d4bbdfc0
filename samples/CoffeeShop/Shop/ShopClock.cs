namespace CoffeeShop.Shop;

/// <summary>The shop's clock: real time sped up by a factor, so a morning of shop time plays out in a few seconds.</summary>
/// <remarks>Every part of the run (the broker's visibility timeouts and retries, brewing, the cashier's pace, webhook timestamps
/// and their verification) reads this one clock, so their durations are written in shop time and keep their proportions at
/// any speed. Timers are real timers with their due times divided by the factor.</remarks>
internal sealed class ShopClock : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly double _speed;
    private readonly long _startTimestamp;

    public ShopClock(double speed, DateTimeOffset opening, TimeProvider? real = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 1.0);
        _real = real ?? System;
        _speed = speed;
        _startTimestamp = _real.GetTimestamp();
        Opening = opening;
    }

    /// <summary>Gets the shop time at which the clock started.</summary>
    public DateTimeOffset Opening { get; }

    /// <summary>Gets how much shop time has passed since opening.</summary>
    public TimeSpan SinceOpening => GetUtcNow() - Opening;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override long GetTimestamp() => _startTimestamp + (long)((_real.GetTimestamp() - _startTimestamp) * _speed);

    public override DateTimeOffset GetUtcNow() => Opening + _real.GetElapsedTime(_startTimestamp) * _speed;

    /// <summary>Converts a shop-time span to the real time it takes.</summary>
    public TimeSpan ToReal(TimeSpan shopTime) => shopTime == Timeout.InfiniteTimeSpan ? shopTime : shopTime / _speed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_real.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)), this);

    private sealed class ScaledTimer(ITimer inner, ShopClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToReal(dueTime), clock.ToReal(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
