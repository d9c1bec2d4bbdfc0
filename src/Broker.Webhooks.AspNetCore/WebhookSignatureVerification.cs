using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Broker.Webhooks.AspNetCore;

/// <summary>Verifies a request before its endpoint runs, so the endpoint can still bind the body.</summary>
internal static class WebhookSignatureVerification
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, WebhookVerifier verifier)
    {
        HttpRequest request = context.Request;
        string? id = Single(request.Headers, WebhookHeaders.WebhookId);
        string? timestamp = Single(request.Headers, WebhookHeaders.WebhookTimestamp);
        string? signature = Single(request.Headers, WebhookHeaders.WebhookSignature);

        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;

        WebhookVerificationResult result = verifier.Verify(id, timestamp, signature, body.GetBuffer().AsSpan(0, (int)body.Length));
        if (result != WebhookVerificationResult.Valid)
        {
            // 409 for a replay, 401 otherwise: neither is retried by a Broker sender, which dead-letters with the status.
            context.Response.StatusCode = result == WebhookVerificationResult.Replayed ? StatusCodes.Status409Conflict : StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Webhook signature check failed: " + result, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // A request that was verified but then failed must not look like a replay when the sender retries it.
        context.Response.OnStarting(
            static state =>
            {
                var (response, verifier, id, timestamp) = ((HttpResponse, WebhookVerifier, string?, string?))state;
                if (response.StatusCode >= StatusCodes.Status500InternalServerError)
                {
                    verifier.Forget(id, timestamp);
                }

                return Task.CompletedTask;
            },
            (context.Response, verifier, id, timestamp));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            verifier.Forget(id, timestamp);
            throw;
        }
    }

    private static string? Single(IHeaderDictionary headers, string name)
        => headers.TryGetValue(name, out StringValues values) && values.Count == 1 ? values[0] : null;
}
