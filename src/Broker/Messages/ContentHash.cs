using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Broker.Messages;

/// <summary>The SHA-256 of a body, for content-based de-duplication: a string's UTF-8 bytes, a byte body as is, any other
/// type serialized with System.Text.Json.</summary>
internal static class ContentHash
{
    public static string Compute<T>(T body, JsonSerializerOptions jsonOptions)
    {
        byte[] bytes = (object?)body switch
        {
            string text => Encoding.UTF8.GetBytes(text),
            byte[] array => array,
            ReadOnlyMemory<byte> memory => memory.ToArray(),
            _ => JsonSerializer.SerializeToUtf8Bytes(body, jsonOptions.GetTypeInfo(typeof(T))),
        };

        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
