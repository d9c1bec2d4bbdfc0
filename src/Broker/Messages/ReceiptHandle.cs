namespace Broker.Messages;

/// <summary>The proof of one receive of a message, needed to delete it or change its visibility.</summary>
/// <remarks>
/// Every receive issues a new handle. A handle is opaque: it has a string form (<see cref="ToString"/>) that can be
/// stored and turned back into a handle with <see cref="Parse"/>, and it is valid only for the queue that issued it.
/// Handles compare equal only when they come from the same receive and were obtained the same way.
/// </remarks>
public readonly struct ReceiptHandle : IEquatable<ReceiptHandle>
{
    private readonly object? _token;
    private readonly long _generation;

    internal ReceiptHandle(IReceiptToken token, long generation)
    {
        _token = token;
        _generation = generation;
    }

    private ReceiptHandle(string text)
    {
        _token = text;
    }

    /// <summary>Gets a value indicating whether this is the default value, which no queue accepts.</summary>
    public bool IsEmpty => _token is null;

    internal object? Token => _token;

    internal long Generation => _generation;

    /// <summary>Turns the string form of a handle back into a handle.</summary>
    /// <param name="text">The string form, as returned by <see cref="ToString"/>.</param>
    /// <returns>The handle. Whether it is valid is decided by the queue it is used with.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty or longer than 1,024 characters.</exception>
    public static ReceiptHandle Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        if (text.Length > 1024)
        {
            throw new ArgumentException($"A receipt handle is at most 1,024 characters long; this one has {text.Length}.", nameof(text));
        }

        return new ReceiptHandle(text);
    }

    /// <summary>Returns the opaque string form of the handle.</summary>
    /// <returns>The string form, or an empty string for the default value.</returns>
    public override string ToString() => _token switch
    {
        IReceiptToken token => token.FormatHandle(_generation),
        string text => text,
        _ => string.Empty,
    };

    /// <inheritdoc />
    public bool Equals(ReceiptHandle other) => Equals(_token, other._token) && _generation == other._generation;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ReceiptHandle other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_token, _generation);

    /// <summary>Determines whether two handles are equal.</summary>
    /// <param name="left">The first handle.</param>
    /// <param name="right">The second handle.</param>
    /// <returns><see langword="true"/> when both come from the same receive.</returns>
    public static bool operator ==(ReceiptHandle left, ReceiptHandle right) => left.Equals(right);

    /// <summary>Determines whether two handles differ.</summary>
    /// <param name="left">The first handle.</param>
    /// <param name="right">The second handle.</param>
    /// <returns><see langword="true"/> when the handles differ.</returns>
    public static bool operator !=(ReceiptHandle left, ReceiptHandle right) => !left.Equals(right);
}
