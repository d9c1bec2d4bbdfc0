using System.Net;
using System.Net.Sockets;

namespace Broker.Webhooks;

/// <summary>Decides which URLs and addresses a webhook may reach.</summary>
internal static class AddressGuard
{
    private enum AddressKind
    {
        Public,
        Loopback,
        Private,
        Reserved,
    }

    /// <summary>Checks everything about a URL that needs no DNS lookup.</summary>
    /// <returns>Why the URL is refused, or <see langword="null"/>.</returns>
    public static string? CheckUrl(Uri url, WebhookSecurityOptions security)
    {
        if (!url.IsAbsoluteUri)
        {
            return "the URL must be absolute.";
        }

        if (url.Scheme != Uri.UriSchemeHttps && (url.Scheme != Uri.UriSchemeHttp || security.RequireHttps))
        {
            return security.RequireHttps
                ? $"the scheme '{url.Scheme}' is refused; only https is allowed."
                : $"the scheme '{url.Scheme}' is refused; only http and https are allowed.";
        }

        if (url.UserInfo.Length > 0)
        {
            return "the URL must not carry credentials (user:password@); use the signature to authenticate.";
        }

        string host = NormalizeHost(url);
        if (host.Length == 0)
        {
            return "the URL has no host.";
        }

        if (security.AllowedHosts.Count > 0 && !IsAllowedHost(host, security.AllowedHosts))
        {
            return $"the host '{host}' is not in the allowed hosts.";
        }

        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return CheckAddress(address, security.AllowLoopback, security.AllowPrivateNetworks, host);
        }

        if (!security.AllowLoopback && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)))
        {
            return $"the host '{host}' is a loopback name; set {nameof(WebhookSecurityOptions.AllowLoopback)} to allow it.";
        }

        return null;
    }

    /// <summary>Tells whether the host is a name whose addresses must be checked.</summary>
    public static bool NeedsResolution(Uri url, WebhookSecurityOptions security)
        => (!security.AllowLoopback || !security.AllowPrivateNetworks) && !IPAddress.TryParse(NormalizeHost(url), out _);

    /// <summary>Resolves a host name and checks each address. Never throws: a failed lookup is left to the request, which fails the same way.</summary>
    /// <returns>Why the host is refused, or <see langword="null"/>.</returns>
    public static async Task<string?> CheckHostAsync(string host, bool allowLoopback, bool allowPrivateNetworks)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }

        foreach (IPAddress address in addresses)
        {
            if (CheckAddress(address, allowLoopback, allowPrivateNetworks, host) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <returns>Why the address is refused, or <see langword="null"/>.</returns>
    public static string? CheckAddress(IPAddress address, bool allowLoopback, bool allowPrivateNetworks, string host)
    {
        AddressKind kind = Classify(address);
        string target = host == address.ToString() ? host : $"{host} ({address})";
        return kind switch
        {
            AddressKind.Loopback when !allowLoopback
                => $"{target} is a loopback address; set {nameof(WebhookSecurityOptions.AllowLoopback)} to allow it.",
            AddressKind.Private when !allowPrivateNetworks
                => $"{target} is a private or link-local address; set {nameof(WebhookSecurityOptions.AllowPrivateNetworks)} to allow it.",
            AddressKind.Reserved => $"{target} is a multicast, broadcast or reserved address.",
            _ => null,
        };
    }

    public static string NormalizeHost(Uri url)
    {
        string host = url.HostNameType == UriHostNameType.IPv6 ? url.DnsSafeHost : url.IdnHost;
        return host.TrimEnd('.').ToLowerInvariant();
    }

    private static bool IsAllowedHost(string host, IList<string> allowed)
    {
        foreach (string entry in allowed)
        {
            if (string.IsNullOrWhiteSpace(entry))
            {
                continue;
            }

            string pattern = entry.Trim().TrimEnd('.');
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                if (host.EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1)
                {
                    return true;
                }
            }
            else if (string.Equals(host, pattern.Trim('[', ']'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static AddressKind Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return ClassifyV4(b);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressKind.Reserved;
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6Any))
        {
            return AddressKind.Loopback;
        }

        // NAT64 (64:ff9b::/96) carries an IPv4 address that decides.
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return ClassifyV4(v6[12..]);
        }

        if (v6[0] == 0xff)
        {
            return AddressKind.Reserved; // multicast
        }

        if ((v6[0] & 0xfe) == 0xfc || (v6[0] == 0xfe && (v6[1] & 0xc0) is 0x80 or 0xc0))
        {
            return AddressKind.Private; // unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10
        }

        return AddressKind.Public;
    }

    private static AddressKind ClassifyV4(ReadOnlySpan<byte> b)
    {
        return b[0] switch
        {
            0 or 127 => AddressKind.Loopback, // 0.0.0.0/8 reaches this host on most systems
            10 => AddressKind.Private,
            100 when (b[1] & 0xc0) == 64 => AddressKind.Private, // 100.64.0.0/10
            169 when b[1] == 254 => AddressKind.Private, // link-local, cloud metadata
            172 when (b[1] & 0xf0) == 16 => AddressKind.Private,
            192 when b[1] == 168 => AddressKind.Private,
            >= 224 => AddressKind.Reserved, // multicast, reserved, broadcast
            _ => AddressKind.Public,
        };
    }
}
