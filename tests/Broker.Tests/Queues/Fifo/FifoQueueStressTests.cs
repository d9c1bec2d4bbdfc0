using System.Collections.Concurrent;
using System.Diagnostics;
using Broker.Messages;
using Broker.Queues;
using Xunit.Abstractions;

namespace Broker.Tests.Queues.Fifo;

/// <summary>
/// Many consumers, many groups, crashing consumers and deliberate duplicates on the real clock.
/// </summary>
/// <remarks>
/// Every check is exact, never timing-dependent in the direction of a false alarm:
/// <list type="bullet">
/// <item>Per group, a gate serializes "check a received batch" with "delete and record". A delete that succeeded is
/// therefore recorded before any later receive of the group is checked, so the first index of a receive must equal the
/// number of messages deleted so far, unless the receiving batch has provably lapsed meanwhile.</item>
/// <item>A batch is certainly still in flight only while less than the visibility timeout (minus a margin for tick
/// rounding) has passed since just before its receive call: its visibility started after that instant. Two batches of one
/// group both certainly in flight at one instant are a violation.</item>
/// </list>
/// </remarks>
public sealed class FifoQueueStressTests(ITestOutputHelper output)
{
    private const int Groups = 200;
    private const int PerGroup = 50;
    private const int Consumers = 8;
    private const int Producers = 4;
    private const double CrashProbability = 0.05;
    private const double DuplicateProbability = 0.06;
    private const int Seed = 20_260_101;

