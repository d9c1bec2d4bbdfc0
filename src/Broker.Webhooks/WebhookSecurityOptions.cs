namespace Broker.Webhooks;

/// <summary>Which endpoints a webhook subscription may reach; set it strictly for URLs that come from untrusted input.</summary>
/// <remarks>
/// The URL is checked when subscribing (scheme, credentials, allowed hosts, literal addresses, <c>localhost</c> names, and the
/// addresses a host name resolves to, before the first request). The broker's own HTTP handler checks again on every new
/// connection, against the addresses it actually connects to, so a name that later resolves elsewhere (DNS rebinding) is still
/// refused; it never follows redirects and ignores proxy settings. A caller-supplied <see cref="HttpClient"/> keeps only the
/// subscribe-time checks unless it is built on <see cref="WebhookHttpHandler.Create"/>.
/// </remarks>
public sealed class WebhookSecurityOptions
{
    /// <summary>Gets the host names a subscription may use; empty allows any host.</summary>
    /// <value>The default is empty. An entry is a host name or address compared without case (<c>hooks.example.com</c>), or
    /// <c>*.</c> and a domain for any of its subdomains (<c>*.example.com</c>, which does not match <c>example.com</c> itself).</value>
    public IList<string> AllowedHosts { get; } = new List<string>();

    /// <summary>Gets or sets a value indicating whether endpoints on this machine may be used: loopback addresses
    /// (127.0.0.0/8, ::1), the unspecified address, and <c>localhost</c> names.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowLoopback { get; set; }

    /// <summary>Gets or sets a value indicating whether endpoints on private networks may be used: 10.0.0.0/8, 172.16.0.0/12,
    /// 192.168.0.0/16, 100.64.0.0/10 (carrier-grade NAT), link-local 169.254.0.0/16 (cloud metadata services) and fe80::/10,
    /// and unique-local fc00::/7.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Gets or sets a value indicating whether only <c>https</c> URLs are accepted.</summary>
    /// <value>The default is <see langword="false"/>: <c>http</c> and <c>https</c>, as SNS allows. Other schemes are always refused.</value>
    public bool RequireHttps { get; set; }

    internal WebhookSecurityOptions Clone()
    {
        var copy = new WebhookSecurityOptions
        {
            AllowLoopback = AllowLoopback,
            AllowPrivateNetworks = AllowPrivateNetworks,
            RequireHttps = RequireHttps,
        };
        foreach (string host in AllowedHosts)
        {
            copy.AllowedHosts.Add(host);
        }

        return copy;
    }
}
