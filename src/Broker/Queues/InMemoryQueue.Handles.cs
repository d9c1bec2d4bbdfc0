using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Broker.Diagnostics;
using Broker.Messages;

namespace Broker.Queues;

internal sealed partial class InMemoryQueue<T>
{
    private const int HandleTextLength = 16 + 8 + 16;

    /// <summary>Deletes on a thread between two trims of the retention lane's front; each trim drops up to twice as many
    /// entries, so trimming keeps up with deletes made in send order.</summary>
    private const int DeletesPerLaneTrim = 64;

    private readonly Lock _handleKeyGate = new();
    private byte[]? _handleKey;
    private ConcurrentDictionary<ulong, QueueMessage<T>>? _handleIndex;

    public ValueTask<bool> DeleteAsync(ReceiptHandle receiptHandle, CancellationToken cancellationToken = default)
    {
        if (receiptHandle.IsEmpty)
        {
            throw new ArgumentException("The receipt handle is the default value; use the handle of a received message.", nameof(receiptHandle));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        ThrowIfClosed();
        return new ValueTask<bool>(DeleteMessage(receiptHandle));
    }

    public ValueTask ChangeVisibilityAsync(ReceiptHandle receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        if (receiptHandle.IsEmpty)
        {
            throw new ArgumentException("The receipt handle is the default value; use the handle of a received message.", nameof(receiptHandle));
        }

        if (visibilityTimeout < TimeSpan.Zero || visibilityTimeout > QueueLimits.MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), visibilityTimeout, $"visibilityTimeout must be between {TimeSpan.Zero} and {QueueLimits.MaxVisibilityTimeout}.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        ThrowIfClosed();
        SetVisibility(receiptHandle, visibilityTimeout);
        return ValueTask.CompletedTask;
    }

    /// <returns><see langword="true"/> if the message was deleted; <see langword="false"/> for a stale handle.</returns>
    private bool DeleteMessage(ReceiptHandle receiptHandle)
    {
        if (!TryResolve(receiptHandle, out QueueMessage<T>? message, out long generation))
        {
            return false;
        }

        while (true)
        {
            long state = Volatile.Read(ref message.State);
            long kind = MessageState.Kind(state);
            if (MessageState.Generation(state) != generation || (kind != MessageState.InFlight && kind != MessageState.Ready))
            {
                return false;
            }

            // A handle expires 12 hours after its receive. A message still in flight under it is within them, since no
            // visibility timeout reaches past them; only a message whose timeout has lapsed needs the clock read.
            if (kind == MessageState.Ready && _timers.Now - Volatile.Read(ref message.ReceivedAt) > QueueLimits.MaxVisibilityTimeout.Ticks)
            {
                throw new BrokerException(BrokerErrorCode.ReceiptHandleExpired, "The receipt handle has expired: it is more than 12 hours old.");
            }

            if (TryTransition(message, state, MessageState.Make(MessageState.Deleted, generation)))
            {
                OnRemoved(message);
                Settle(message);
                BrokerDiagnostics.Deleted(Name);
                if (LaneTrimCountdown.Tick(DeletesPerLaneTrim))
                {
                    _timers.TrimInOrderFront(2 * DeletesPerLaneTrim);
                }

                return true;
            }
        }
    }

    private void SetVisibility(ReceiptHandle receiptHandle, TimeSpan visibilityTimeout)
    {
        if (!TryResolve(receiptHandle, out QueueMessage<T>? message, out long generation))
        {
            throw NotInFlight();
        }

        bool madeVisible = false;
        using (_timers.Gate.Enter())
        {
            long state = Volatile.Read(ref message.State);
            if (state != MessageState.Make(MessageState.InFlight, generation))
            {
                throw NotInFlight();
            }

            long now = _timers.Now;
            long remaining = message.ReceivedAt + QueueLimits.MaxVisibilityTimeout.Ticks - now;
            if (visibilityTimeout.Ticks > remaining)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(visibilityTimeout),
                    visibilityTimeout,
                    $"A message may stay hidden at most 12 hours after its receive; only {TimeSpan.FromTicks(Math.Max(remaining, 0))} remain for this one.");
            }

            if (visibilityTimeout == TimeSpan.Zero)
            {
                madeVisible = TryTransition(message, state, MessageState.Make(MessageState.Ready, generation));
            }
            else
            {
                long due = now + visibilityTimeout.Ticks;
                message.VisibleAt = due;
                _timers.Schedule_Locked(new QueueTimerEntry<T>(message, generation, QueueTimerKind.Visibility, due), due);
            }
        }