    private static readonly TimeSpan s_visibility = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_margin = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_runLimit = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task ReceiveAsync_ConcurrentCrashingConsumersAndDuplicates_ProcessEveryGroupInOrderExactlyOnce()
    {
        using var broker = new MessageBroker();
        IMessageQueue<Item> queue = broker.CreateQueue<Item>("stress.fifo", o => o.VisibilityTimeout = s_visibility);
        using var limit = new CancellationTokenSource(s_runLimit);
        var run = new Run(queue, limit);
        var stopwatch = Stopwatch.StartNew();

        Task[] consumers = Enumerable.Range(0, Consumers).Select(c => Task.Run(() => ConsumeAsync(run, new Random(Seed + c), limit.Token))).ToArray();
        Task[] producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() => ProduceAsync(run, p, new Random(Seed + 100 + p)))).ToArray();
        await Task.WhenAll(producers.Concat(consumers)).WaitAsync(s_runLimit + TimeSpan.FromSeconds(10));
        stopwatch.Stop();
        QueueAttributes attributes = await queue.GetAttributesAsync();

        output.WriteLine(
            $"{stopwatch.Elapsed.TotalSeconds:F2} s; receives {run.Receives}, crashes {run.Crashes}, stale batches {run.StaleBatches}, " +
            $"redeliveries {run.Redeliveries}, duplicates sent {run.DuplicatesSent}, stopped early {limit.IsCancellationRequested}");
        run.Violations.Should().BeEmpty();
        run.CompletedGroups.Should().Be(Groups, "every group should be fully processed within {0}; incomplete: {1}", s_runLimit, run.DescribeIncomplete());
        Enumerable.Range(0, Groups).Where(g => !run.DeletedLog[g].SequenceEqual(Enumerable.Range(0, PerGroup)))
            .Select(g => $"g{g}: {string.Join(",", run.DeletedLog[g])}")
            .Should().BeEmpty("each group's messages are deleted exactly once each, in order");
        Enumerable.Range(0, Groups).SelectMany(g => Enumerable.Range(0, PerGroup).Select(i => (g, i)))
            .Where(m => run.FirstDeliveries[m.g, m.i] != 1)
            .Select(m => $"{m.g}:{m.i} x{run.FirstDeliveries[m.g, m.i]}")
            .Should().BeEmpty("each message is delivered with ReceiveCount 1 exactly once");
        Enumerable.Range(0, Groups).Where(g => !IsStrictlyIncreasing(Enumerable.Range(0, PerGroup).Select(i => run.Sent[g, i].SequenceNumber)))
            .Should().BeEmpty("sequence numbers increase strictly within each group");
        run.Deliveries.Where(d => d.MessageId != run.Sent[d.Group, d.Index].MessageId || d.SequenceNumber != run.Sent[d.Group, d.Index].SequenceNumber)
            .Take(10).Should().BeEmpty("every delivery carries the message id and sequence number its send returned");
        run.DuplicatesSent.Should().BePositive();
        run.Crashes.Should().BePositive();
        run.Redeliveries.Should().BePositive();
        attributes.ApproximateNumberOfMessages.Should().Be(0);
        attributes.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
        attributes.ApproximateNumberOfMessagesDelayed.Should().Be(0);
    }

    private static bool IsStrictlyIncreasing(IEnumerable<string?> sequenceNumbers)
    {
        string? previous = null;
        foreach (string? current in sequenceNumbers)
        {
            if (current is null || (previous is not null && string.CompareOrdinal(previous, current) >= 0))
            {
                return false;
            }

            previous = current;
        }

        return true;
    }

    /// <summary>Sends the numbered messages of the groups <c>g % Producers == producer</c>, in order per group, in random
    /// single sends and batches, with duplicates of earlier messages (and of messages earlier in the same batch) mixed in.</summary>
    private static async Task ProduceAsync(Run run, int producer, Random random)
    {
        int[] owned = Enumerable.Range(0, Groups).Where(g => g % Producers == producer).ToArray();
        var next = new int[Groups];
        var open = new List<int>(owned);
        var entries = new List<(SendBatchEntry<Item> Entry, bool Copy)>(QueueLimits.MaxBatchEntries);
        while (open.Count > 0)
        {
            entries.Clear();
            int size = random.Next(1, QueueLimits.MaxBatchEntries + 1);
            for (int k = 0; k < size; k++)
            {
                if (random.NextDouble() < DuplicateProbability)
                {
                    (int g, int i)? copy = PickDuplicate(random, owned, next, entries);
                    if (copy is { } c)
                    {
                        entries.Add((NewEntry(entries.Count, new Item(c.g, c.i, Copy: true)), true));
                        continue;
                    }
                }

                if (open.Count == 0)
                {
                    break;
                }

                int slot = random.Next(open.Count);
                int group = open[slot];
                int index = next[group]++;
                if (next[group] == PerGroup)
                {
                    open.RemoveAt(slot);
                }

                entries.Add((NewEntry(entries.Count, new Item(group, index, Copy: false)), false));
            }

            if (entries.Count == 0)
            {
                continue;
            }

            IReadOnlyList<SendBatchResultEntry> results;
            if (entries.Count == 1 && random.Next(2) == 0)
            {
                SendBatchEntry<Item> only = entries[0].Entry;
                SendResult sent = await run.Queue.SendAsync(only.Body, new SendOptions { MessageGroupId = only.MessageGroupId, DeduplicationId = only.DeduplicationId });
                results = [new SendBatchResultEntry(only.Id, sent.MessageId, sent.SequenceNumber)];
            }
            else
            {
                BatchResult<SendBatchResultEntry> batch = await run.Queue.SendBatchAsync(entries.Select(e => e.Entry).ToArray());
                if (batch.Failed.Count > 0)
                {
                    run.Violation($"producer {producer}: batch entries failed: {string.Join("; ", batch.Failed.Select(f => f.Message))}");
                }

                results = batch.Successful;
            }

            if (results.Count != entries.Count)
            {
                run.Violation($"producer {producer}: {entries.Count} entries sent, {results.Count} accepted");
                continue;
            }

            for (int k = 0; k < entries.Count; k++)
            {
                (SendBatchEntry<Item> entry, bool copy) = entries[k];
                SendBatchResultEntry result = results[k];
                var sent = new SendResult(result.MessageId, result.SequenceNumber);
                if (result.Id != entry.Id)
                {
                    run.Violation($"producer {producer}: result {result.Id} out of entry order, expected {entry.Id}");
                }
                else if (!copy)
                {
                    run.Sent[entry.Body.Group, entry.Body.Index] = sent;
                }
                else
                {
                    run.CountDuplicateSent();
                    if (sent != run.Sent[entry.Body.Group, entry.Body.Index])
                    {
                        run.Violation($"duplicate of {entry.Body.Group}:{entry.Body.Index} returned {sent}, not the original {run.Sent[entry.Body.Group, entry.Body.Index]}");
                    }
                }
            }

            await Task.Yield();
        }
    }

    /// <summary>Picks a message to send again: one earlier in this batch, or one sent by an earlier call.</summary>
    private static (int Group, int Index)? PickDuplicate(Random random, int[] owned, int[] next, List<(SendBatchEntry<Item> Entry, bool Copy)> entries)
    {
        var inBatch = entries.Where(e => !e.Copy).ToList();
        if (inBatch.Count > 0 && random.Next(2) == 0)
        {
            Item item = inBatch[random.Next(inBatch.Count)].Entry.Body;
            return (item.Group, item.Index);
        }

        int group = owned[random.Next(owned.Length)];
        int sentBefore = next[group] - inBatch.Count(e => e.Entry.Body.Group == group);
        return sentBefore > 0 ? (group, random.Next(sentBefore)) : null;
    }

    private static SendBatchEntry<Item> NewEntry(int position, Item item)
        => new($"e{position}", item) { MessageGroupId = $"g{item.Group}", DeduplicationId = $"g{item.Group}-{item.Index}" };

    /// <summary>Receives with random batch sizes; for each group in a receive, checks order and exclusivity, then either
    /// crashes (keeps the messages and never deletes them, so their visibility lapses) or deletes them in order.</summary>
    private static async Task ConsumeAsync(Run run, Random random, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref run.CompletedGroups) < Groups)
        {
            int maxMessages = random.Next(1, QueueLimits.MaxReceiveMessages + 1);
            long before = TimeProvider.System.GetTimestamp();
            try
            {
                IReadOnlyList<ReceivedMessage<Item>> received = await run.Queue.ReceiveAsync(maxMessages, waitTime: TimeSpan.FromMilliseconds(100), cancellationToken: cancellationToken);
                run.CountReceive();
                if (received.Count > maxMessages)
                {
                    run.Violation($"asked for {maxMessages}, got {received.Count}");
                }

                foreach (IGrouping<int, ReceivedMessage<Item>> portion in received.GroupBy(m => m.Body.Group))
                {
                    await HandlePortionAsync(run, portion.ToList(), before, crash: random.NextDouble() < CrashProbability, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // Out of time: the assertions report what is unfinished.
            }
        }
    }

    private static async Task HandlePortionAsync(Run run, List<ReceivedMessage<Item>> portion, long before, bool crash, CancellationToken cancellationToken)
    {
        int group = portion[0].Body.Group;
        CheckMessages(run, portion);
        await run.Gates[group].WaitAsync(cancellationToken);
        try
        {
            TimeSpan age = TimeProvider.System.GetElapsedTime(before);
            bool certainlyInFlight = age < s_visibility - s_margin;
            int deleted = run.Deleted[group];
            int first = portion[0].Body.Index;
            bool stale = false;
            if (first > deleted)
            {
                run.Violation($"group {group}: received from {first} while only {deleted} were deleted (skipped a message)");
            }
            else if (first < deleted)
            {
                // Someone deleted messages of this batch: that is only possible after our visibility lapsed.
                stale = true;
                run.CountStale();
                if (certainlyInFlight)
                {
                    run.Violation($"group {group}: received {first}, already deleted (next is {deleted}), only {age.TotalMilliseconds:F1} ms after the receive started");
                }
            }

            Holding? holder = run.Holders[group];
            if (holder is { Done: false } && certainlyInFlight && TimeProvider.System.GetElapsedTime(holder.Before) < s_visibility - s_margin)
            {
                run.Violation($"group {group}: received {first}..{portion[^1].Body.Index} while {holder.First}..{holder.Last} were in flight (two batches of one group at once)");
            }

            if (stale)
            {
                return;
            }

            var mine = new Holding(before, first, portion[^1].Body.Index);
            run.Holders[group] = mine;
            if (crash)
            {
                run.CountCrash();
                return;
            }

            foreach (ReceivedMessage<Item> message in portion)
            {
                if (!await run.Queue.DeleteAsync(message.ReceiptHandle, cancellationToken))
                {
                    return; // Our visibility lapsed and the message was received again: its new holder takes over.
                }

                if (message.Body.Index != run.Deleted[group])
                {
                    run.Violation($"group {group}: deleted {message.Body.Index} while {run.Deleted[group]} was next");
                }

                run.DeletedLog[group].Add(message.Body.Index);
                run.Deleted[group] = message.Body.Index + 1;
            }

            mine.Done = true;
            if (run.Deleted[group] == PerGroup)
            {
                Interlocked.Increment(ref run.CompletedGroups);
            }
        }
        finally
        {
            run.Gates[group].Release();
        }
    }

    /// <summary>Checks what needs no shared state: ids, duplicates, order within the portion.</summary>
    private static void CheckMessages(Run run, List<ReceivedMessage<Item>> portion)
    {
        for (int k = 0; k < portion.Count; k++)
        {
            ReceivedMessage<Item> message = portion[k];
            Item item = message.Body;
            run.Deliveries.Add(new Delivery(item.Group, item.Index, message.MessageId, message.SequenceNumber));
            if (item.Copy)
            {
                run.Violation($"a duplicate of {item.Group}:{item.Index} was delivered");
            }

            if (message.MessageGroupId != $"g{item.Group}" || message.MessageDeduplicationId != $"g{item.Group}-{item.Index}")
            {
                run.Violation($"{item.Group}:{item.Index} came with group {message.MessageGroupId} and de-duplication id {message.MessageDeduplicationId}");
            }

            if (message.ReceiveCount == 1)
            {
                Interlocked.Increment(ref run.FirstDeliveries[item.Group, item.Index]);
            }
            else
            {
                run.CountRedelivery();
            }

            if (k > 0 && (item.Index != portion[k - 1].Body.Index + 1 || string.CompareOrdinal(message.SequenceNumber, portion[k - 1].SequenceNumber) <= 0))
            {
                run.Violation($"group {item.Group}: one receive returned {portion[k - 1].Body.Index} then {item.Index}");
            }
        }
    }

    public sealed record Item(int Group, int Index, bool Copy);

    private sealed record Delivery(int Group, int Index, MessageId MessageId, string? SequenceNumber);

    /// <summary>The batch of a group last received and checked: who may hold the group. Guarded by the group's gate.</summary>
    private sealed class Holding(long before, int first, int last)
    {
        public long Before { get; } = before;

        public int First { get; } = first;

        public int Last { get; } = last;

        public bool Done { get; set; }
    }

    /// <param name="stop">Cancelled at the first violation, so a broken queue fails the test at once rather than at the time limit.</param>
    private sealed class Run(IMessageQueue<Item> queue, CancellationTokenSource stop)
    {
        public int CompletedGroups;

        private readonly ConcurrentQueue<string> _violations = new();
        private int _receives;
        private int _crashes;
        private int _stale;
        private int _redeliveries;
        private int _duplicatesSent;

        public IMessageQueue<Item> Queue { get; } = queue;

        public SemaphoreSlim[] Gates { get; } = Enumerable.Range(0, Groups).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

        /// <summary>Per group, how many messages were deleted (in order); guarded by the group's gate.</summary>
        public int[] Deleted { get; } = new int[Groups];

        public List<int>[] DeletedLog { get; } = Enumerable.Range(0, Groups).Select(_ => new List<int>(PerGroup)).ToArray();

        public Holding?[] Holders { get; } = new Holding?[Groups];

        public int[,] FirstDeliveries { get; } = new int[Groups, PerGroup];

        /// <summary>What each original send returned; written by the group's producer only.</summary>
        public SendResult[,] Sent { get; } = new SendResult[Groups, PerGroup];

        public ConcurrentBag<Delivery> Deliveries { get; } = [];

        public IReadOnlyCollection<string> Violations => _violations;

        public int Receives => Volatile.Read(ref _receives);

        public int Crashes => Volatile.Read(ref _crashes);

        public int StaleBatches => Volatile.Read(ref _stale);

        public int Redeliveries => Volatile.Read(ref _redeliveries);

        public int DuplicatesSent => Volatile.Read(ref _duplicatesSent);

        public void Violation(string message)
        {
            if (_violations.Count < 50)
            {
                _violations.Enqueue(message);
            }

            _ = stop.CancelAsync(); // Asynchronously: the caller may hold a group's gate.
        }

        public void CountReceive() => Interlocked.Increment(ref _receives);

        public void CountCrash() => Interlocked.Increment(ref _crashes);

        public void CountStale() => Interlocked.Increment(ref _stale);

        public void CountRedelivery() => Interlocked.Increment(ref _redeliveries);

        public void CountDuplicateSent() => Interlocked.Increment(ref _duplicatesSent);

        public string DescribeIncomplete()
            => string.Join(", ", Enumerable.Range(0, Groups).Where(g => Volatile.Read(ref Deleted[g]) < PerGroup).Take(20).Select(g => $"g{g}@{Volatile.Read(ref Deleted[g])}"));
    }
}
