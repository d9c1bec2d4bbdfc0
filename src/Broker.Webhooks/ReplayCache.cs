namespace Broker.Webhooks;

/// <summary>The accepted (webhook-id, timestamp) pairs that are still inside the tolerance window, bounded in number.</summary>
/// <remarks>Entries leave in expiry order; a full cache drops the entry that would expire first. Thread-safe.</remarks>
internal sealed class ReplayCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Id, long Timestamp), long> _expiries = [];
    private readonly PriorityQueue<(string Id, long Timestamp), long> _byExpiry = new();

    /// <summary>Remembers a request unless it is already remembered.</summary>
    /// <param name="id">The webhook-id.</param>
    /// <param name="timestamp">The webhook-timestamp, Unix seconds.</param>
    /// <param name="expires">When the entry may be forgotten, Unix seconds.</param>
    /// <param name="now">The current time, Unix seconds.</param>
    /// <returns><see langword="false"/> if the request was seen before.</returns>
    public bool TryAdd(string id, long timestamp, long expires, long now)
    {
        lock (_gate)
        {
            while (_byExpiry.TryPeek(out (string Id, long Timestamp) oldest, out long expiry) && (expiry < now || _expiries.Count >= capacity))
            {
                _byExpiry.Dequeue();
                if (_expiries.TryGetValue(oldest, out long current) && current == expiry)
                {
                    _expiries.Remove(oldest);
                }
            }

            if (!_expiries.TryAdd((id, timestamp), expires))
            {
                return false;
            }

            _byExpiry.Enqueue((id, timestamp), expires);
            return true;
        }
    }

    /// <summary>Forgets a request, so it is accepted again.</summary>
    public void Remove(string id, long timestamp)
    {
        lock (_gate)
        {
            // The queue entry stays; it is skipped when it comes up because the dictionary no longer holds it.
            _expiries.Remove((id, timestamp));
        }
    }
}
