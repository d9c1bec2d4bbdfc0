using System.Collections.Concurrent;
using Broker.Messages;

namespace Broker.Tests.Support;

/// <summary>What a stress test saw happen to each of its messages, indexed by the message's body, an <see cref="int"/> id.</summary>
/// <remarks>
/// Every member is thread-safe. Events are ordered by a logical clock (<see cref="Now"/>): a receive that started after a
/// delete returned <see langword="true"/> must not return the message. Violations found while recording are kept and
/// reported by <see cref="Problems"/>, together with those found by the final checks.
/// </remarks>
internal sealed class MessageLedger
{
    private const int MaxReported = 25;

    private readonly Entry[] _entries;
    private readonly ConcurrentQueue<string> _problems = new();
    private long _clock;
    private int _problemCount;
    private long _receives;
    private long _accepted;

    public MessageLedger(int capacity)
    {
        _entries = new Entry[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _entries[i] = new Entry();
        }
    }

    public int Capacity => _entries.Length;

    public long Accepted => Volatile.Read(ref _accepted);

    public long Receives => Volatile.Read(ref _receives);

    public int ProblemCount => Volatile.Read(ref _problemCount);

    /// <summary>Gets the first problems found, with the total when there were more.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var list = new List<string>(_problems);
            int total = ProblemCount;
            if (total > list.Count)
            {
                list.Add($"... and {total - list.Count} more problems");
            }

