using System.Runtime.CompilerServices;
using System.Text;

namespace Broker.Messages;

/// <summary>Measures message bodies the way SQS does: text as its UTF-8 bytes, binary data as its length.</summary>
/// <remarks>Bodies of other types are in-memory object references that are never serialized on the in-process path,
/// so they count as zero bytes; only their attributes count toward the size limit.</remarks>
internal static class MessageBodySize
{
    public static long Measure<T>(T body)
    {
        // typeof(T) tests are folded by the JIT per instantiation, so value-type bodies are never boxed.
        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            return Unsafe.As<T, ReadOnlyMemory<byte>>(ref body).Length;
        }

        if (typeof(T) == typeof(Memory<byte>))
        {
            return Unsafe.As<T, Memory<byte>>(ref body).Length;
        }

        if (typeof(T) == typeof(ArraySegment<byte>))
        {
            return Unsafe.As<T, ArraySegment<byte>>(ref body).Count;
        }

        if (typeof(T).IsValueType)
        {
            return 0;
        }

        return (object?)body switch
        {
            string text => Encoding.UTF8.GetByteCount(text),
            byte[] bytes => bytes.Length,
            _ => 0,
        };
    }
}
