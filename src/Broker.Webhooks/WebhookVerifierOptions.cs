namespace Broker.Webhooks;

/// <summary>The settings of a <see cref="WebhookVerifier"/>.</summary>
public sealed class WebhookVerifierOptions
{
    /// <summary>Gets or sets how far a request's timestamp may be from the receiver's clock, either way.</summary>
    /// <value>The default is 5 minutes, as the Standard Webhooks reference libraries; the allowed range is 1 second to 1 hour.</value>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets a value indicating whether a request accepted once is refused if it comes again within the tolerance window.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RejectReplays { get; set; } = true;

    /// <summary>Gets or sets how many accepted requests are remembered for replay detection.</summary>
    /// <value>The default is 100,000; at least 1. When full, the entry closest to leaving the window is forgotten first.</value>
    public int MaxRememberedRequests { get; set; } = 100_000;

    /// <summary>Gets or sets the receiver's clock.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }
}
