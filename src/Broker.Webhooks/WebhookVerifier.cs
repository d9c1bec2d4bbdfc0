using System.Globalization;
using System.Security.Cryptography;

namespace Broker.Webhooks;

/// <summary>Checks that a webhook request was signed by a holder of the secret, is recent, and is not a replay: the receiving
/// side of the Standard Webhooks scheme.</summary>
/// <remarks>
/// Pass the three <c>webhook-*</c> headers and the body exactly as received (before any parsing). Signatures are compared in
/// constant time; entries of other versions than <c>v1</c> are skipped. A replay is the same <c>webhook-id</c> with the same
/// timestamp: the sender's retries carry the same id with a new timestamp and signature, which only a holder of the secret can
/// make, so they are accepted, and de-duplicating by <c>webhook-id</c> is the receiver's job (it is the idempotency key).
/// Thread-safe; keep one instance per endpoint so the replay memory is shared.
/// </remarks>
public sealed class WebhookVerifier
{
    private const int MaxSignatureEntries = 32;

    private static readonly TimeSpan s_maxTolerance = TimeSpan.FromHours(1);

    private readonly byte[][] _keys;
    private readonly TimeProvider _time;
    private readonly long _toleranceSeconds;
    private readonly ReplayCache? _replays;

    /// <summary>Initializes a new instance of the <see cref="WebhookVerifier"/> class with one secret.</summary>
    /// <param name="secret">The secret, <c>whsec_</c> followed by the base64 of 24 to 64 bytes.</param>
    /// <param name="options">The tolerance, replay memory and clock; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The secret is malformed or an option is out of range; the message never quotes the secret.</exception>
    public WebhookVerifier(string secret, WebhookVerifierOptions? options = null)
        : this([secret ?? throw new ArgumentNullException(nameof(secret))], options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookVerifier"/> class with several secrets: a request signed
    /// with any of them is accepted, which lets secrets rotate.</summary>
    /// <param name="secrets">The secrets, each <c>whsec_</c> followed by the base64 of 24 to 64 bytes.</param>
    /// <param name="options">The tolerance, replay memory and clock; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty, a secret is malformed, or an option is out of range.</exception>
    public WebhookVerifier(IEnumerable<string> secrets, WebhookVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        options ??= new WebhookVerifierOptions();
        var errors = new List<string>();
        _keys = WebhookSecret.ReadKeys(secrets, errors, nameof(secrets));
        if (options.Tolerance < TimeSpan.FromSeconds(1) || options.Tolerance > s_maxTolerance)
        {
            errors.Add($"{nameof(WebhookVerifierOptions.Tolerance)} is {options.Tolerance}; it must be between 1 second and {s_maxTolerance}.");
        }

        if (options.MaxRememberedRequests < 1)
        {
            errors.Add($"{nameof(WebhookVerifierOptions.MaxRememberedRequests)} is {options.MaxRememberedRequests}; it must be at least 1.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid webhook verifier settings: " + string.Join(" ", errors), nameof(secrets));
        }

        _time = options.TimeProvider ?? TimeProvider.System;
        _toleranceSeconds = (long)Math.Ceiling(options.Tolerance.TotalSeconds);
        _replays = options.RejectReplays ? new ReplayCache(options.MaxRememberedRequests) : null;
    }

    /// <summary>Checks a request.</summary>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The body, byte for byte as received.</param>
    /// <returns><see cref="WebhookVerificationResult.Valid"/>, or why the request must be refused. A valid request is remembered,
    /// so the same request again within the tolerance window is <see cref="WebhookVerificationResult.Replayed"/>.</returns>
    public WebhookVerificationResult Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature))
        {
            return WebhookVerificationResult.MissingHeaders;
        }

        if (!TryParseTimestamp(webhookTimestamp, out long timestamp))
        {
            return WebhookVerificationResult.InvalidTimestamp;
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (timestamp < now - _toleranceSeconds)
        {
            return WebhookVerificationResult.TimestampTooOld;
        }

        if (timestamp > now + _toleranceSeconds)
        {
            return WebhookVerificationResult.TimestampTooNew;
        }

        if (!SignatureMatches(webhookId, webhookTimestamp, webhookSignature, body))
        {
            return WebhookVerificationResult.InvalidSignature;
        }

        if (_replays is not null && !_replays.TryAdd(webhookId, timestamp, timestamp + _toleranceSeconds, now))
        {
            return WebhookVerificationResult.Replayed;
        }

        return WebhookVerificationResult.Valid;
    }

    /// <summary>Forgets an accepted request, so the same request is accepted again: call it when handling a verified request
    /// failed, so the sender's retry is not taken for a replay.</summary>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    public void Forget(string? webhookId, string? webhookTimestamp)
    {
        if (_replays is not null && !string.IsNullOrEmpty(webhookId) && TryParseTimestamp(webhookTimestamp, out long timestamp))
        {
            _replays.Remove(webhookId, timestamp);
        }
    }

    private static bool TryParseTimestamp(string? text, out long timestamp)
    {
        timestamp = 0;
        return !string.IsNullOrEmpty(text)
            && text.Length <= 19
            && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }

    private bool SignatureMatches(string webhookId, string webhookTimestamp, string header, ReadOnlySpan<byte> body)
    {
        const int Size = WebhookSignature.HashSize;
        Span<byte> received = stackalloc byte[Size * MaxSignatureEntries];
        Span<byte> decoded = stackalloc byte[Size + 3];
        int count = 0;
        ReadOnlySpan<char> text = header.AsSpan();
        foreach (Range range in text.Split(' '))
        {
            ReadOnlySpan<char> entry = text[range];
            int comma = entry.IndexOf(',');
            if (comma < 0
                || !entry[..comma].SequenceEqual(WebhookSignature.Version)
                || !Convert.TryFromBase64Chars(entry[(comma + 1)..], decoded, out int written)
                || written != Size)
            {
                continue; // empty, another version, or not a signature
            }

            decoded[..Size].CopyTo(received.Slice(count * Size, Size));
            if (++count == MaxSignatureEntries)
            {
                break;
            }
        }

        bool matched = false;
        Span<byte> expected = stackalloc byte[Size];
        foreach (byte[] key in _keys)
        {
            WebhookSignature.Compute(key, webhookId, webhookTimestamp, body, expected);
            for (int i = 0; i < count; i++)
            {
                // Every comparison runs, so the time taken does not tell which entry or key matched.
                matched |= CryptographicOperations.FixedTimeEquals(received.Slice(i * Size, Size), expected);
            }
        }

        return matched;
    }
}
