using System.Diagnostics;

namespace Broker.Messages;

/// <summary>What a receiver sees of a stored message. A backend's stored message derives from it, so a
/// <see cref="ReceivedMessage{T}"/> can refer to it instead of copying every field on each receive.</summary>
/// <remarks>Everything here is fixed once the message is stored, except <see cref="FirstReceiveUtcTicks"/>, which is set
/// once, before the first receive returns.</remarks>
internal abstract class MessageRecord<T> : IReceiptToken
{
    public readonly T Body;
    public readonly long SentUtcTicks;

    public long FirstReceiveUtcTicks;

    /// <summary>The low half of the id; the high half is the process prefix every id made here shares (<see cref="MessageId.NewId"/>).</summary>
    private readonly ulong _sequence;

    /// <summary>The fields most messages leave empty, kept apart so a plain message is a third smaller; <see langword="null"/> when all are empty.</summary>
    private readonly Extras? _extras;

    protected MessageRecord(
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue> attributes,
        MessageId id,
        long sentUtcTicks,
        string? deadLetterSourceQueue,
        string? messageGroupId)
    {
        Debug.Assert(id.IsFromThisProcess, "Stored messages carry ids made by MessageId.NewId.");
        Body = body;
        _sequence = id.Sequence;
        SentUtcTicks = sentUtcTicks;
        if (!ReferenceEquals(attributes, MessageAttributeRules.Empty) || deadLetterSourceQueue is not null || messageGroupId is not null)
        {
            _extras = new Extras { Attributes = attributes, DeadLetterSourceQueue = deadLetterSourceQueue, MessageGroupId = messageGroupId };
        }
    }

    public MessageId Id => MessageId.FromSequence(_sequence);

    public IReadOnlyDictionary<string, MessageAttributeValue> Attributes => _extras?.Attributes ?? MessageAttributeRules.Empty;

    public string? DeadLetterSourceQueue => _extras?.DeadLetterSourceQueue;

    public virtual string? MessageGroupId => _extras?.MessageGroupId;

    /// <summary>Gets the W3C traceparent of the span that sent the message, so its consumers can join the trace; set while the message is made.</summary>
    public string? TraceParent
    {
        get => _extras?.TraceParent;
        init
        {
            if (value is not null)
            {
                (_extras ??= new Extras()).TraceParent = value;
            }
        }
    }

    public virtual string? DeduplicationId => null;

    public virtual string? SequenceNumber => null;

    public abstract string FormatHandle(long generation);

    /// <summary>Written only while the message is being made, before anyone else can see it.</summary>
    private sealed class Extras
    {
        public IReadOnlyDictionary<string, MessageAttributeValue>? Attributes;
        public string? DeadLetterSourceQueue;
        public string? MessageGroupId;
        public string? TraceParent;
    }
}