            return list;
        }
    }

    /// <summary>Advances the logical clock; take it before a receive starts and after a delete returns.</summary>
    public long Now() => Interlocked.Increment(ref _clock);

    public void Problem(string text)
    {
        if (Interlocked.Increment(ref _problemCount) <= MaxReported)
        {
            _problems.Enqueue(text);
        }
    }

    public void Sent(int id, MessageId messageId)
    {
        Entry entry = _entries[id];
        lock (entry.Gate)
        {
            if (entry.Accepted)
            {
                Problem($"message {id}: accepted twice");
            }

            entry.Accepted = true;
            entry.SentId = messageId;
            CheckId(id, entry, messageId);
        }

        Interlocked.Increment(ref _accepted);
    }

    /// <summary>Records one receive of a message by the queue under test.</summary>
    /// <param name="startedAt">The logical time taken just before the receive call.</param>
    public void Received(int id, MessageId messageId, int receiveCount, long startedAt)
    {
        Interlocked.Increment(ref _receives);
        Entry entry = _entries[id];
        lock (entry.Gate)
        {
            CheckId(id, entry, messageId);
            if (entry.DeletedAt != 0 && startedAt > entry.DeletedAt)
            {
                Problem($"message {id}: received (receive count {receiveCount}) by a receive that started after a delete of it returned true");
            }

            if (receiveCount is > 0 and < 64)
            {
                ulong bit = 1UL << receiveCount;
                if ((entry.ReceiveCountsSeen & bit) != 0)
                {
                    Problem($"message {id}: receive count {receiveCount} handed out twice");
                }

                entry.ReceiveCountsSeen |= bit;
            }

            entry.Receives++;
            entry.MaxReceiveCount = Math.Max(entry.MaxReceiveCount, receiveCount);
        }
    }

    /// <summary>Records the outcome of a single delete.</summary>
    public void Deleted(int id, int receiveCount, bool deleted, long completedAt)
    {
        if (!deleted)
        {
            return;
        }

        Entry entry = _entries[id];
        lock (entry.Gate)
        {
            entry.DeleteCount++;
            if (entry.DeleteCount > 1)
            {
                Problem($"message {id}: a delete returned true {entry.DeleteCount} times");
            }

            entry.DeletedReceiveCount = receiveCount;
            entry.DeletedAt = completedAt;
        }
    }

    /// <summary>Records a batch delete, which reports stale handles as successes; its effect is worked out at the end.</summary>
    public void BatchDeleted(int id, int receiveCount)
    {
        Entry entry = _entries[id];
        lock (entry.Gate)
        {
            (entry.BatchDeletedReceiveCounts ??= []).Add(receiveCount);
        }
    }

    /// <summary>Records a message found in the dead-letter queue at the end.</summary>
    public void DeadLettered(int id, MessageId messageId, int receiveCount, string? sourceQueue, string expectedSourceQueue)
    {
        Entry entry = _entries[id];
        lock (entry.Gate)
        {
            CheckId(id, entry, messageId);
            entry.DeadLetterCount++;
            entry.DeadLetterReceiveCount = receiveCount;
            if (sourceQueue != expectedSourceQueue)
            {
                Problem($"message {id}: dead-lettered from '{sourceQueue}', expected '{expectedSourceQueue}'");
            }
        }
    }

    /// <summary>Records a message still in the queue at the end (the final drain receives it).</summary>
    public void Remained(int id)
    {
        Entry entry = _entries[id];
        lock (entry.Gate)
        {
            entry.RemainingCount++;
        }
    }

    /// <summary>Checks that every accepted message was deleted exactly once or dead-lettered, and not both.</summary>
    /// <returns>The number of messages deleted and dead-lettered.</returns>
    public (int Deleted, int DeadLettered) VerifyDeletedOrDeadLettered(int maxReceiveCount)
    {
        int deleted = 0;
        int deadLettered = 0;
        for (int id = 0; id < _entries.Length; id++)
        {
            Entry entry = _entries[id];
            lock (entry.Gate)
            {
                if (!CheckCommon(id, entry))
                {
                    continue;
                }

                // A batch delete reports a stale handle as a success. A batch delete with receive count n took effect exactly
                // when no later receive happened and the message was not dead-lettered: its handle was then current.
                int batchEffective = entry.DeadLetterCount == 0 && entry.BatchDeletedReceiveCounts?.Contains(entry.MaxReceiveCount) == true ? 1 : 0;
                int deletes = entry.DeleteCount + batchEffective;
                if (entry.DeadLetterCount > 1)
                {
                    Problem($"message {id}: found {entry.DeadLetterCount} times in the dead-letter queue");
                }

                if (entry.DeadLetterCount > 0 && entry.DeleteCount > 0)
                {
                    Problem($"message {id}: both deleted (delete returned true) and dead-lettered");
                }

                if (entry.DeadLetterCount == 0 && deletes == 0)
                {
                    Problem($"message {id}: lost: accepted, received {entry.Receives} times (last receive count {entry.MaxReceiveCount}), never deleted nor dead-lettered");
                }

                if (deletes > 1)
                {
                    Problem($"message {id}: deleted {deletes} times");
                }

                if (entry.DeadLetterCount > 0)
                {
                    if (entry.MaxReceiveCount < maxReceiveCount)
                    {
                        Problem($"message {id}: dead-lettered after only {entry.MaxReceiveCount} receives; the policy allows {maxReceiveCount}");
                    }

                    if (entry.DeadLetterReceiveCount != entry.MaxReceiveCount + 1)
                    {
                        Problem($"message {id}: in the dead-letter queue with receive count {entry.DeadLetterReceiveCount}, expected {entry.MaxReceiveCount + 1}");
                    }

                    deadLettered++;
                }
                else if (deletes > 0)
                {
                    deleted++;
                }
            }
        }

        return (deleted, deadLettered);
    }

    /// <summary>Checks that every accepted message was deleted exactly once, purged, or is still in the queue.</summary>
    /// <returns>The numbers of messages deleted, remaining, and neither (which must be the purged ones).</returns>
    public (int Deleted, int Remaining, int Purged) VerifyDeletedPurgedOrRemaining()
    {
        int deleted = 0;
        int remaining = 0;
        int purged = 0;
        for (int id = 0; id < _entries.Length; id++)
        {
            Entry entry = _entries[id];
            lock (entry.Gate)
            {
                if (!CheckCommon(id, entry))
                {
                    continue;
                }

                if (entry.RemainingCount > 1)
                {
                    Problem($"message {id}: received {entry.RemainingCount} times by the final drain");
                }

                if (entry.DeleteCount > 0 && entry.RemainingCount > 0)
                {
                    Problem($"message {id}: deleted (delete returned true) yet still in the queue at the end");
                }

                if (entry.DeleteCount > 0)
                {
                    deleted++;
                }
                else if (entry.RemainingCount > 0)
                {
                    remaining++;
                }
                else
                {
                    purged++;
                }
            }
        }

        return (deleted, remaining, purged);
    }

    /// <summary>The checks every test shares; returns <see langword="false"/> for an id that was never accepted.</summary>
    private bool CheckCommon(int id, Entry entry)
    {
        if (!entry.Accepted)
        {
            if (entry.Receives > 0 || entry.DeadLetterCount > 0 || entry.RemainingCount > 0)
            {
                Problem($"message {id}: never accepted, yet received");
            }

            return false;
        }

        if (entry.DeleteCount > 0 && entry.MaxReceiveCount != entry.DeletedReceiveCount)
        {
            Problem($"message {id}: deleted with the handle of receive {entry.DeletedReceiveCount}, yet received again (receive count {entry.MaxReceiveCount})");
        }

        if (entry.ObservedId is { } observed && observed != entry.SentId)
        {
            Problem($"message {id}: sent as {entry.SentId}, received as {observed}");
        }

        return true;
    }

    private void CheckId(int id, Entry entry, MessageId messageId)
    {
        if (entry.ObservedId is { } observed && observed != messageId)
        {
            Problem($"message {id}: seen with two message ids, {observed} and {messageId}");
        }

        entry.ObservedId ??= messageId;
    }

    private sealed class Entry
    {
        public readonly Lock Gate = new();
        public bool Accepted;
        public MessageId SentId;
        public MessageId? ObservedId;
        public int Receives;
        public int MaxReceiveCount;
        public ulong ReceiveCountsSeen;
        public int DeleteCount;
        public int DeletedReceiveCount;
        public long DeletedAt;
        public List<int>? BatchDeletedReceiveCounts;
        public int DeadLetterCount;
        public int DeadLetterReceiveCount;
        public int RemainingCount;
    }
}
