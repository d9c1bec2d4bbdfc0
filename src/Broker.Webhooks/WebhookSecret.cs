using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Broker.Webhooks;

/// <summary>Creates and reads webhook signing secrets in the Standard Webhooks form: <c>whsec_</c> followed by the base64 of 24 to 64 random bytes.</summary>
public static class WebhookSecret
{
    /// <summary>Creates a new random secret.</summary>
    /// <param name="byteCount">How many random bytes: 24 to 64. The default, 32, gives a 256-bit key.</param>
    /// <returns>The secret, such as <c>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw</c>. Share it with the receiver over a secure channel.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteCount"/> is outside 24 to 64.</exception>
    public static string Generate(int byteCount = 32)
    {
        if (byteCount is < WebhookDefaults.MinSecretBytes or > WebhookDefaults.MaxSecretBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(byteCount),
                byteCount,
                $"byteCount must be between {WebhookDefaults.MinSecretBytes} and {WebhookDefaults.MaxSecretBytes}.");
        }

        return WebhookDefaults.SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(byteCount));
    }

    /// <summary>Reads a secret into its HMAC key.</summary>
    /// <returns><see langword="true"/> when <paramref name="key"/> was read; otherwise <paramref name="error"/> says why, never quoting the secret.</returns>
    internal static bool TryReadKey(string? secret, [NotNullWhen(true)] out byte[]? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        error = Check(secret, ref key);
        return error is null;
    }

    private static string? Check(string? secret, ref byte[]? key)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(WebhookDefaults.SecretPrefix, StringComparison.Ordinal))
        {
            return $"a secret must start with '{WebhookDefaults.SecretPrefix}' followed by base64.";
        }

        ReadOnlySpan<char> encoded = secret.AsSpan(WebhookDefaults.SecretPrefix.Length);
        Span<byte> buffer = stackalloc byte[WebhookDefaults.MaxSecretBytes + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out int written))
        {
            return $"a secret must be '{WebhookDefaults.SecretPrefix}' followed by the base64 of {WebhookDefaults.MinSecretBytes} to {WebhookDefaults.MaxSecretBytes} bytes.";
        }

        if (written is < WebhookDefaults.MinSecretBytes or > WebhookDefaults.MaxSecretBytes)
        {
            return $"a secret must hold {WebhookDefaults.MinSecretBytes} to {WebhookDefaults.MaxSecretBytes} bytes; one holds {written}.";
        }

        key = buffer[..written].ToArray();
        return null;
    }

    /// <summary>Reads every secret, reporting each problem by position.</summary>
    internal static byte[][] ReadKeys(IEnumerable<string> secrets, List<string> errors, string what)
    {
        var keys = new List<byte[]>();
        int index = 0;
        foreach (string secret in secrets)
        {
            if (!TryReadKey(secret, out byte[]? key, out string? problem))
            {
                errors.Add($"{what}[{index}]: {problem}");
            }
            else
            {
                keys.Add(key);
            }

            index++;
        }

        if (index == 0)
        {
            errors.Add($"{what}: at least one secret is required (see {nameof(WebhookSecret)}.{nameof(Generate)}).");
        }

        return [.. keys];
    }
}
