using System.Collections;
using Broker.Messages;

namespace Broker.Queues;

/// <summary>The result of a receive that returned exactly one message: a list of one that is also its own first
/// enumerator, so the usual <c>foreach</c> over a long poll's answer allocates one 40-byte object instead of a one-element
/// array plus an array enumerator (72 bytes).</summary>
/// <typeparam name="T">The body type.</typeparam>
internal sealed class OneReceivedMessage<T> : IReadOnlyList<ReceivedMessage<T>>, IEnumerator<ReceivedMessage<T>>
{
    private const int Unclaimed = 0;
    private const int BeforeItem = 1;
    private const int OnItem = 2;
    private const int AfterItem = 3;

    private readonly ReceivedMessage<T> _message;

    /// <summary>Where this object's own enumeration is; the first <see cref="GetEnumerator"/> claims it by compare-and-swap,
    /// later or concurrent ones get a fresh object.</summary>
    private int _state;

    public OneReceivedMessage(ReceivedMessage<T> message)
        : this(message, Unclaimed)
    {
    }

    private OneReceivedMessage(ReceivedMessage<T> message, int state)
    {
        _message = message;
        _state = state;
    }

    public int Count => 1;

    public ReceivedMessage<T> Current => _state == OnItem ? _message : default;

    object IEnumerator.Current => Current;

    public ReceivedMessage<T> this[int index] => index == 0
        ? _message
        : throw new ArgumentOutOfRangeException(nameof(index), index, "The list holds one message, at index 0.");

    public IEnumerator<ReceivedMessage<T>> GetEnumerator()
        => Interlocked.CompareExchange(ref _state, BeforeItem, Unclaimed) == Unclaimed ? this : new OneReceivedMessage<T>(_message, BeforeItem);

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
