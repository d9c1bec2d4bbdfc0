using System.Collections;
using Broker.Messages;

namespace Broker.Queues;

/// <summary>The result of a receive that returned exactly one message: a list of one that is also its own first
/// enumerator, so the usual <c>foreach</c> over a long poll's answer allocates one 32-byte object instead of a one-element
/// array plus an array enumerator (72 bytes).</summary>
/// <remarks>The message is kept as its record and a 32-bit generation (the receive count), which is what keeps the object at
/// 32 bytes; <see cref="Create"/> falls back to an array for a generation past that.</remarks>
/// <typeparam name="T">The body type.</typeparam>
internal sealed class OneReceivedMessage<T> : IReadOnlyList<ReceivedMessage<T>>, IEnumerator<ReceivedMessage<T>>
{
    private const int Unclaimed = 0;
    private const int BeforeItem = 1;
    private const int OnItem = 2;
    private const int AfterItem = 3;

    private readonly MessageRecord<T> _record;
    private readonly int _generation;

    /// <summary>Where this object's own enumeration is; the first <see cref="GetEnumerator"/> claims it by compare-and-swap,
    /// later or concurrent ones get a fresh object.</summary>
    private int _state;

    public OneReceivedMessage(MessageRecord<T> record, long generation)
        : this(record, checked((int)generation), Unclaimed)
    {
    }

    private OneReceivedMessage(MessageRecord<T> record, int generation, int state)
    {
        _record = record;
        _generation = generation;
        _state = state;
    }

    public int Count => 1;

    private ReceivedMessage<T> Message => new(_record, _generation);

    public ReceivedMessage<T> Current => _state == OnItem ? Message : default;

    object IEnumerator.Current => Current;

    public ReceivedMessage<T> this[int index] => index == 0
        ? Message
        : throw new ArgumentOutOfRangeException(nameof(index), index, "The list holds one message, at index 0.");

    /// <summary>Makes the answer to a receive of one message: a list of this kind when the generation fits its 32 bits
    /// (below <see cref="int.MaxValue"/> receives), an array otherwise.</summary>
    public static IReadOnlyList<ReceivedMessage<T>> Create(MessageRecord<T> record, long generation)
        => generation <= int.MaxValue ? new OneReceivedMessage<T>(record, generation) : [new ReceivedMessage<T>(record, generation)];

    public IEnumerator<ReceivedMessage<T>> GetEnumerator()
        => Interlocked.CompareExchange(ref _state, BeforeItem, Unclaimed) == Unclaimed ? this : new OneReceivedMessage<T>(_record, _generation, BeforeItem);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext()
    {
        if (_state == BeforeItem)
        {
            _state = OnItem;
            return true;
        }

        _state = AfterItem;
        return false;
    }

    public void Reset() => _state = BeforeItem;

    public void Dispose()
    {
        // Nothing to release; a finished enumeration stays finished, and the next GetEnumerator gets a fresh object.
    }
}
