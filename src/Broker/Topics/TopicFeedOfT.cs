using Broker.Scheduling;

namespace Broker.Topics;

/// <summary>The publishes made to one set of a topic's subscriptions: counted once per publish for the whole set and, for
/// the set's subscriptions that read the feed, stored once for all of them.</summary>
/// <remarks>
/// <para>Handing a message to each subscription's own backlog costs the publisher a locked write per subscription, and with
/// ten delegate subscribers that was most of a publish. The subscriptions that read the feed (see
/// <see cref="SubscriptionRuntime{T}"/>) share one append instead, and each reads it at its own pace with its own cursor
/// (<see cref="FeedReader{T}"/>), so a slow one still never holds back the others.</para>
/// <para>When the subscriptions change, the topic seals the old set's feed, which fixes its count, and each subscription that
/// stays reads on in the new set's feed once it has read the old one to its end. A publisher that finds the feed sealed reads
/// the topic's set again and publishes to the new one: no publish is counted twice or missed.</para>
/// <para>Messages are kept in segments linked from oldest to newest. The feed holds only the newest, and its first until
/// every reader has started, so a segment every reader has left is garbage. When every reader has read to the end and waits,
/// the newest segment lets go of the messages already read.</para>
/// </remarks>
internal sealed class TopicFeed<T> : TopicFeed
{
    /// <summary>Messages per segment: 1 KiB of references, allocated once per this many publishes.</summary>
    public const int SegmentLength = 128;

    private SpinGate _gate = new();
    private Segment? _first;
    private Segment? _newest;
    private int _newestLength;
    private int _newestCleared;
    private bool _sealed;
    private int _readers;
    private int _notStarted;
    private int _waiting;
    private FeedReader<T>? _waiters;

    /// <param name="readers">How many of the set's subscriptions read the feed; with none, it only counts.</param>
    public TopicFeed(int readers)
    {
        _readers = readers;
        _notStarted = readers;
        if (readers > 0)
        {
            _first = _newest = new Segment();
        }
    }

    public bool IsSealed => Volatile.Read(ref _sealed);

    /// <summary>Counts a publish and, if the feed has readers, stores its message and wakes the readers that wait.</summary>
    /// <returns><see langword="false"/> when the feed was sealed first: the publish was not taken.</returns>
    public bool TryAppend(TopicMessage<T> message)
    {
        FeedReader<T>? woken;
        using (_gate.Enter())
        {
            if (_sealed)
            {
                return false;
            }

            if (_newest is { } newest)
            {
                if (_newestLength == SegmentLength)
                {
                    var next = new Segment();
                    Volatile.Write(ref newest.Next, next);
                    _newest = newest = next;
                    _newestLength = 0;
                    _newestCleared = 0;
                }

                newest.Items[_newestLength++] = message;
            }

            // The count is what readers read first, so the release store makes the message visible before it.
            Volatile.Write(ref _count, _count + 1);
            woken = TakeWaiters_Locked();
        }

        Wake(woken);
        return true;
    }

    /// <summary>Fixes the count: every later <see cref="TryAppend"/> returns <see langword="false"/>. Wakes the readers that
    /// wait, so they move on to the next set's feed.</summary>
    /// <returns>The publishes taken before the seal.</returns>
    public long Seal()
    {
        FeedReader<T>? woken;
        long count;
        using (_gate.Enter())
        {
            Volatile.Write(ref _sealed, true);
            count = _count;
            woken = TakeWaiters_Locked();
        }

        Wake(woken);
        return count;
    }

    /// <summary>Starts a reader at the feed's first message.</summary>
    /// <returns>The first segment.</returns>
    public Segment Start()
    {
        using (_gate.Enter())
        {
            Segment first = _first ?? throw new InvalidOperationException("Every reader of the feed has started.");
            if (--_notStarted == 0)
            {
                _first = null;
            }

            return first;
        }
    }

    /// <summary>Registers a reader that has read every message to wait for the next one or the seal.</summary>
    /// <param name="reader">The reader; rung once, by the next append or the seal.</param>
    /// <param name="position">How many messages the reader has read.</param>
    /// <returns><see langword="false"/> when there is more to read or the feed is sealed: the reader must not wait.</returns>
    public bool TryWait(FeedReader<T> reader, long position)
    {
        using (_gate.Enter())
        {
            if (position < _count || _sealed)
            {
                return false;
            }

            reader.NextWaiter = _waiters;
            _waiters = reader;
            _waiting++;
            ReleaseReadIfAllWait_Locked();
            return true;
        }
    }

    /// <summary>Takes a reader off the feed for good: it moved on to the next feed or its subscription was removed.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="started">Whether it had started (called <see cref="Start"/>).</param>
    public void Leave(FeedReader<T> reader, bool started)
    {
        using (_gate.Enter())
        {
            _readers--;
            if (!started && --_notStarted == 0)
            {
                _first = null;
            }

            // A reader that waits is in the list only until the next append or the seal, both of which take the whole list.
            FeedReader<T>? previous = null;
            for (FeedReader<T>? waiter = _waiters; waiter is not null; previous = waiter, waiter = waiter.NextWaiter)
            {
                if (ReferenceEquals(waiter, reader))
                {
                    if (previous is null)
                    {
                        _waiters = reader.NextWaiter;
                    }
                    else
                    {
                        previous.NextWaiter = reader.NextWaiter;
                    }

                    reader.NextWaiter = null;
                    _waiting--;
                    break;
                }
            }

            ReleaseReadIfAllWait_Locked();
        }
    }

    private static void Wake(FeedReader<T>? waiter)
    {
        while (waiter is not null)
        {
            FeedReader<T>? next = waiter.NextWaiter;
            waiter.NextWaiter = null;
            waiter.Ring();
            waiter = next;
        }
    }

    private FeedReader<T>? TakeWaiters_Locked()
    {
        FeedReader<T>? waiters = _waiters;
        if (waiters is not null)
        {
            _waiters = null;
            _waiting = 0;
        }

        return waiters;
    }

    /// <summary>Every reader still on the feed waits at its end, so none will read the newest segment's messages again:
    /// dropping them keeps an idle topic from holding its last messages.</summary>
    private void ReleaseReadIfAllWait_Locked()
    {
        if (_readers > 0 && _waiting == _readers && _newest is { } newest && _newestCleared < _newestLength)
        {
            Array.Clear(newest.Items, _newestCleared, _newestLength - _newestCleared);
            _newestCleared = _newestLength;
        }
    }

    /// <summary>A run of <see cref="SegmentLength"/> messages and the link to the next run.</summary>
    public sealed class Segment
    {
        public readonly TopicMessage<T>?[] Items = new TopicMessage<T>?[SegmentLength];

        public Segment? Next;
    }
}
