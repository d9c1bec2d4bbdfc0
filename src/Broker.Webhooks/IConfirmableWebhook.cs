namespace Broker.Webhooks;

/// <summary>What a <see cref="WebhookConfirmationEndpoint"/> needs from a pending webhook subscription.</summary>
internal interface IConfirmableWebhook
{
    /// <summary>Gets a value indicating whether the subscription has been removed; its token then confirms nothing.</summary>
    bool IsRemoved { get; }

    /// <summary>Confirms the subscription if <paramref name="token"/> is its current, unexpired token.</summary>
    bool TryConfirm(string token, out string subscriptionId);
}
