using System.Runtime.CompilerServices;
using Broker.Messages;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>The feed that a topic appends each publish to once for every delegate subscription of a set, and the cursor
/// (<see cref="FeedReader{T}"/>) with which each of them reads it.</summary>
public sealed class TopicFeedTests
{
    private static readonly IReadOnlyDictionary<string, MessageAttributeValue> s_noAttributes = new Dictionary<string, MessageAttributeValue>();

    [Fact]
    public void TryTake_MoreThanOneSegment_TakesEveryMessageInOrder()
    {
        var feed = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(feed);
        int count = (TopicFeed<int>.SegmentLength * 3) + 5;
        for (int i = 0; i < count; i++)
        {
            feed.TryAppend(Message(i)).Should().BeTrue();
        }

        TakeAll(reader).Should().Equal(Enumerable.Range(0, count));
        reader.CanTake().Should().BeFalse();
        feed.Count.Should().Be(count);
    }

    [Fact]
    public void TryTake_FeedSealedWithANextOneQueued_ReadsTheSealedFeedToItsEndThenTheNext()
    {
        var first = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(first);
        first.TryAppend(Message(0));
        first.TryAppend(Message(1));
        var second = new TopicFeed<int>(readers: 1);
        reader.Follow_Locked(second);
        second.TryAppend(Message(2)); // A publisher that read the new set can append before the old feed is sealed.
        first.TryAppend(Message(3));
        first.Seal().Should().Be(3);

        first.TryAppend(Message(4)).Should().BeFalse("a sealed feed takes no more publishes");
        TakeAll(reader).Should().Equal(0, 1, 3, 2);
    }

    [Fact]
    public void TryTake_FeedNotSealed_DoesNotMoveOnToTheNextFeed()
    {
        var first = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(first);
        first.TryAppend(Message(0));
        var second = new TopicFeed<int>(readers: 1);
        reader.Follow_Locked(second);
        second.TryAppend(Message(1));

        TakeAll(reader).Should().Equal(0);
        first.TryAppend(Message(2));
        first.Seal();
        TakeAll(reader).Should().Equal(2, 1);
    }

    [Fact]
    public async Task WaitToReadAsync_ReaderAtTheEnd_CompletesOnTheNextAppend()
    {
        var feed = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(feed);
        feed.TryAppend(Message(0));
        TakeAll(reader).Should().Equal(0);

        ValueTask<bool> wait = reader.WaitToReadAsync(CancellationToken.None);
        wait.IsCompleted.Should().BeFalse();
        feed.TryAppend(Message(1));

        (await wait.Bounded()).Should().BeTrue();
        TakeAll(reader).Should().Equal(1);
    }

    [Fact]
    public async Task WaitToReadAsync_FeedSealedWhileWaiting_MovesOnToTheNextFeed()
    {
        var first = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(first);
        ValueTask<bool> wait = reader.WaitToReadAsync(CancellationToken.None);
        wait.IsCompleted.Should().BeFalse();
        var second = new TopicFeed<int>(readers: 1);
        reader.Follow_Locked(second);
        second.TryAppend(Message(7));
        first.Seal();

        (await wait.Bounded()).Should().BeTrue();
        TakeAll(reader).Should().Equal(7);
    }