        if (madeVisible)
        {
            MakeVisible(message);
        }
    }

    private static BrokerException NotInFlight()
        => new(BrokerErrorCode.MessageNotInFlight, "The message is not in flight under this receipt handle: it was deleted, became visible again, or was received again since.");

    private BrokerException InvalidHandle()
        => new(BrokerErrorCode.ReceiptHandleIsInvalid, $"The receipt handle was not issued by the queue '{Name}'.");

    /// <summary>Finds the message a handle refers to.</summary>
    /// <returns><see langword="false"/> when the handle is genuine but its message is gone.</returns>
    /// <exception cref="BrokerException">The handle is not one of this queue's.</exception>
    private bool TryResolve(ReceiptHandle receiptHandle, out QueueMessage<T> message, out long generation)
    {
        generation = receiptHandle.Generation;
        switch (receiptHandle.Token)
        {
            case QueueMessage<T> direct when ReferenceEquals(direct.Queue, this):
                message = direct;
                return true;
            case string text when TryParseHandle(text, out ulong sequence, out generation):
                QueueMessage<T>? found = null;
                bool exists = _handleIndex?.TryGetValue(sequence, out found) == true;
                message = found!;
                return exists;
            default:
                throw InvalidHandle();
        }
    }

    /// <summary>Writes a handle's string form and indexes its message so the string can be resolved later.</summary>
    /// <remarks>Only messages whose handles were turned into strings are indexed, so the common path pays nothing.</remarks>
    internal string FormatHandle(QueueMessage<T> message, long generation)
    {
        ulong sequence = message.Id.Sequence;
        if ((Interlocked.Or(ref message.Flags, QueueMessage<T>.FlagIndexed) & QueueMessage<T>.FlagIndexed) == 0)
        {
            LazyInitializer.EnsureInitialized(ref _handleIndex)[sequence] = message;
            if (MessageState.Kind(Volatile.Read(ref message.State)) == MessageState.Deleted)
            {
                _handleIndex.TryRemove(sequence, out _); // Deleted while being indexed: its remover may have looked before the flag was set.
            }
        }

        Span<byte> payload = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(payload, sequence);
        BinaryPrimitives.WriteInt64BigEndian(payload[8..], generation);
        return string.Create(CultureInfo.InvariantCulture, $"{sequence:x16}{(uint)generation:x8}{ComputeMac(payload):x16}");
    }

    private bool TryParseHandle(string text, out ulong sequence, out long generation)
    {
        sequence = 0;
        generation = 0;
        if (text.Length != HandleTextLength
            || !ulong.TryParse(text.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out sequence)
            || !uint.TryParse(text.AsSpan(16, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint shortGeneration)
            || !ulong.TryParse(text.AsSpan(24, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mac))
        {
            return false;
        }

        generation = shortGeneration;
        Span<byte> payload = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(payload, sequence);
        BinaryPrimitives.WriteInt64BigEndian(payload[8..], generation);
        return ComputeMac(payload) == mac;
    }

    /// <summary>Signs a handle with a key only this queue instance knows, so handles cannot be forged or moved between queues.</summary>
    private ulong ComputeMac(ReadOnlySpan<byte> payload)
    {
        if (_handleKey is null)
        {
            lock (_handleKeyGate)
            {
                _handleKey ??= RandomNumberGenerator.GetBytes(32);
            }
        }

        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(_handleKey, payload, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
