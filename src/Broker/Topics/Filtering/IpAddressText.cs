using System.Net;
using System.Net.Sockets;

namespace Broker.Topics.Filtering;

/// <summary>Reads IP addresses from text for <see cref="CidrCondition"/>, without allocating for IPv4.</summary>
internal static class IpAddressText
{
    public const int IPv4Length = 4;
    public const int IPv6Length = 16;

    /// <summary>Parses a dotted-quad IPv4 address or an IPv6 address without a zone.</summary>
    /// <param name="text">The text; IPv4 must be four decimal octets without leading zeros, as in <c>10.0.0.1</c>.</param>
    /// <param name="destination">At least 16 bytes; receives the address in network order.</param>
    /// <returns>4 for IPv4, 16 for IPv6, 0 when <paramref name="text"/> is not an address.</returns>
    public static int TryParse(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Contains(':'))
        {
            return TryParseIPv6(text, destination);
        }

        return TryParseIPv4(text, destination) ? IPv4Length : 0;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, Span<byte> destination)
    {
        int octet = 0;
        for (int i = 0; i < IPv4Length; i++)
        {
            int digits = 0;
            int value = 0;
            while (octet < text.Length && char.IsAsciiDigit(text[octet]))
            {
                if (digits == 1 && value == 0)
                {
                    return false; // a leading zero would be read as octal by some parsers: reject the ambiguity
                }

                value = (value * 10) + (text[octet] - '0');
                digits++;
                octet++;
                if (digits > 3 || value > 255)
                {
                    return false;
                }
            }

            if (digits == 0)
            {
                return false;
            }

            destination[i] = (byte)value;
            bool last = i == IPv4Length - 1;
            if (last)
            {
                return octet == text.Length;
            }

            if (octet >= text.Length || text[octet] != '.')
            {
                return false;
            }

            octet++;
        }

        return false;
    }

    private static int TryParseIPv6(ReadOnlySpan<char> text, Span<byte> destination)
    {
        // IPAddress also accepts zones ("%eth0") and brackets, which name no subnet member: reject them first.
        if (text.ContainsAny('%', '[', ']') || text.ContainsAny(' ', '/'))
        {
            return 0;
        }

        if (!IPAddress.TryParse(text, out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return 0;
        }

        return address.TryWriteBytes(destination, out int written) && written == IPv6Length ? IPv6Length : 0;
    }
}