    [Fact]
    public async Task WaitToReadAsync_SealedWithNoNextFeed_WaitsUntilCancelled()
    {
        var feed = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(feed);
        using var cancellation = new CancellationTokenSource();
        ValueTask<bool> wait = reader.WaitToReadAsync(cancellation.Token);
        feed.Seal();
        wait.IsCompleted.Should().BeFalse("the subscription left the topic's sets, so nothing more can come");

        await cancellation.CancelAsync();
        Func<Task> waiting = () => wait.Bounded();
        await waiting.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Abandon_UnreadMessagesInSeveralFeeds_CountsEveryOneOfThem()
    {
        var first = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(first);
        for (int i = 0; i < 5; i++)
        {
            first.TryAppend(Message(i));
        }

        reader.TryTake(out _).Should().BeTrue();
        reader.TryTake(out _).Should().BeTrue();
        var second = new TopicFeed<int>(readers: 1);
        reader.Follow_Locked(second);
        first.Seal();
        second.TryAppend(Message(5));
        second.TryAppend(Message(6));
        second.Seal();

        reader.Abandon().Should().Be(3 + 2);
    }

    [Fact]
    public void TryAppend_SealedWhileFourThreadsAppend_EveryAppendIsInTheSealedCountOrRefused()
    {
        const int Threads = 4;
        const int PerThread = 50_000;
        var feed = new TopicFeed<int>(readers: 0);
        int refused = 0;
        using var started = new Barrier(Threads + 1);
        TopicMessage<int> message = Message(0);

        Thread[] appenders = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            started.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                if (!feed.TryAppend(message))
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToArray();
        Array.ForEach(appenders, t => t.Start());
        started.SignalAndWait();
        while (feed.Count < PerThread)
        {
            Thread.SpinWait(10);
        }

        long sealedCount = feed.Seal();
        Array.ForEach(appenders, t => t.Join(BoundedAwait.OperationTimeout).Should().BeTrue());

        sealedCount.Should().BeGreaterThanOrEqualTo(PerThread);
        feed.Count.Should().Be(sealedCount);
        (sealedCount + Volatile.Read(ref refused)).Should().Be(Threads * PerThread);
    }

    [Fact]
    public async Task Readers_FourAppendersAndFeedsReplacedMidway_EveryReaderTakesEveryMessageOnceInEachAppendersOrder()
    {
        const int Appenders = 4;
        const int PerAppender = 20_000;
        const int Readers = 3;
        const int Replacements = 20;
        var current = new TopicFeed<int>(Readers);
        FeedReader<int>[] readers = Enumerable.Range(0, Readers).Select(_ => new FeedReader<int>(current)).ToArray();
        var replacing = new Lock();

        // Each reader checks, per appender, that bodies arrive in that appender's order with none missing or repeated.
        Task<int>[] reading = readers.Select(reader => Task.Run(async () =>
        {
            var next = new int[Appenders];
            int taken = 0;
            while (taken < Appenders * PerAppender)
            {
                await reader.WaitToReadAsync(CancellationToken.None).Bounded();
                while (reader.TryTake(out TopicMessage<int>? message))
                {
                    int appender = message.Body / PerAppender;
                    (message.Body % PerAppender).Should().Be(next[appender], "appender {0}'s messages come in order, once each", appender);
                    next[appender]++;
                    taken++;
                }
            }

            return taken;
        })).ToArray();

        Task[] appending = Enumerable.Range(0, Appenders).Select(a => Task.Run(() =>
        {
            for (int i = 0; i < PerAppender; i++)
            {
                TopicMessage<int> message = Message((a * PerAppender) + i);
                while (!Volatile.Read(ref current).TryAppend(message))
                {
                    // Sealed: the replacement has put the next feed in place; append there.
                }
            }
        })).ToArray();

        for (int r = 0; r < Replacements; r++)
        {
            await Task.Yield();
            lock (replacing)
            {
                TopicFeed<int> old = current;
                var next = new TopicFeed<int>(Readers);
                Volatile.Write(ref current, next);
                Array.ForEach(readers, reader => reader.Follow_Locked(next));
                old.Seal();
            }
        }

        await Task.WhenAll(appending).WaitAsync(TimeSpan.FromSeconds(30));
        int[] taken = await Task.WhenAll(reading).WaitAsync(TimeSpan.FromSeconds(30));
        taken.Should().OnlyContain(t => t == Appenders * PerAppender);
        readers.Should().OnlyContain(reader => !reader.CanTake());
    }

    [Fact]
    public void TryWait_EveryReaderAtTheEnd_TheFeedLetsGoOfTheMessagesRead()
    {
        var feed = new TopicFeed<int>(readers: 2);
        var first = new FeedReader<int>(feed);
        var second = new FeedReader<int>(feed);
        WeakReference read = AppendUnreferenced(feed, 1);
        TakeAll(first).Should().Equal(1);
        TakeAll(second).Should().Equal(1);

        feed.TryWait(first, position: 1).Should().BeTrue();
        Collect();
        read.IsAlive.Should().BeTrue("the second reader has not waited yet, so the feed still holds the message");

        feed.TryWait(second, position: 1).Should().BeTrue();
        Collect();
        read.IsAlive.Should().BeFalse("every reader waits at the end, so no one can read the message again");
    }

    [Fact]
    public void Leave_AReaderThatNeverStarted_TheOthersWaitingLetTheMessagesGo()
    {
        var feed = new TopicFeed<int>(readers: 2);
        var reading = new FeedReader<int>(feed);
        var removed = new FeedReader<int>(feed);
        WeakReference read = AppendUnreferenced(feed, 1);
        TakeAll(reading).Should().Equal(1);
        feed.TryWait(reading, position: 1).Should().BeTrue();
        Collect();
        read.IsAlive.Should().BeTrue("the other reader may still read it");

        removed.Abandon().Should().Be(1);
        Collect();
        read.IsAlive.Should().BeFalse("the reader left is the only one, and it waits at the end");
    }

    [Fact]
    public void TryWait_MoreToRead_Refuses()
    {
        var feed = new TopicFeed<int>(readers: 1);
        var reader = new FeedReader<int>(feed);
        feed.TryAppend(Message(0));

        feed.TryWait(reader, position: 0).Should().BeFalse();
        TakeAll(reader).Should().Equal(0);
        feed.TryWait(reader, position: 1).Should().BeTrue();
    }

    private static TopicMessage<int> Message(int body)
        => new(MessageId.NewId(), "t", body, null, DateTimeOffset.UnixEpoch, s_noAttributes, null, null, null);

    private static List<int> TakeAll(FeedReader<int> reader)
    {
        var bodies = new List<int>();
        while (reader.TryTake(out TopicMessage<int>? message))
        {
            bodies.Add(message.Body);
        }

        return bodies;
    }

    /// <summary>Appends a message no local of the caller refers to, so the feed's hold on it is the only one.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AppendUnreferenced(TopicFeed<int> feed, int body)
    {
        TopicMessage<int> message = Message(body);
        feed.TryAppend(message);
        return new WeakReference(message);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
