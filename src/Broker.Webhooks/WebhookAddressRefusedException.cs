namespace Broker.Webhooks;

/// <summary>Thrown from the connect step when a webhook's host resolves to an address the security options refuse.</summary>
internal sealed class WebhookAddressRefusedException : Exception
{
    public WebhookAddressRefusedException()
    {
    }

    public WebhookAddressRefusedException(string? message)
        : base(message)
    {
    }

    public WebhookAddressRefusedException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
