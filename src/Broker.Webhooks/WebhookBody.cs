namespace Broker.Webhooks;

/// <summary>A request body and its content type.</summary>
internal readonly record struct WebhookBody(ReadOnlyMemory<byte> Bytes, string ContentType);
