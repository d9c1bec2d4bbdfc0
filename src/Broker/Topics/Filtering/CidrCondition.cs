using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Broker.Topics.Filtering;

/// <summary>Matches a string holding an IP address inside a subnet: <c>{"cidr": "10.0.0.0/24"}</c> or <c>{"cidr": "2001:db8::/32"}</c>.</summary>
/// <remarks>
/// IPv4 subnets match only IPv4 addresses and IPv6 subnets only IPv6 addresses; an IPv4-mapped IPv6 address such as
/// <c>::ffff:10.0.0.1</c> is treated as IPv6. Host bits set in the policy's address are ignored (<c>10.0.0.7/24</c>
/// is read as <c>10.0.0.0/24</c>).
/// </remarks>
internal sealed class CidrCondition : FilterCondition
{
    private readonly byte[] _network;
    private readonly int _prefixLength;

    private CidrCondition(byte[] network, int prefixLength)
    {
        _network = network;
        _prefixLength = prefixLength;
    }

    public static bool TryCreate(string cidr, [NotNullWhen(true)] out CidrCondition? condition, [NotNullWhen(false)] out string? error)
    {
        condition = null;
        int slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = $"the CIDR block \"{cidr}\" has no '/' and prefix length, as in \"10.0.0.0/24\".";
            return false;
        }

        Span<byte> bytes = stackalloc byte[IpAddressText.IPv6Length];
        int length = IpAddressText.TryParse(cidr.AsSpan(0, slash), bytes);
        if (length == 0)
        {
            error = $"\"{cidr[..slash]}\" in the CIDR block \"{cidr}\" is not an IPv4 or IPv6 address.";
            return false;
        }

        int maxPrefix = length * 8;
        ReadOnlySpan<char> prefixText = cidr.AsSpan(slash + 1);
        if (prefixText.IsEmpty
            || prefixText.Length > 3
            || prefixText.ContainsAnyExceptInRange('0', '9')
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out int prefixLength)
            || prefixLength > maxPrefix)
        {
            error = $"the prefix length in the CIDR block \"{cidr}\" must be a whole number from 0 to {maxPrefix}.";
            return false;
        }

        byte[] network = bytes[..length].ToArray();
        for (int bit = prefixLength; bit < maxPrefix; bit++)
        {
            network[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        condition = new CidrCondition(network, prefixLength);
        error = null;
        return true;
    }

    public override bool Matches(FilterValue value)
    {
        if (value.Kind != FilterValueKind.String)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[IpAddressText.IPv6Length];
        if (IpAddressText.TryParse(value.Text, address) != _network.Length)
        {
            return false;
        }

        int wholeBytes = _prefixLength / 8;
        if (!address[..wholeBytes].SequenceEqual(_network.AsSpan(0, wholeBytes)))
        {
            return false;
        }

        int remainingBits = _prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        int mask = 0xFF << (8 - remainingBits);
        return (address[wholeBytes] & mask) == _network[wholeBytes];
    }
}
