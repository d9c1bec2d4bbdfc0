using System.Text.Json;
using Broker.Tests.Support;
using Broker.Topics;
using Broker.Webhooks.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Broker.Webhooks.Tests.Confirmation;

public sealed class WebhookConfirmationTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private MessageBroker _broker = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _broker = new MessageBroker(_clock);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task SubscribeWebhook_RequireConfirmation_PostsASignedConfirmationWithAToken()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");

        WebhookSubscription subscription = Subscribe(topic);
        ReceivedRequest request = await _receiver.NextAsync();

        subscription.IsPendingConfirmation.Should().BeTrue();
        request.Header(WebhookHeaders.MessageType).Should().Be("SubscriptionConfirmation");
        request.Header(WebhookHeaders.Subscription).Should().Be(subscription.Id);
        request.VerifyWith(new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.Valid);
        JsonElement envelope = request.Json();
        envelope.GetProperty("Type").GetString().Should().Be("SubscriptionConfirmation");
        envelope.GetProperty("Topic").GetString().Should().Be("t");
        envelope.GetProperty("Token").GetString().Should().MatchRegex("^[0-9a-f]{64}$");
        envelope.TryGetProperty("SubscribeURL", out _).Should().BeFalse();
        envelope.GetProperty("Timestamp").GetString().Should().Be("2026-01-01T08:00:00.000Z");
    }

    [Fact]
    public async Task Publish_WhilePending_IsNotAcceptedAndDeliveriesStartOnceConfirmed()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic);
        string token = (await _receiver.NextAsync()).Json().GetProperty("Token").GetString()!;

        await topic.PublishAsync("early");
        long pendingBeforeConfirmation = subscription.Subscription.PendingCount;
        bool confirmed = subscription.Confirm(token);
        await topic.PublishAsync("late");
        ReceivedRequest delivered = await _receiver.NextAsync();

        pendingBeforeConfirmation.Should().Be(0);
        confirmed.Should().BeTrue();
        subscription.IsPendingConfirmation.Should().BeFalse();
        delivered.Header(WebhookHeaders.MessageType).Should().Be("Notification");
        delivered.Json().GetProperty("Message").GetString().Should().Be("late");
    }

    [Fact]
    public async Task Confirm_WrongToken_ReturnsFalseAndStaysPending()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic);
        string token = (await _receiver.NextAsync()).Json().GetProperty("Token").GetString()!;

        bool confirmed = subscription.Confirm(new string('0', token.Length));

        confirmed.Should().BeFalse();
        subscription.IsPendingConfirmation.Should().BeTrue();
    }

    [Fact]
    public async Task Confirm_AfterTwoDays_ReturnsFalse()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic);
        string token = (await _receiver.NextAsync()).Json().GetProperty("Token").GetString()!;

        _clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        bool confirmed = subscription.Confirm(token);

        confirmed.Should().BeFalse();
        subscription.IsPendingConfirmation.Should().BeTrue();
    }

    [Fact]
    public async Task SubscribeWebhook_ConfirmationRequestFails_RetriesItPerTheDeliveryPolicy()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        _receiver.Respond = static (request, context) =>
        {
            context.Response.StatusCode = request.Number == 1 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            return Task.CompletedTask;
        };

        Subscribe(topic);
        ReceivedRequest first = await _receiver.NextAsync();
        await Eventually.TrueAsync(
            () => _clock.HasTimerDueWithin(TimeSpan.FromSeconds(20)) && !_clock.HasTimerDueWithin(TimeSpan.FromSeconds(19.9)),
            "the confirmation retry is scheduled 20 seconds out and the request's timeout is gone");
        _clock.Advance(TimeSpan.FromSeconds(20));
        ReceivedRequest second = await _receiver.NextAsync();

        second.Header(WebhookHeaders.WebhookId).Should().Be(first.Header(WebhookHeaders.WebhookId));
        second.Json().GetProperty("Token").GetString().Should().Be(first.Json().GetProperty("Token").GetString());
        (second.Timestamp() - first.Timestamp()).Should().Be(20);
    }

    [Fact]
    public async Task ResendConfirmationAsync_NewToken_ReplacesTheOldOne()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic);
        string first = (await _receiver.NextAsync()).Json().GetProperty("Token").GetString()!;

        await subscription.ResendConfirmationAsync().WaitAsync(TimeSpan.FromSeconds(10));
        string second = (await _receiver.NextAsync()).Json().GetProperty("Token").GetString()!;

        second.Should().NotBe(first);
        subscription.Confirm(first).Should().BeFalse();
        subscription.Confirm(second).Should().BeTrue();
        subscription.Confirm(second).Should().BeTrue("confirming again is harmless");
    }

    [Fact]
    public async Task TryConfirm_ThroughTheConfirmationEndpoint_ConfirmsTheSubscriptionHoldingTheToken()
    {
        var endpoint = new WebhookConfirmationEndpoint(new Uri("https://broker.example/webhooks/confirm?app=coffee"));
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic, o => o.ConfirmationEndpoint = endpoint);
        JsonElement request = (await _receiver.NextAsync()).Json();
        string token = request.GetProperty("Token").GetString()!;

        bool unknown = endpoint.TryConfirm("nope", out _);
        bool confirmed = endpoint.TryConfirm(token, out string? subscriptionId);

        request.GetProperty("SubscribeURL").GetString().Should().Be($"https://broker.example/webhooks/confirm?app=coffee&Token={token}");
        unknown.Should().BeFalse();
        confirmed.Should().BeTrue();
        subscriptionId.Should().Be(subscription.Id);
        subscription.IsPendingConfirmation.Should().BeFalse();
    }

    [Fact]
    public async Task TryConfirm_SubscriptionRemoved_ReturnsFalse()
    {
        var endpoint = new WebhookConfirmationEndpoint(new Uri("https://broker.example/confirm"));
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic, o => o.ConfirmationEndpoint = endpoint);
        string token = (await _receiver.NextAsync()).Json().GetProperty("Token").GetString()!;

        await topic.UnsubscribeAsync(subscription.Id);
        bool confirmed = endpoint.TryConfirm(token, out _);

        confirmed.Should().BeFalse();
    }

    private WebhookSubscription Subscribe(ITopic<string> topic, Action<WebhookSubscriptionOptions>? configure = null)
        => topic.SubscribeWebhook(_receiver.Url, o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
            o.RequireConfirmation = true;
            configure?.Invoke(o);
        });
}
