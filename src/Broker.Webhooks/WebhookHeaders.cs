namespace Broker.Webhooks;

/// <summary>The HTTP headers a webhook request carries: the SNS-style <c>x-broker-*</c> headers and the Standard Webhooks signature headers.</summary>
/// <remarks>SNS equivalents: <c>x-amz-sns-message-type</c>, <c>x-amz-sns-message-id</c>, <c>x-amz-sns-topic-arn</c>,
/// <c>x-amz-sns-subscription-arn</c> and <c>x-amz-sns-rawdelivery</c>.</remarks>
public static class WebhookHeaders
{
    /// <summary>The envelope type: <c>Notification</c> or <c>SubscriptionConfirmation</c> (SNS <c>x-amz-sns-message-type</c>).</summary>
    public const string MessageType = "x-broker-message-type";

    /// <summary>The message id, the same on every attempt (SNS <c>x-amz-sns-message-id</c>).</summary>
    public const string MessageId = "x-broker-message-id";

    /// <summary>The topic's name (SNS <c>x-amz-sns-topic-arn</c>).</summary>
    public const string Topic = "x-broker-topic";

    /// <summary>The subscription's id (SNS <c>x-amz-sns-subscription-arn</c>).</summary>
    public const string Subscription = "x-broker-subscription";

    /// <summary><c>true</c> when the body is the message as published rather than the envelope (SNS <c>x-amz-sns-rawdelivery</c>).</summary>
    public const string RawDelivery = "x-broker-raw-delivery";

    /// <summary>The Standard Webhooks event id: constant across the retries of one delivery, so receivers can de-duplicate.</summary>
    public const string WebhookId = "webhook-id";

    /// <summary>The Standard Webhooks timestamp: Unix seconds when this attempt was made.</summary>
    public const string WebhookTimestamp = "webhook-timestamp";

    /// <summary>The Standard Webhooks signatures: space-separated <c>v1,&lt;base64&gt;</c> entries, one per active secret.</summary>
    public const string WebhookSignature = "webhook-signature";
}
