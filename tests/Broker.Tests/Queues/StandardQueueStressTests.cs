using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using Xunit.Abstractions;

namespace Broker.Tests.Queues;

/// <summary>Many producers and consumers on one standard queue, checked message by message.</summary>
/// <remarks>
/// The first two tests use the real clock with visibility timeouts of tens of milliseconds; they wait only by long-poll
/// receives, never by sleeping. The race test uses a manual clock advanced on its own thread. Every await is bounded, and
/// each test as a whole has a deadline after which it fails with the progress it made.
/// </remarks>
public sealed class StandardQueueStressTests(ITestOutputHelper output)
{
    private const int MaxReceiveCount = 5;
    private const int PoisonEvery = 40;
    private const int MaxBurst = 2_000;

    private static readonly TimeSpan s_testTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan s_visibilityTimeout = TimeSpan.FromMilliseconds(40);
    private static readonly TimeSpan s_longPoll = TimeSpan.FromMilliseconds(100);

    // Longer than any visibility timeout or extension the consumers use, so an empty long poll means nothing is pending.
    private static readonly TimeSpan s_settlePoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_drainVisibility = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Queue_ManyProducersAndCrashingConsumersWithRedrive_DeletesOrDeadLettersEveryMessageExactlyOnce()
    {
        const int producerCount = 4;
        const int consumerCount = 4;
        const int messageCount = 100_000;
        const int perProducer = messageCount / producerCount;
        using var broker = new MessageBroker(TimeProvider.System);
        IMessageQueue<int> deadLetters = broker.CreateQueue<int>("stress-dlq");
        IMessageQueue<int> queue = broker.CreateQueue<int>("stress", o =>
        {
            o.VisibilityTimeout = s_visibilityTimeout;
            o.DeadLetter("stress-dlq", MaxReceiveCount);
        });
        var ledger = new MessageLedger(messageCount);
        var stats = new Stats();
        var behavior = new ConsumerBehavior(BatchDeletes: true, StopWhenProducersDone: false, IsPoison: static id => id % PoisonEvery == 0);
        using var deadline = new CancellationTokenSource(s_testTimeout);
        var stopwatch = Stopwatch.StartNew();

        var producersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producers = new Task[producerCount];
        for (int p = 0; p < producerCount; p++)
        {
            int first = p * perProducer;
            int seed = 1000 + p;
            producers[p] = Task.Run(() => ProduceAsync(queue, ledger, first, perProducer, seed, purgeRequests: null, deadline.Token));
        }

        var consumers = new Task[consumerCount];
        for (int c = 0; c < consumerCount; c++)
        {
            int seed = 2000 + c;
            consumers[c] = Task.Run(() => ConsumeAsync(queue, ledger, stats, behavior, seed, producersDone.Task, deadline.Token));
        }

        async Task RunToEndAsync()
        {
            try
            {
                await Task.WhenAll(producers);
            }
            finally
            {
                producersDone.TrySetResult();
            }

            await Task.WhenAll(consumers);
            await SettleAsync(queue, ledger, deadline.Token);
        }

        await WithinDeadlineAsync(RunToEndAsync(), deadline, () => ProgressAsync(ledger, queue, deadLetters));
        QueueAttributes source = await queue.GetAttributesAsync().Bounded();
        QueueAttributes deadLettered = await deadLetters.GetAttributesAsync().Bounded();
        int drained = 0;
        while (true)
        {
            IReadOnlyList<ReceivedMessage<int>> batch = await deadLetters.ReceiveAsync(QueueLimits.MaxReceiveMessages, TimeSpan.Zero, s_drainVisibility).Bounded();
            if (batch.Count == 0)
            {
                break;
            }

            foreach (ReceivedMessage<int> message in batch)
            {
                ledger.DeadLettered(message.Body, message.MessageId, message.ReceiveCount, message.DeadLetterSourceQueue, "stress");
                drained++;
            }
        }

        (int deleted, int deadLetterCount) = ledger.VerifyDeletedOrDeadLettered(MaxReceiveCount);
        output.WriteLine(
            $"{stopwatch.Elapsed.TotalSeconds:F2} s: {ledger.Accepted} accepted, {ledger.Receives} receives, {deleted} deleted, {deadLetterCount} dead-lettered; {stats}");

        ledger.Problems.Should().BeEmpty();
        ledger.Accepted.Should().Be(messageCount);
        (deleted + deadLetterCount).Should().Be(messageCount);
        deadLetterCount.Should().BeGreaterThanOrEqualTo(messageCount / PoisonEvery, "every poison message is dead-lettered");
        source.ApproximateNumberOfMessages.Should().Be(0);
        source.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
        source.ApproximateNumberOfMessagesDelayed.Should().Be(0);
        deadLettered.ApproximateNumberOfMessages.Should().Be(deadLetterCount);
        deadLettered.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
        drained.Should().Be(deadLetterCount);
        RawTotal(queue).Should().Be(0, "the unclamped counters must not hide a negative drift");
        RawTotal(deadLetters).Should().Be(deadLetterCount, "the unclamped counters must not hide a negative drift");
    }

