namespace Broker.Webhooks;

/// <summary>The values of the <see cref="WebhookHeaders.MessageType"/> header and of the envelope's <c>Type</c> field.</summary>
public static class WebhookMessageTypes
{
    /// <summary>A published message.</summary>
    public const string Notification = "Notification";

    /// <summary>A request to confirm a new subscription; carries a <c>Token</c> and, when the broker exposes one, a <c>SubscribeURL</c>.</summary>
    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
}
