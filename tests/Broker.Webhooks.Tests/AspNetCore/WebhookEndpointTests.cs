using System.Net;
using System.Text;
using System.Text.Json;
using Broker.Tests.Support;
using Broker.Topics;
using Broker.Webhooks.AspNetCore;
using Broker.Webhooks.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Broker.Webhooks.Tests.AspNetCore;

public sealed class WebhookEndpointTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task RequireWebhookSignature_DeliveryFromABroker_RunsTheHandlerWithTheBoundBody()
    {
        var verifier = new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock });
        var handled = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(app =>
            app.MapPost("/orders", (JsonElement envelope) =>
            {
                handled.TrySetResult(envelope.Clone());
                return Results.Ok();
            }).RequireWebhookSignature(verifier));
        await using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        WebhookSubscription subscription = topic.SubscribeWebhook(new Uri(receiver.BaseUrl, "orders"), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
        });

        await topic.PublishAsync("latte");
        JsonElement envelope = await handled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => subscription.Subscription.DeliveredCount == 1, "the delivery succeeds");

        envelope.GetProperty("Message").GetString().Should().Be("latte");
    }

    [Fact]
    public async Task RequireWebhookSignature_TamperedBody_Answers401WithoutRunningTheHandler()
    {
        int runs = 0;
        await using WebhookReceiver receiver = await StartProtectedAsync(() => Interlocked.Increment(ref runs));
        using var client = new HttpClient();
        HttpRequestMessage request = Signed(receiver, "x-1", """{"drink":"latte"}""");
        request.Content = new StringContent("""{"drink":"mocha"}""", Encoding.UTF8, "application/json");

        HttpResponseMessage response = await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("InvalidSignature");
        runs.Should().Be(0);
    }

    [Fact]
    public async Task RequireWebhookSignature_OldTimestamp_Answers401()
    {
        int runs = 0;
        await using WebhookReceiver receiver = await StartProtectedAsync(() => Interlocked.Increment(ref runs));
        using var client = new HttpClient();
        HttpRequestMessage request = Signed(receiver, "x-1", "{}");
        _clock.Advance(TimeSpan.FromMinutes(6));

        HttpResponseMessage response = await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("TimestampTooOld");
        runs.Should().Be(0);
    }

    [Fact]
    public async Task RequireWebhookSignature_SameRequestTwice_Answers409TheSecondTime()
    {
        int runs = 0;
        await using WebhookReceiver receiver = await StartProtectedAsync(() => Interlocked.Increment(ref runs));
        using var client = new HttpClient();

        HttpResponseMessage first = await client.SendAsync(Signed(receiver, "x-1", "{}")).WaitAsync(TimeSpan.FromSeconds(10));
        HttpResponseMessage second = await client.SendAsync(Signed(receiver, "x-1", "{}")).WaitAsync(TimeSpan.FromSeconds(10));

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        runs.Should().Be(1);
    }

    [Fact]
    public async Task RequireWebhookSignature_HandlerFailed_AcceptsTheSameRequestAgain()
    {
        int runs = 0;
        await using WebhookReceiver receiver = await StartProtectedAsync(() =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                throw new InvalidOperationException("handler failed");
            }
        });
        using var client = new HttpClient();

        HttpResponseMessage first = await client.SendAsync(Signed(receiver, "x-1", "{}")).WaitAsync(TimeSpan.FromSeconds(10));
        HttpResponseMessage second = await client.SendAsync(Signed(receiver, "x-1", "{}")).WaitAsync(TimeSpan.FromSeconds(10));

        first.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        runs.Should().Be(2);
    }

    [Fact]
    public async Task RequireWebhookSignature_MissingHeaders_Answers401()
    {
        await using WebhookReceiver receiver = await StartProtectedAsync(static () => { });
        using var client = new HttpClient();

        HttpResponseMessage response = await client.PostAsync(new Uri(receiver.BaseUrl, "protected"), new StringContent("{}", Encoding.UTF8, "application/json")).WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("MissingHeaders");
    }

    [Fact]
    public async Task RequireWebhookSignature_OnARouteGroup_ProtectsItsEndpoints()
    {
        var verifier = new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock });
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(app =>
        {
            RouteGroupBuilder group = app.MapGroup("/group").RequireWebhookSignature(verifier);
            group.MapPost("/protected", static () => Results.Ok());
        });
        using var client = new HttpClient();
        HttpRequestMessage signed = Signed(receiver, "x-1", "{}");
        signed.RequestUri = new Uri(receiver.BaseUrl, "group/protected");

        HttpResponseMessage unsigned = await client.PostAsync(new Uri(receiver.BaseUrl, "group/protected"), new StringContent("{}")).WaitAsync(TimeSpan.FromSeconds(10));
        HttpResponseMessage accepted = await client.SendAsync(signed).WaitAsync(TimeSpan.FromSeconds(10));

        unsigned.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MapWebhookConfirmation_ReceiverOpensTheSubscribeUrl_ActivatesTheSubscription()
    {
        int port = WebhookReceiver.FreePort();
        var confirmations = new WebhookConfirmationEndpoint(new Uri($"http://127.0.0.1:{port}/webhooks/confirm"));
        await using WebhookReceiver publisherApp = await WebhookReceiver.StartAsync(app => app.MapWebhookConfirmation("/webhooks/confirm", confirmations), port);
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        WebhookSubscription subscription = topic.SubscribeWebhook(receiver.Url, o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
            o.RequireConfirmation = true;
            o.ConfirmationEndpoint = confirmations;
        });
        string subscribeUrl = (await receiver.NextAsync()).Json().GetProperty("SubscribeURL").GetString()!;
        using var client = new HttpClient();

        HttpResponseMessage wrong = await client.GetAsync(new Uri(publisherApp.BaseUrl, "webhooks/confirm?Token=0000")).WaitAsync(TimeSpan.FromSeconds(10));
        HttpResponseMessage confirmed = await client.GetAsync(new Uri(subscribeUrl)).WaitAsync(TimeSpan.FromSeconds(10));
        await topic.PublishAsync("after");
        ReceivedRequest delivered = await receiver.NextAsync();

        wrong.StatusCode.Should().Be(HttpStatusCode.NotFound);
        confirmed.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(await confirmed.Content.ReadAsStringAsync()).RootElement.GetProperty("SubscriptionId").GetString().Should().Be(subscription.Id);
        subscription.IsPendingConfirmation.Should().BeFalse();
        delivered.Json().GetProperty("Message").GetString().Should().Be("after");
    }

    private Task<WebhookReceiver> StartProtectedAsync(Action handler)
    {
        var verifier = new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock });
        return WebhookReceiver.StartAsync(app => app.MapPost("/protected", (JsonElement body) =>
        {
            handler();
            return Results.Ok();
        }).RequireWebhookSignature(verifier));
    }

    private HttpRequestMessage Signed(WebhookReceiver receiver, string id, string body)
    {
        WebhookSecret.TryReadKey(TestSecrets.A, out byte[]? key, out _);
        long timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(receiver.BaseUrl, "protected"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookHeaders.WebhookId, id);
        request.Headers.Add(WebhookHeaders.WebhookTimestamp, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.WebhookSignature, WebhookSignature.Sign([key!], id, timestamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }
}