    [Fact]
    public async Task PurgeAsync_DuringConcurrentSendsReceivesAndDeletes_AccountsForEveryMessage()
    {
        const int producerCount = 3;
        const int consumerCount = 3;
        const int perProducer = 12_000;
        const int burstIds = 50_000;
        const int messageCount = (producerCount * perProducer) + burstIds;
        const int purgeEvery = 400;
        using var broker = new MessageBroker(TimeProvider.System);
        IMessageQueue<int> queue = broker.CreateQueue<int>("purge-stress", o => o.VisibilityTimeout = s_visibilityTimeout);
        var ledger = new MessageLedger(messageCount);
        var stats = new Stats();
        var behavior = new ConsumerBehavior(BatchDeletes: false, StopWhenProducersDone: true, IsPoison: static _ => false);
        var purgeRequests = Channel.CreateUnbounded<int>();
        using var deadline = new CancellationTokenSource(s_testTimeout);
        var stopwatch = Stopwatch.StartNew();

        var producersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producers = new Task[producerCount];
        for (int p = 0; p < producerCount; p++)
        {
            int first = p * perProducer;
            int seed = 3000 + p;
            producers[p] = Task.Run(() => ProduceAsync(queue, ledger, first, perProducer, seed, (purgeRequests.Writer, purgeEvery), deadline.Token));
        }

        Task<long> purger = Task.Run(() => PurgeWhenAskedAsync(queue, ledger, purgeRequests.Reader, producerCount * perProducer, burstIds, stats, deadline.Token));
        var consumers = new Task[consumerCount];
        for (int c = 0; c < consumerCount; c++)
        {
            int seed = 5000 + c;
            consumers[c] = Task.Run(() => ConsumeAsync(queue, ledger, stats, behavior, seed, producersDone.Task, deadline.Token));
        }

        long purged = 0;
        int remaining = 0;
        QueueAttributes? beforeFinalPurge = null;
        async Task RunToEndAsync()
        {
            try
            {
                try
                {
                    await Task.WhenAll(producers);
                }
                finally
                {
                    purgeRequests.Writer.TryComplete();
                }

                purged = await purger;
            }
            finally
            {
                producersDone.TrySetResult();
            }

            await Task.WhenAll(consumers);

            // Whatever is left is drained under a long visibility timeout, so each remaining message is received once. Counts read
            // while a timer moves a message between states can miss it for an instant, so quiet must be seen twice.
            for (int quietRounds = 0, emptyPolls = 0; quietRounds < 2;)
            {
                IReadOnlyList<ReceivedMessage<int>> batch = await queue.ReceiveAsync(QueueLimits.MaxReceiveMessages, s_settlePoll, s_drainVisibility, deadline.Token).Bounded(deadline.Token);
                foreach (ReceivedMessage<int> message in batch)
                {
                    ledger.Received(message.Body, message.MessageId, message.ReceiveCount, ledger.Now());
                    ledger.Remained(message.Body);
                    remaining++;
                }

                QueueAttributes attributes = await queue.GetAttributesAsync(deadline.Token).Bounded(deadline.Token);
                bool quiet = batch.Count == 0 && attributes.ApproximateNumberOfMessages == 0 && attributes.ApproximateNumberOfMessagesDelayed == 0
                    && attributes.ApproximateNumberOfMessagesNotVisible == remaining;
                quietRounds = quiet ? quietRounds + 1 : 0;
                emptyPolls = batch.Count == 0 && !quiet ? emptyPolls + 1 : 0;
                FailIfStranded(emptyPolls, attributes, $"the drain holds {remaining} in flight");
                beforeFinalPurge = attributes;
            }
        }

        await WithinDeadlineAsync(RunToEndAsync(), deadline, () => ProgressAsync(ledger, queue, deadLetters: null));
        long finalPurge = await queue.PurgeAsync().Bounded();
        QueueAttributes after = await queue.GetAttributesAsync().Bounded();

        (int deleted, int stillThere, int neither) = ledger.VerifyDeletedPurgedOrRemaining();
        output.WriteLine(
            $"{stopwatch.Elapsed.TotalSeconds:F2} s: {ledger.Accepted} accepted, {ledger.Receives} receives, {deleted} deleted, {purged} purged, {stillThere} remaining; {stats}");

        ledger.Problems.Should().BeEmpty();
        stats.Purges.Should().BeGreaterThan(0);
        stillThere.Should().Be(remaining);
        neither.Should().Be((int)purged, "every accepted message that was neither deleted nor left in the queue was purged, and purges reported {0}", purged);
        (deleted + stillThere + neither).Should().Be((int)ledger.Accepted);
        beforeFinalPurge!.ApproximateNumberOfMessagesNotVisible.Should().Be(remaining);
        finalPurge.Should().Be(remaining, "the final purge removes exactly the messages the drain holds");
        after.ApproximateNumberOfMessages.Should().Be(0);
        after.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
        after.ApproximateNumberOfMessagesDelayed.Should().Be(0);
        RawTotal(queue).Should().Be(0, "the unclamped counters must not hide a negative drift");
    }

