using System.Text.Json;

namespace Broker.Webhooks.Tests.Support;

public static class Requests
{
    public static WebhookVerificationResult VerifyWith(this ReceivedRequest request, WebhookVerifier verifier)
        => verifier.Verify(
            request.HeaderOrNull(WebhookHeaders.WebhookId),
            request.HeaderOrNull(WebhookHeaders.WebhookTimestamp),
            request.HeaderOrNull(WebhookHeaders.WebhookSignature),
            request.Body);

    public static JsonElement Json(this ReceivedRequest request)
    {
        using JsonDocument document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    public static long Timestamp(this ReceivedRequest request) => long.Parse(request.Header(WebhookHeaders.WebhookTimestamp), System.Globalization.CultureInfo.InvariantCulture);
}
