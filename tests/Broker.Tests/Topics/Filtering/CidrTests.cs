using static Broker.Tests.Topics.Filtering.FilterTestData;

namespace Broker.Tests.Topics.Filtering;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("10.0.0.255", true)]
    [InlineData("10.0.1.0", false)]
    [InlineData("9.255.255.255", false)]
    [InlineData("10.1.1.0", false)]
    public void Matches_IPv4Slash24_MatchesOnlyAddressesInsideTheBlock(string address, bool expected)
    {
        var policy = AttributePolicy("""{"source_ip": [{"cidr": "10.0.0.0/24"}]}""");

        bool matches = policy.MatchesAttribute("source_ip", Text(address));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("192.168.1.128", true)]
    [InlineData("192.168.1.255", true)]
    [InlineData("192.168.1.127", false)]
    [InlineData("192.168.2.128", false)]
    public void Matches_IPv4PrefixNotOnAByteBoundary_MasksPartialByte(string address, bool expected)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "192.168.1.128/25"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(address));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("203.0.113.6", false)]
    [InlineData("203.0.113.8", false)]
    public void Matches_IPv4Slash32_MatchesOneAddress(string address, bool expected)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "203.0.113.7/32"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(address));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("::1", false)]
    public void Matches_IPv4Slash0_MatchesEveryIPv4Address(string address, bool expected)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "0.0.0.0/0"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(address));

        matches.Should().Be(expected);
    }

    [Fact]
    public void Matches_PolicyAddressWithHostBitsSet_UsesTheNetworkAddress()
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "10.0.0.77/24"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text("10.0.0.3"));

        matches.Should().BeTrue();
    }

    [Theory]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.0.1")]
    [InlineData("10.0.0.256")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.1 ")]
    [InlineData("10.0.0.-1")]
    [InlineData("ten.0.0.1")]
    [InlineData(" ")]
    [InlineData("10.0.0.1/32")]
    public void Matches_MalformedIPv4Value_DoesNotMatch(string value)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "0.0.0.0/0"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(value));

        matches.Should().BeFalse();
    }

    [Theory]
    [InlineData("2001:db8::", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db8:0:0:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:DB8::abcd", true)]
    [InlineData("2001:db8:0:1::", false)]
    [InlineData("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("10.0.0.1", false)]
    public void Matches_IPv6Slash64_MatchesOnlyAddressesInsideTheBlock(string address, bool expected)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "2001:db8::/64"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(address));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("fe80::80", true)]
    [InlineData("fe80::ff", true)]
    [InlineData("fe80::7f", false)]
    public void Matches_IPv6PrefixNotOnAByteBoundary_MasksPartialByte(string address, bool expected)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "fe80::80/121"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(address));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("::1", true)]
    [InlineData("0:0:0:0:0:0:0:1", true)]
    [InlineData("::2", false)]
    public void Matches_IPv6Slash128_MatchesOneAddress(string address, bool expected)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "::1/128"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(address));

        matches.Should().Be(expected);
    }

    [Theory]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    [InlineData("2001:db8:::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Matches_IPv6ValueThatIsNotAPlainIPv6MemberOfIPv4Block_DoesNotMatch(string value)
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "10.0.0.0/8"}, {"cidr": "2001:db8::/32"}]}""");

        bool matches = policy.MatchesAttribute("ip", Text(value));

        matches.Should().BeFalse();
    }

    [Fact]
    public void Matches_CidrAgainstNumberAttribute_DoesNotMatch()
    {
        var policy = AttributePolicy("""{"ip": [{"cidr": "0.0.0.0/0"}]}""");

        bool matches = policy.MatchesAttribute("ip", Number("10"));

        matches.Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"detail": {"source-ip": "10.0.0.33"}}""", true)]
    [InlineData("""{"detail": {"source-ip": ["192.168.0.1", "10.9.9.9"]}}""", true)]
    [InlineData("""{"detail": {"source-ip": "11.0.0.1"}}""", false)]
    public void Matches_CidrInBody_MatchesNestedStringProperty(string body, bool expected)
    {
        var policy = BodyPolicy("""{"detail": {"source-ip": [{"cidr": "10.0.0.0/8"}]}}""");

        bool matches = policy.MatchesBody(body);

        matches.Should().Be(expected);
    }
}
