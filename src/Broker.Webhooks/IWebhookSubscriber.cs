namespace Broker.Webhooks;

/// <summary>The webhook subscriber's operations that do not depend on the body type.</summary>
internal interface IWebhookSubscriber : IConfirmableWebhook
{
    bool IsActive { get; }

    void SetKeys(byte[][] keys);

    Task ResendConfirmationAsync(CancellationToken cancellationToken);

    Task StopAsync();
}
