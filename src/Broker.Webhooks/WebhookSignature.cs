using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Broker.Webhooks;

/// <summary>The Standard Webhooks symmetric signature: HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>.</summary>
internal static class WebhookSignature
{
    public const int HashSize = 32;

    public const string Version = "v1";

    /// <summary>Writes the signature of one message with one key.</summary>
    public static void Compute(byte[] key, string webhookId, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        int prefixLength = Encoding.UTF8.GetMaxByteCount(webhookId.Length + timestamp.Length + 2);
        byte[]? rented = null;
        Span<byte> prefix = prefixLength <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(prefixLength));
        try
        {
            int written = Encoding.UTF8.GetBytes(webhookId, prefix);
            prefix[written++] = (byte)'.';
            written += Encoding.UTF8.GetBytes(timestamp, prefix[written..]);
            prefix[written++] = (byte)'.';

            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            hmac.AppendData(prefix[..written]);
            hmac.AppendData(body);
            hmac.GetHashAndReset(destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Builds the <c>webhook-signature</c> header value: one <c>v1,&lt;base64&gt;</c> entry per key, space-separated.</summary>
    public static string Sign(byte[][] keys, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        string stamp = timestamp.ToString(CultureInfo.InvariantCulture);
        var header = new StringBuilder(keys.Length * 48);
        Span<byte> hash = stackalloc byte[HashSize];
        foreach (byte[] key in keys)
        {
            Compute(key, webhookId, stamp, body, hash);
            if (header.Length > 0)
            {
                header.Append(' ');
            }

            header.Append(Version).Append(',').Append(Convert.ToBase64String(hash));
        }

        return header.ToString();
    }
}
