namespace Broker.Queues;

/// <summary>Remembers keys for a fixed window, as the FIFO de-duplication and receive-attempt windows need.</summary>
/// <remarks>Not thread-safe; callers hold their queue's gate. Every key lives for the same window, so insertion order is
/// expiry order and forgetting expired keys is a walk from the oldest, O(1) amortized per key.</remarks>
internal sealed class ExpiringSet<TValue>(long windowTicks)
{
    private readonly Dictionary<string, (TValue Value, long Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Expires)> _order = new();

    public int Count => _entries.Count;

    public bool TryGet(string key, long now, out TValue value)
    {
        Forget(now);
        if (_entries.TryGetValue(key, out (TValue Value, long Expires) entry))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value, long now)
    {
        Forget(now);
        long expires = now + windowTicks;
        _entries[key] = (value, expires);
        _order.Enqueue((key, expires));
    }

    private void Forget(long now)
    {
        while (_order.TryPeek(out (string Key, long Expires) oldest) && oldest.Expires <= now)
        {
            _order.Dequeue();

            // A key set again later has a later expiry in the dictionary; only the entry that is really due goes.
            if (_entries.TryGetValue(oldest.Key, out (TValue Value, long Expires) entry) && entry.Expires == oldest.Expires)
            {
                _entries.Remove(oldest.Key);
            }
        }
    }
}
