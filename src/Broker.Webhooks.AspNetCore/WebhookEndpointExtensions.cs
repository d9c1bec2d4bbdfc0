using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Broker.Webhooks.AspNetCore;

/// <summary>ASP.NET Core endpoints for Broker webhooks: signature checks on receiving endpoints, and the confirmation address on the publishing side.</summary>
public static class WebhookEndpointExtensions
{
    /// <summary>Makes the endpoints check the Standard Webhooks signature, timestamp and replay before they run.</summary>
    /// <typeparam name="TBuilder">The endpoint, group or handler builder.</typeparam>
    /// <param name="builder">The endpoints to protect.</param>
    /// <param name="verifier">The verifier holding the secrets; share one instance so replays are caught across requests.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The check runs before parameter binding, so the endpoint may bind the body as usual: the body is buffered, verified
    /// byte for byte, and rewound. A failed check answers 401 (409 for a replay) without running the endpoint. When the
    /// endpoint throws or answers 5xx, the request is forgotten so the sender's retry is accepted. The body is read into
    /// memory, up to the server's request size limit.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="verifier"/> is <see langword="null"/>.</exception>
    public static TBuilder RequireWebhookSignature<TBuilder>(this TBuilder builder, WebhookVerifier verifier)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(verifier);

        // Add rather than Finally: every convention builder implements Add, while Finally has a default implementation that a
        // custom builder may not override, and a check that silently does not run would leave the endpoint open. Minimal API
        // endpoints hold a forwarding delegate at this point, so binding and endpoint filters still run inside the check.
        builder.Add(endpoint =>
        {
            RequestDelegate? inner = endpoint.RequestDelegate;
            if (inner is not null)
            {
                endpoint.RequestDelegate = context => WebhookSignatureVerification.InvokeAsync(context, inner, verifier);
            }
        });
        return builder;
    }

    /// <summary>Serves the publishing application's confirmation address: a GET with the <c>Token</c> query parameter
    /// confirms the pending webhook subscription that was given that token, as an SNS <c>SubscribeURL</c> does.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, matching the path of <see cref="WebhookConfirmationEndpoint.Url"/>.</param>
    /// <param name="confirmations">The confirmation endpoint the subscriptions were made with.</param>
    /// <returns>A builder for further conventions.</returns>
    /// <remarks>Answers 200 with <c>{"SubscriptionId":"…"}</c> when the token confirms a subscription, 404 otherwise.</remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IEndpointConventionBuilder MapWebhookConfirmation(this IEndpointRouteBuilder endpoints, string pattern, WebhookConfirmationEndpoint confirmations)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(confirmations);
        return endpoints.MapGet(pattern, context => ConfirmAsync(context, confirmations));
    }

    private static async Task ConfirmAsync(HttpContext context, WebhookConfirmationEndpoint confirmations)
    {
        string? token = context.Request.Query[WebhookConfirmationEndpoint.TokenParameter];
        if (!confirmations.TryConfirm(token, out string? subscriptionId))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("SubscriptionId"u8, subscriptionId);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