    [Fact]
    public async Task DeleteAsync_RacingVisibilityExpiryChangeVisibilityAndReceive_NeverRedeliversDeletedMessage()
    {
        const int iterations = 300;
        const int perIteration = 16;
        TimeSpan visibility = TimeSpan.FromSeconds(30);
        TimeSpan[] changes = [TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(45)];
        var clock = new ManualTimeProvider();
        using var broker = new MessageBroker(clock);
        IMessageQueue<int> queue = broker.CreateQueue<int>("race", o => o.VisibilityTimeout = visibility);
        var random = new Random(42);
        var problems = new List<string>();
        int deleteWon = 0;
        int receiveWon = 0;
        var stopwatch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int firstId = iteration * perIteration;
            var held = new ReceivedMessage<int>[perIteration];
            for (int i = 0; i < perIteration; i++)
            {
                await queue.SendAsync(firstId + i).Bounded();
            }

            for (int taken = 0; taken < perIteration;)
            {
                IReadOnlyList<ReceivedMessage<int>> batch = await queue.ReceiveAsync(QueueLimits.MaxReceiveMessages, TimeSpan.Zero).Bounded();
                batch.Should().NotBeEmpty("iteration {0} sent {1} messages and has received only {2}", iteration, perIteration, taken);
                foreach (ReceivedMessage<int> message in batch)
                {
                    held[message.Body - firstId] = message;
                    taken++;
                }
            }

            int[] deleteOrder = Shuffled(random, perIteration);
            int[] changeOrder = Shuffled(random, perIteration);
            var change = new TimeSpan[perIteration];
            for (int i = 0; i < perIteration; i++)
            {
                change[i] = changes[random.Next(changes.Length)];
            }

            var deleted = new bool[perIteration];
            var redelivered = new List<ReceivedMessage<int>>();
            int finished = 0;
            using var barrier = new Barrier(4);
            Task deleter = StartContender(barrier, async () =>
            {
                foreach (int i in deleteOrder)
                {
                    deleted[i] = await queue.DeleteAsync(held[i].ReceiptHandle).Bounded();
                }

                Interlocked.Increment(ref finished);
            });
            Task expirer = StartContender(barrier, () =>
            {
                clock.Advance(visibility);
                Interlocked.Increment(ref finished);
                return Task.CompletedTask;
            });
            Task changer = StartContender(barrier, async () =>
            {
                foreach (int i in changeOrder)
                {
                    try
                    {
                        await queue.ChangeVisibilityAsync(held[i].ReceiptHandle, change[i]).Bounded();
                    }
                    catch (BrokerException e) when (e.ErrorCode == BrokerErrorCode.MessageNotInFlight)
                    {
                        // Deleted, expired or received again first: the race this test is about.
                    }
                }

                Interlocked.Increment(ref finished);
            });
            Task receiver = StartContender(barrier, async () =>
            {
                // Receive until the other three are done, then once more; the spin is capped so a hung contender cannot keep it busy.
                long started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started) < BoundedAwait.OperationTimeout)
                {
                    bool last = Volatile.Read(ref finished) == 3;
                    redelivered.AddRange(await queue.ReceiveAsync(QueueLimits.MaxReceiveMessages, TimeSpan.Zero).Bounded());
                    if (last)
                    {
                        return;
                    }
                }

                throw new TimeoutException("The other contenders did not finish.");
            });
            await Task.WhenAll(deleter, expirer, changer, receiver).Bounded();

            int notDeleted = 0;
            for (int i = 0; i < perIteration; i++)
            {
                int id = firstId + i;
                bool receivedAgain = redelivered.Exists(m => m.Body == id);
                if (deleted[i] && receivedAgain)
                {
                    problems.Add($"iteration {iteration}, message {id}: delete returned true, yet it was received again (change {change[i]})");
                }

                if (!deleted[i] && !receivedAgain)
                {
                    problems.Add($"iteration {iteration}, message {id}: delete returned false, yet no one received it again (change {change[i]})");
                }

                notDeleted += deleted[i] ? 0 : 1;
            }

            deleteWon += perIteration - notDeleted;
            receiveWon += notDeleted;
            QueueAttributes during = await queue.GetAttributesAsync().Bounded();
            if (during.ApproximateNumberOfMessages + during.ApproximateNumberOfMessagesNotVisible != notDeleted || during.ApproximateNumberOfMessagesDelayed != 0)
            {
                problems.Add($"iteration {iteration}: {notDeleted} messages not deleted, counts say visible {during.ApproximateNumberOfMessages}, "
                    + $"in flight {during.ApproximateNumberOfMessagesNotVisible}, delayed {during.ApproximateNumberOfMessagesDelayed}");
            }

            // Past every visibility timeout in play: whatever was not deleted is visible again, and only that.
            clock.Advance(TimeSpan.FromMinutes(2));
            var drained = new HashSet<int>();
            while (true)
            {
                IReadOnlyList<ReceivedMessage<int>> batch = await queue.ReceiveAsync(QueueLimits.MaxReceiveMessages, TimeSpan.Zero).Bounded();
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (ReceivedMessage<int> message in batch)
                {
                    int i = message.Body - firstId;
                    if (i is < 0 or >= perIteration || !drained.Add(message.Body) || deleted[i])
                    {
                        problems.Add($"iteration {iteration}, message {message.Body}: redelivered after the race, though deleted or already drained");
                    }

                    if (!await queue.DeleteAsync(message.ReceiptHandle).Bounded())
                    {
                        problems.Add($"iteration {iteration}, message {message.Body}: delete with a current handle returned false");
                    }
                }
            }

            if (drained.Count != notDeleted)
            {
                problems.Add($"iteration {iteration}: {notDeleted} messages not deleted, {drained.Count} redelivered after the race");
            }

            QueueAttributes end = await queue.GetAttributesAsync().Bounded();
            if (end.ApproximateNumberOfMessages != 0 || end.ApproximateNumberOfMessagesNotVisible != 0 || end.ApproximateNumberOfMessagesDelayed != 0
                || RawTotal(queue) != 0)
            {
                problems.Add($"iteration {iteration}: the queue is empty, counts say visible {end.ApproximateNumberOfMessages}, "
                    + $"in flight {end.ApproximateNumberOfMessagesNotVisible}, delayed {end.ApproximateNumberOfMessagesDelayed}");
            }

            if (problems.Count > 25)
            {
                break;
            }
        }

        output.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F2} s: {iterations} iterations, delete won {deleteWon}, receive won {receiveWon}");

        problems.Should().BeEmpty();
        (deleteWon + receiveWon).Should().Be(iterations * perIteration);
    }

    private static async Task ProduceAsync(
        IMessageQueue<int> queue,
        MessageLedger ledger,
        int first,
        int count,
        int seed,
        (ChannelWriter<int> Writer, int Every)? purgeRequests,
        CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var entries = new List<SendBatchEntry<int>>(QueueLimits.MaxBatchEntries);
        int end = first + count;
        for (int next = first; next < end;)
        {
            // Sends complete synchronously; yielding now and then lets producers and consumers interleave on few cores.
            if (random.Next(8) == 0)
            {
                await Task.Yield();
            }

            if (purgeRequests is { } purge && random.Next(purge.Every) == 0)
            {
                purge.Writer.TryWrite(0);
            }

            if (random.Next(2) == 0)
            {
                int id = next++;
                SendResult result = await queue.SendAsync(id, DelayOrDefault(random), cancellationToken).Bounded(cancellationToken);
                ledger.Sent(id, result.MessageId);
                continue;
            }

            entries.Clear();
            int size = Math.Min(random.Next(2, QueueLimits.MaxBatchEntries + 1), end - next);
            for (int i = 0; i < size; i++)
            {
                int id = next++;
                entries.Add(new SendBatchEntry<int>(id.ToString(CultureInfo.InvariantCulture), id) { Delay = DelayOrDefault(random)?.Delay });
            }

            BatchResult<SendBatchResultEntry> sent = await queue.SendBatchAsync(entries, cancellationToken).Bounded(cancellationToken);
            foreach (BatchResultErrorEntry failure in sent.Failed)
            {
                ledger.Problem($"message {failure.Id}: batch send failed: {failure.Code} {failure.Message}");
            }

            foreach (SendBatchResultEntry success in sent.Successful)
            {
                ledger.Sent(int.Parse(success.Id, CultureInfo.InvariantCulture), success.MessageId);
            }
        }
    }

    private static SendOptions? DelayOrDefault(Random random)
        => random.Next(50) == 0 ? new SendOptions { Delay = TimeSpan.FromMilliseconds(random.Next(5, 30)) } : null;

    private static async Task ConsumeAsync(
        IMessageQueue<int> queue,
        MessageLedger ledger,
        Stats stats,
        ConsumerBehavior behavior,
        int seed,
        Task producersDone,
        CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var deletes = new List<ReceivedMessage<int>>(QueueLimits.MaxReceiveMessages);
        var releases = new List<ReceivedMessage<int>>(QueueLimits.MaxReceiveMessages);
        while (true)
        {
            // Receives of available messages complete synchronously; yield so that the other tasks get the cores too.
            await Task.Yield();
            if (behavior.StopWhenProducersDone && producersDone.IsCompleted)
            {
                return;
            }

            int maxMessages = random.Next(3) == 0 ? 1 : random.Next(2, QueueLimits.MaxReceiveMessages + 1);
            TimeSpan? visibility = random.Next(4) switch
            {
                0 => TimeSpan.FromMilliseconds(random.Next(30, 61)),
                1 when random.Next(4) == 0 => TimeSpan.FromMilliseconds(random.Next(0, 10)), // Expires before or while the delete runs.
                _ => null,
            };
            long startedAt = ledger.Now();
            IReadOnlyList<ReceivedMessage<int>> batch = await queue.ReceiveAsync(maxMessages, s_longPoll, visibility, cancellationToken).Bounded(cancellationToken);
            if (batch.Count == 0)
            {
                if (producersDone.IsCompleted && IsEmpty(await queue.GetAttributesAsync(cancellationToken).Bounded(cancellationToken)))
                {
                    return;
                }

                continue;
            }

            deletes.Clear();
            releases.Clear();
            foreach (ReceivedMessage<int> message in batch)
            {
                ledger.Received(message.Body, message.MessageId, message.ReceiveCount, startedAt);
                double roll = random.NextDouble();
                if (behavior.IsPoison(message.Body))
                {
                    roll *= 0.15; // Never deleted: crashed on or released until the redrive policy dead-letters it.
                }

                if (roll < 0.075)
                {
                    Interlocked.Increment(ref stats.Crashes); // Received and never deleted: it comes back when its visibility runs out.
                }
                else if (roll < 0.15)
                {
                    releases.Add(message);
                }
                else
                {
                    if (roll < 0.25)
                    {
                        await ExtendAsync(queue, HandleOf(message, random), TimeSpan.FromMilliseconds(random.Next(20, 81)), stats, cancellationToken);
                    }

                    deletes.Add(message);
                }
            }

            await ReleaseAsync(queue, ledger, releases, random, stats, cancellationToken);
            await DeleteAsync(queue, ledger, deletes, behavior.BatchDeletes && random.Next(2) == 0, random, stats, cancellationToken);
        }
    }

    private static async Task ExtendAsync(IMessageQueue<int> queue, ReceiptHandle handle, TimeSpan visibility, Stats stats, CancellationToken cancellationToken)
    {
        try
        {
            await queue.ChangeVisibilityAsync(handle, visibility, cancellationToken).Bounded(cancellationToken);
            Interlocked.Increment(ref stats.Extends);
        }
        catch (BrokerException e) when (e.ErrorCode == BrokerErrorCode.MessageNotInFlight)
        {
            Interlocked.Increment(ref stats.StaleChanges); // Its visibility ran out first; the delete that follows tells what happened.
        }
    }

    private static async Task ReleaseAsync(
        IMessageQueue<int> queue,
        MessageLedger ledger,
        List<ReceivedMessage<int>> releases,
        Random random,
        Stats stats,
        CancellationToken cancellationToken)
    {
        Interlocked.Add(ref stats.Releases, releases.Count);
        if (releases.Count > 1 && random.Next(2) == 0)
        {
            var entries = new List<ChangeVisibilityBatchEntry>(releases.Count);
            for (int i = 0; i < releases.Count; i++)
            {
                entries.Add(new ChangeVisibilityBatchEntry($"r{i}", HandleOf(releases[i], random), TimeSpan.Zero));
            }

            BatchResult<string> result = await queue.ChangeVisibilityBatchAsync(entries, cancellationToken).Bounded(cancellationToken);
            foreach (BatchResultErrorEntry failure in result.Failed)
            {
                if (failure.Code != nameof(BrokerErrorCode.MessageNotInFlight))
                {
                    ledger.Problem($"batch release entry {failure.Id}: {failure.Code} {failure.Message}");
                }
            }

            return;
        }

        foreach (ReceivedMessage<int> message in releases)
        {
            try
            {
                await queue.ChangeVisibilityAsync(HandleOf(message, random), TimeSpan.Zero, cancellationToken).Bounded(cancellationToken);
            }
            catch (BrokerException e) when (e.ErrorCode == BrokerErrorCode.MessageNotInFlight)
            {
                Interlocked.Increment(ref stats.StaleChanges);
            }
        }
    }

    private static async Task DeleteAsync(
        IMessageQueue<int> queue,
        MessageLedger ledger,
        List<ReceivedMessage<int>> deletes,
        bool asBatch,
        Random random,
        Stats stats,
        CancellationToken cancellationToken)
    {
        if (asBatch && deletes.Count > 1)
        {
            var entries = new List<DeleteBatchEntry>(deletes.Count);
            for (int i = 0; i < deletes.Count; i++)
            {
                entries.Add(new DeleteBatchEntry($"d{i}", HandleOf(deletes[i], random)));
            }

            BatchResult<string> result = await queue.DeleteBatchAsync(entries, cancellationToken).Bounded(cancellationToken);
            foreach (BatchResultErrorEntry failure in result.Failed)
            {
                ledger.Problem($"batch delete entry {failure.Id}: {failure.Code} {failure.Message}");
            }

            foreach (ReceivedMessage<int> message in deletes)
            {
                ledger.BatchDeleted(message.Body, message.ReceiveCount);
            }

            Interlocked.Add(ref stats.BatchDeletes, deletes.Count);
            return;
        }

        foreach (ReceivedMessage<int> message in deletes)
        {
            bool deleted = await queue.DeleteAsync(HandleOf(message, random), cancellationToken).Bounded(cancellationToken);
            ledger.Deleted(message.Body, message.ReceiveCount, deleted, ledger.Now());
            Interlocked.Increment(ref deleted ? ref stats.Deletes : ref stats.StaleDeletes);
        }
    }

    /// <summary>Purges whenever a producer asks, each time while a sender of its own is in the middle of a burst.</summary>
    /// <returns>The total the purges reported.</returns>
    private static async Task<long> PurgeWhenAskedAsync(
        IMessageQueue<int> queue,
        MessageLedger ledger,
        ChannelReader<int> requests,
        int firstBurstId,
        int burstIds,
        Stats stats,
        CancellationToken cancellationToken)
    {
        long purged = 0;
        int next = firstBurstId;
        int end = firstBurstId + burstIds;
        while (await requests.WaitToReadAsync(cancellationToken).Bounded(cancellationToken))
        {
            while (requests.TryRead(out _))
            {
            }

            var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var purgeDone = new CancellationTokenSource();
            int first = next;
            int limit = Math.Min(MaxBurst, end - next);
            // Its own thread, never yielding, so the burst runs on while the purge drains the timers and the channel.
            Task<int> burst = Task.Factory.StartNew(
                () => SendUntilAsync(queue, ledger, first, limit, sending, purgeDone.Token, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap();
            await sending.Task.Bounded(cancellationToken);
            purged += await queue.PurgeAsync(cancellationToken).Bounded(cancellationToken);
            await purgeDone.CancelAsync();
            next += await burst.Bounded(cancellationToken);
            Interlocked.Increment(ref stats.Purges);
        }

        return purged;
    }

    /// <summary>Sends single messages, signalling <paramref name="sending"/> after the first, until <paramref name="stop"/> or the id limit.</summary>
    /// <returns>How many messages were sent.</returns>
    private static async Task<int> SendUntilAsync(
        IMessageQueue<int> queue,
        MessageLedger ledger,
        int first,
        int limit,
        TaskCompletionSource sending,
        CancellationToken stop,
        CancellationToken cancellationToken)
    {
        int sent = 0;
        while (sent < limit && (sent == 0 || !stop.IsCancellationRequested))
        {
            int id = first + sent;
            SendResult result = await queue.SendAsync(id, options: null, cancellationToken).Bounded(cancellationToken);
            ledger.Sent(id, result.MessageId);
            sent++;
            sending.TrySetResult();
        }

        sending.TrySetResult();
        return sent;
    }

    /// <summary>Receives and deletes until the queue is empty, confirmed by two empty long polls in a row, each longer than any visibility timeout in play.</summary>
    private static async Task SettleAsync(IMessageQueue<int> queue, MessageLedger ledger, CancellationToken cancellationToken)
    {
        // Counts read while a timer moves a message between states can miss it for an instant, so quiet must be seen twice.
        for (int quietRounds = 0, emptyPolls = 0; quietRounds < 2;)
        {
            long startedAt = ledger.Now();
            IReadOnlyList<ReceivedMessage<int>> batch = await queue.ReceiveAsync(QueueLimits.MaxReceiveMessages, s_settlePoll, null, cancellationToken).Bounded(cancellationToken);
            foreach (ReceivedMessage<int> message in batch)
            {
                ledger.Received(message.Body, message.MessageId, message.ReceiveCount, startedAt);
                bool deleted = await queue.DeleteAsync(message.ReceiptHandle, cancellationToken).Bounded(cancellationToken);
                ledger.Deleted(message.Body, message.ReceiveCount, deleted, ledger.Now());
            }

            QueueAttributes attributes = await queue.GetAttributesAsync(cancellationToken).Bounded(cancellationToken);
            bool quiet = batch.Count == 0 && IsEmpty(attributes);
            quietRounds = quiet ? quietRounds + 1 : 0;
            emptyPolls = batch.Count == 0 && !quiet ? emptyPolls + 1 : 0;
            FailIfStranded(emptyPolls, attributes, "nothing is in flight");
        }
    }

    /// <summary>Fails when long polls, each longer than any visibility timeout in play, keep finding nothing that the counts say is there.</summary>
    private static void FailIfStranded(int emptyPolls, QueueAttributes attributes, string expected)
    {
        if (emptyPolls >= 20)
        {
            Assert.Fail(
                $"{emptyPolls} long polls in a row received nothing, yet '{attributes.Name}' counts visible {attributes.ApproximateNumberOfMessages}, "
                + $"in flight {attributes.ApproximateNumberOfMessagesNotVisible}, delayed {attributes.ApproximateNumberOfMessagesDelayed} ({expected}): "
                + "messages are stranded outside the ready channel, or the counts drifted.");
        }
    }

    /// <summary>The sum of the queue's visible, in-flight and delayed counters as stored, without the clamping at zero that attributes apply.</summary>
    private static long RawTotal(IMessageQueue<int> queue) => ((InMemoryQueue<int>)queue).InOrderLiveEntryBound;

    private static bool IsEmpty(QueueAttributes attributes)
        => attributes.ApproximateNumberOfMessages == 0 && attributes.ApproximateNumberOfMessagesNotVisible == 0 && attributes.ApproximateNumberOfMessagesDelayed == 0;

    private static async Task WithinDeadlineAsync(Task work, CancellationTokenSource deadline, Func<Task<string>> progress)
    {
        try
        {
            await work.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"The stress test did not finish within {s_testTimeout.TotalSeconds} s; a lost message, count drift or a hang would do this. {await progress()}");
        }
    }

    private static async Task<string> ProgressAsync(MessageLedger ledger, IMessageQueue<int> queue, IMessageQueue<int>? deadLetters)
    {
        static string Counts(QueueAttributes a)
            => $"visible {a.ApproximateNumberOfMessages}, in flight {a.ApproximateNumberOfMessagesNotVisible}, delayed {a.ApproximateNumberOfMessagesDelayed}";

        string text = $"Accepted {ledger.Accepted}, receives {ledger.Receives}, problems {ledger.ProblemCount}; '{queue.Name}': {Counts(await queue.GetAttributesAsync().Bounded())}";
        if (deadLetters is not null)
        {
            text += $"; '{deadLetters.Name}': {Counts(await deadLetters.GetAttributesAsync().Bounded())}";
        }

        return text + (ledger.ProblemCount > 0 ? $". First problems: {string.Join("; ", ledger.Problems)}" : string.Empty);
    }

    /// <summary>Starts a contender on its own thread; it begins when all contenders sharing <paramref name="barrier"/> are ready.</summary>
    private static Task StartContender(Barrier barrier, Func<Task> act)
        => Task.Factory.StartNew(
            () => barrier.SignalAndWait(BoundedAwait.OperationTimeout)
                ? act()
                : throw new TimeoutException("The contenders did not all start."),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

    /// <summary>The message's handle, now and then through its string form, which the queue resolves another way.</summary>
    private static ReceiptHandle HandleOf(ReceivedMessage<int> message, Random random)
        => random.Next(8) == 0 ? ReceiptHandle.Parse(message.ReceiptHandle.ToString()) : message.ReceiptHandle;

    private static int[] Shuffled(Random random, int count)
    {
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        return order;
    }

    private sealed record ConsumerBehavior(bool BatchDeletes, bool StopWhenProducersDone, Func<int, bool> IsPoison);

    private sealed class Stats
    {
        public long Crashes;
        public long Releases;
        public long Extends;
        public long StaleChanges;
        public long Deletes;
        public long StaleDeletes;
        public long BatchDeletes;
        public long Purges;

        public override string ToString()
            => $"crashes {Crashes}, releases {Releases}, extends {Extends}, stale visibility changes {StaleChanges}, "
                + $"deletes {Deletes} (+{StaleDeletes} stale), batch-deleted {BatchDeletes}, purges {Purges}";
    }
}
