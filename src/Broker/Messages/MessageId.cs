using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Broker.Messages;

/// <summary>Identifies a message. Unique within the process; its string form looks like a GUID.</summary>
/// <remarks>Ids are made from a process-wide counter and a random per-process prefix; each thread takes the counter's values
/// a block at a time, so creating an id is usually a thread-local increment. The string form is produced only when asked for.</remarks>
public readonly struct MessageId : IEquatable<MessageId>, ISpanFormattable
{
    private static readonly ulong s_processPrefix = (ulong)Random.Shared.NextInt64() | 1UL;
    /// <summary>How many counter values a thread takes at once.</summary>
    private const int BlockSize = 1024;

    private static long s_counter;

    [ThreadStatic]
    private static ulong t_next;

    [ThreadStatic]
    private static ulong t_blockEnd;

    private readonly ulong _prefix;
    private readonly ulong _value;

    /// <summary>Initializes a new instance of the <see cref="MessageId"/> struct from its two halves.</summary>
    /// <param name="prefix">The high 64 bits.</param>
    /// <param name="value">The low 64 bits.</param>
    public MessageId(ulong prefix, ulong value)
    {
        _prefix = prefix;
        _value = value;
    }

    /// <summary>Gets a value indicating whether this is the default, empty id.</summary>
    public bool IsEmpty => _prefix == 0 && _value == 0;

    internal ulong Sequence => _value;

    /// <summary>Gets a value indicating whether <see cref="NewId"/> made this id here, so <see cref="FromSequence"/> can rebuild it from its low half.</summary>
    internal bool IsFromThisProcess => _prefix == s_processPrefix;

    /// <summary>Creates a new id, unique within the process.</summary>
    /// <returns>The new id.</returns>
    public static MessageId NewId()
    {
        ulong next = t_next;
        if (next == t_blockEnd)
        {
            // Values start at 1: the first block is 1 to 1024.
            next = (ulong)Interlocked.Add(ref s_counter, BlockSize) - BlockSize + 1;
            t_blockEnd = next + BlockSize;
        }

        t_next = next + 1;
        return new MessageId(s_processPrefix, next);
    }

    /// <summary>Rebuilds an id made by <see cref="NewId"/> in this process from its <see cref="Sequence"/>.</summary>
    internal static MessageId FromSequence(ulong sequence) => new(s_processPrefix, sequence);

    /// <summary>Parses the string form produced by <see cref="ToString()"/>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="id">The parsed id.</param>
    /// <returns><see langword="true"/> if <paramref name="text"/> is a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out MessageId id)
    {
        if (text is not null && Guid.TryParseExact(text, "D", out Guid guid))
        {
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes, bigEndian: true, out _);
            id = new MessageId(
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>Parses the string form produced by <see cref="ToString()"/>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The parsed id.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a message id.</exception>
    public static MessageId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out MessageId id) ? id : throw new FormatException($"'{text}' is not a message id.");
    }

    /// <inheritdoc />
    public bool Equals(MessageId other) => _prefix == other._prefix && _value == other._value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MessageId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_prefix, _value);

    /// <summary>Returns the id in the GUID-like form <c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>.</summary>
    /// <returns>The string form.</returns>
    public override string ToString() => ToGuid().ToString("D", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => ToGuid().TryFormat(destination, out charsWritten, "D");

    /// <summary>Determines whether two ids are equal.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when both name the same message.</returns>
    public static bool operator ==(MessageId left, MessageId right) => left.Equals(right);

    /// <summary>Determines whether two ids differ.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when the ids name different messages.</returns>
    public static bool operator !=(MessageId left, MessageId right) => !left.Equals(right);

    private Guid ToGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, _prefix);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _value);
        return new Guid(bytes, bigEndian: true);
    }
}
