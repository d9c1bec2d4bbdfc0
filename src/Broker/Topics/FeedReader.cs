using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Broker.Topics;

/// <summary>One subscription's cursor over its topic's feeds: the feed of every set the subscription has been in, read in
/// order, each to its end.</summary>
/// <remarks>Read by the subscription's one worker; only <see cref="Follow_Locked"/> is called from elsewhere, under the
/// topic's gate.</remarks>
internal sealed class FeedReader<T>
{
    /// <summary>Rung when a reader that waits may read on; holds at most one ring, as a reader waits once per registration.</summary>
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private Link _current;
    private Link _last;
    private TopicFeed<T>.Segment? _segment;
    private int _index;
    private long _position;
    private long _available;

    public FeedReader(TopicFeed<T> first) => _current = _last = new Link(first);

    /// <summary>Gets or sets the next reader in a feed's list of waiting readers; changed only under that feed's gate or by
    /// the one who took the list.</summary>
    public FeedReader<T>? NextWaiter { get; set; }

    /// <summary>Tells whether a message can be taken now.</summary>
    public bool CanTake() => _position < _available || Refresh();

    /// <summary>Queues the feed of the next set, which the subscription is also in; called under the topic's gate, before the
    /// current set's feed is sealed.</summary>
    public void Follow_Locked(TopicFeed<T> next)
    {
        var link = new Link(next);
        Volatile.Write(ref _last.Next, link);
        _last = link;
    }

    /// <summary>Takes the next message, if there is one now.</summary>
    public bool TryTake([NotNullWhen(true)] out TopicMessage<T>? message)
    {
        if (!CanTake())
        {
            message = null;
            return false;
        }

        if (_index == TopicFeed<T>.SegmentLength)
        {
            _segment = Volatile.Read(ref _segment!.Next);
            _index = 0;
        }

        message = _segment!.Items[_index++]!;
        _position++;
        return true;
    }

    /// <summary>Waits until a message can be taken.</summary>
    /// <returns><see langword="true"/>; a subscription that left the topic's sets waits until it is cancelled.</returns>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
        => CanTake() ? new ValueTask<bool>(true) : WaitSlowAsync(cancellationToken);

    /// <summary>Rings the doorbell of a reader that waits.</summary>
    public void Ring() => _doorbell.Writer.TryWrite(true);

    /// <summary>Leaves every feed not read to its end, after the worker has stopped.</summary>
    /// <returns>The messages left unread.</returns>
    public long Abandon()
    {
        long unread = 0;
        for (Link? link = _current; link is not null; link = Volatile.Read(ref link.Next))
        {
            bool started = link == _current && _segment is not null;
            unread += link.Feed.Count - (link == _current ? _position : 0);
            link.Feed.Leave(this, started);
        }

        return unread;
    }

    private async ValueTask<bool> WaitSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TopicFeed<T> feed = _current.Feed;
            bool registered = feed.TryWait(this, _position);
            if (registered || (feed.IsSealed && Volatile.Read(ref _current.Next) is null && _position == feed.Count))
            {
                // Registered: rung by the next append or the seal. At the end of a sealed feed with none after it, the
                // subscription has left the topic's sets and is being removed: only the cancellation ends the wait.
                await _doorbell.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                _doorbell.Reader.TryRead(out _);
            }

            if (CanTake())
            {
                return true;
            }
        }
    }

    /// <summary>Reads how far the current feed goes, starting it if need be, and moves on to the next feed when the current one
    /// is sealed and read to its end.</summary>
    /// <returns>Whether a message can be taken now.</returns>
    private bool Refresh()
    {
        while (true)
        {
            TopicFeed<T> feed = _current.Feed;
            _segment ??= feed.Start();
            _available = feed.Count;
            if (_position < _available)
            {
                return true;
            }

            if (!feed.IsSealed)
            {
                return false;
            }

            // Appends end at the seal, so a count read after seeing it is the final one.
            _available = feed.Count;
            if (_position < _available)
            {
                return true;
            }

            Link? next = Volatile.Read(ref _current.Next);
            if (next is null)
            {
                return false;
            }

            feed.Leave(this, started: true);
            _current = next;
            _segment = null;
            _index = 0;
            _position = 0;
            _available = 0;
        }
    }

    private sealed class Link(TopicFeed<T> feed)
    {
        public TopicFeed<T> Feed { get; } = feed;

        public Link? Next;
    }
}
