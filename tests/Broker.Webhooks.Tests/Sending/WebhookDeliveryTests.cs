using System.Text.Json;
using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;
using Broker.Topics;
using Broker.Webhooks.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Webhooks.Tests.Sending;

public sealed class WebhookDeliveryTests : IAsyncLifetime
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
    public async Task Publish_ToReceiver_PostsSignedEnvelopeTheVerifierAccepts()
    {
        ITopic<Order> topic = _broker.CreateTopic<Order>("orders");
        WebhookSubscription subscription = Subscribe(topic);

        PublishResult published = await topic.PublishAsync(
            new Order("Ana", "flat white"),
            new PublishOptions { Subject = "new order", Attributes = new Dictionary<string, MessageAttributeValue> { ["size"] = "large" } });
        ReceivedRequest request = await _receiver.NextAsync();

        request.VerifyWith(new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.Valid);
        request.Method.Should().Be("POST");
        request.Header("Content-Type").Should().Be("application/json; charset=utf-8");
        request.Header(WebhookHeaders.MessageType).Should().Be("Notification");
        request.Header(WebhookHeaders.MessageId).Should().Be(published.MessageId.ToString());
        request.Header(WebhookHeaders.Topic).Should().Be("orders");
        request.Header(WebhookHeaders.Subscription).Should().Be(subscription.Id);
        request.HeaderOrNull(WebhookHeaders.RawDelivery).Should().BeNull();
        request.Timestamp().Should().Be(_clock.GetUtcNow().ToUnixTimeSeconds());
        JsonElement envelope = request.Json();
        envelope.GetProperty("Type").GetString().Should().Be("Notification");
        envelope.GetProperty("MessageId").GetString().Should().Be(published.MessageId.ToString());
        envelope.GetProperty("Topic").GetString().Should().Be("orders");
        envelope.GetProperty("Subject").GetString().Should().Be("new order");
        envelope.GetProperty("Timestamp").GetString().Should().Be("2026-01-01T08:00:00.000Z");
        envelope.GetProperty("MessageAttributes").GetProperty("size").GetProperty("Type").GetString().Should().Be("String");
        envelope.GetProperty("MessageAttributes").GetProperty("size").GetProperty("Value").GetString().Should().Be("large");
        JsonSerializer.Deserialize<Order>(envelope.GetProperty("Message").GetString()!).Should().Be(new Order("Ana", "flat white"));
        await Eventually.TrueAsync(() => subscription.Subscription.DeliveredCount == 1, "the delivery is counted");
    }

    [Fact]
    public async Task Publish_RawDelivery_PostsTheBodyAsPublished()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("notes");
        Subscribe(topic, o => o.RawMessageDelivery = true);

        await topic.PublishAsync("héllo, world", new PublishOptions { Attributes = new Dictionary<string, MessageAttributeValue> { ["a"] = "b" } });
        ReceivedRequest request = await _receiver.NextAsync();

        request.BodyText.Should().Be("héllo, world");
        request.Header("Content-Type").Should().Be("text/plain; charset=utf-8");
        request.Header(WebhookHeaders.RawDelivery).Should().Be("true");
        request.VerifyWith(new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public async Task Publish_RawBytes_PostsTheBytes()
    {
        ITopic<byte[]> topic = _broker.CreateTopic<byte[]>("blobs");
        Subscribe(topic, o => o.RawMessageDelivery = true);

        await topic.PublishAsync([1, 2, 3, 0, 255]);
        ReceivedRequest request = await _receiver.NextAsync();

        request.Body.Should().Equal(1, 2, 3, 0, 255);
        request.Header("Content-Type").Should().Be("application/octet-stream");
    }

    [Fact]
    public async Task Publish_BrokerWithSourceGeneratedJson_SerializesTheBodyWithTheBrokersOptions()
    {
        await using var broker = new MessageBroker(new BrokerOptions { TimeProvider = _clock, JsonSerializerOptions = TestJsonContext.Default.Options });
        ITopic<Order> topic = broker.CreateTopic<Order>("orders");
        Subscribe(topic, o => o.RawMessageDelivery = true);

        await topic.PublishAsync(new Order("Ana", "latte"));
        ReceivedRequest request = await _receiver.NextAsync();

        request.BodyText.Should().Be("""{"customer":"Ana","drink":"latte"}""");
        request.Header("Content-Type").Should().Be("application/json; charset=utf-8");
    }

    [Fact]
    public async Task Publish_FifoTopic_EnvelopeCarriesGroupAndSequenceNumber()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("orders.fifo");
        Subscribe(topic);

        PublishResult published = await topic.PublishAsync("x", new PublishOptions { MessageGroupId = "table-4", DeduplicationId = "d1" });
        ReceivedRequest request = await _receiver.NextAsync();

        JsonElement envelope = request.Json();
        envelope.GetProperty("MessageGroupId").GetString().Should().Be("table-4");
        envelope.GetProperty("MessageDeduplicationId").GetString().Should().Be("d1");
        envelope.GetProperty("SequenceNumber").GetString().Should().Be(published.SequenceNumber);
        request.Header(WebhookHeaders.WebhookId).Should().NotContain(".");
    }

    [Fact]
    public async Task Publish_ServerFailsTwiceThenRecovers_DeliversOnTheThirdAttemptAfterTheDefaultDelays()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        _receiver.Respond = (request, context) =>
        {
            context.Response.StatusCode = request.Number <= 2 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            return Task.CompletedTask;
        };
        WebhookSubscription subscription = Subscribe(topic);

        await topic.PublishAsync("x");
        ReceivedRequest first = await _receiver.NextAsync();
        await WaitForRetryTimer(subscription, failures: 1, TimeSpan.FromSeconds(20));
        _clock.Advance(TimeSpan.FromSeconds(20));
        ReceivedRequest second = await _receiver.NextAsync();
        await WaitForRetryTimer(subscription, failures: 2, TimeSpan.FromSeconds(20));
        _clock.Advance(TimeSpan.FromSeconds(20));
        ReceivedRequest third = await _receiver.NextAsync();
        await Eventually.TrueAsync(() => subscription.Subscription.DeliveredCount == 1, "the third attempt is counted as delivered");

        second.Header(WebhookHeaders.WebhookId).Should().Be(first.Header(WebhookHeaders.WebhookId));
        third.Header(WebhookHeaders.WebhookId).Should().Be(first.Header(WebhookHeaders.WebhookId));
        third.Header(WebhookHeaders.MessageId).Should().Be(first.Header(WebhookHeaders.MessageId));
        (second.Timestamp() - first.Timestamp()).Should().Be(20);
        (third.Timestamp() - first.Timestamp()).Should().Be(40);
        subscription.Subscription.FailedAttemptCount.Should().Be(2);
    }

    [Fact]
    public async Task Publish_Server404_DeadLettersAtOnceWithTheStatus()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = _broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        _receiver.Respond = static (_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        };
        Subscribe(topic, o => o.Subscription.DeadLetterQueueName = "t-dlq");

        await topic.PublishAsync("x");
        FailedDelivery<string> failed = await ReceiveOneAsync(dlq);

        failed.Reason.Should().Be("HTTP 404 Not Found");
        failed.Attempts.Should().Be(1);
        failed.Protocol.Should().Be("http");
        failed.Endpoint.Should().Be(_receiver.Url.ToString());
        _receiver.Count.Should().Be(1);
    }

    [Fact]
    public async Task Publish_ServerRedirects_DoesNotFollowAndDeadLetters()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = _broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        _receiver.Respond = (_, context) =>
        {
            context.Response.Redirect(new Uri(_receiver.BaseUrl, "elsewhere").ToString());
            return Task.CompletedTask;
        };
        Subscribe(topic, o => o.Subscription.DeadLetterQueueName = "t-dlq");

        await topic.PublishAsync("x");
        FailedDelivery<string> failed = await ReceiveOneAsync(dlq);

        failed.Reason.Should().Be("HTTP 302 Found");
        _receiver.Count.Should().Be(1);
    }

    [Fact]
    public async Task Publish_Server429WithRetryAfter_RetriesAfterTheRequestedDelay()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        _receiver.Respond = static (request, context) =>
        {
            if (request.Number == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "7";
            }

            return Task.CompletedTask;
        };
        WebhookSubscription subscription = Subscribe(topic);

        await topic.PublishAsync("x");
        ReceivedRequest first = await _receiver.NextAsync();
        await WaitForRetryTimer(subscription, failures: 1, TimeSpan.FromSeconds(7));
        _clock.Advance(TimeSpan.FromSeconds(7));
        ReceivedRequest second = await _receiver.NextAsync();
        await Eventually.TrueAsync(() => subscription.Subscription.DeliveredCount == 1, "the retry is counted as delivered");

        (second.Timestamp() - first.Timestamp()).Should().Be(7);
    }

    [Fact]
    public async Task Publish_ExponentialPolicy_WaitsEachBackoffDelayThenDeadLetters()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = _broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        _receiver.Respond = static (_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        };
        WebhookSubscription subscription = Subscribe(topic, o =>
        {
            o.Subscription.DeadLetterQueueName = "t-dlq";
            o.Subscription.DeliveryPolicy = new DeliveryPolicy
            {
                NumRetries = 3,
                MinDelay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(8),
                BackoffFunction = BackoffFunction.Exponential,
            };
        });

        await topic.PublishAsync("x");
        var timestamps = new List<long> { (await _receiver.NextAsync()).Timestamp() };
        foreach (int delay in new[] { 2, 4, 8 })
        {
            await WaitForRetryTimer(subscription, failures: timestamps.Count, TimeSpan.FromSeconds(delay));
            _clock.Advance(TimeSpan.FromSeconds(delay));
            timestamps.Add((await _receiver.NextAsync()).Timestamp());
        }

        FailedDelivery<string> failed = await ReceiveOneAsync(dlq);

        timestamps.Zip(timestamps.Skip(1), (a, b) => b - a).Should().Equal(2, 4, 8);
        failed.Attempts.Should().Be(4);
        failed.Reason.Should().Be("HTTP 500 Internal Server Error");
    }

    [Fact]
    public async Task Publish_RetriesExhausted_DeadLettersWithTheLastReason()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = _broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        _receiver.Respond = static (_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return Task.CompletedTask;
        };
        WebhookSubscription subscription = Subscribe(topic, o =>
        {
            o.Subscription.DeadLetterQueueName = "t-dlq";
            o.Subscription.DeliveryPolicy = new DeliveryPolicy { NumRetries = 2, NumNoDelayRetries = 2 };
        });

        PublishResult published = await topic.PublishAsync("x");
        FailedDelivery<string> failed = await ReceiveOneAsync(dlq);

        failed.Attempts.Should().Be(3);
        failed.Reason.Should().Be("HTTP 502 Bad Gateway");
        failed.Message.MessageId.Should().Be(published.MessageId);
        failed.SubscriptionId.Should().Be(subscription.Id);
        _receiver.Count.Should().Be(3);
        subscription.Subscription.DeadLetteredCount.Should().Be(1);
    }

    [Fact]
    public async Task Publish_ServerNeverAnswers_TimesOutAndDeadLetters()
    {
        await using var broker = new MessageBroker(TimeProvider.System);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiver.Respond = (_, _) => never.Task.WaitAsync(_receiver.Stopping);
        Subscribe(topic, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.Subscription.DeadLetterQueueName = "t-dlq";
            o.Subscription.DeliveryPolicy = new DeliveryPolicy { NumRetries = 0 };
        });

        await topic.PublishAsync("x");
        FailedDelivery<string> failed = await ReceiveOneAsync(dlq);

        failed.Reason.Should().Be("Timed out: no response within 200 ms.");
        failed.Attempts.Should().Be(1);
        _receiver.Count.Should().Be(1);
    }

    [Fact]
    public async Task Publish_ConnectionRefused_RetriesThenDeadLetters()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = _broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        var closed = new Uri($"http://127.0.0.1:{WebhookReceiver.FreePort()}/hook");
        WebhookSubscription subscription = topic.SubscribeWebhook(closed, o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
            o.Subscription.DeadLetterQueueName = "t-dlq";
            o.Subscription.DeliveryPolicy = new DeliveryPolicy { NumRetries = 2, NumNoDelayRetries = 2 };
        });

        await topic.PublishAsync("x");
        FailedDelivery<string> failed = await ReceiveOneAsync(dlq);

        failed.Attempts.Should().Be(3);
        failed.Reason.Should().StartWith("Connection failed (ConnectionError)");
        subscription.Subscription.FailedAttemptCount.Should().Be(3);
    }

    [Fact]
    public async Task Publish_MaxReceivesPerSecond_SpacesRequestsOneSecondApart()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic, o => o.Subscription.DeliveryPolicy = new DeliveryPolicy { MaxReceivesPerSecond = 1 });

        for (int i = 0; i < 3; i++)
        {
            await topic.PublishAsync($"m{i}");
        }

        var received = new List<ReceivedRequest> { await _receiver.NextAsync() };
        for (int i = 1; i < 3; i++)
        {
            await Eventually.TrueAsync(() => _clock.HasTimerDueWithin(TimeSpan.FromSeconds(1)), "the throttle waits for the next slot");
            _receiver.Count.Should().Be(i, "the next message must wait for its slot");
            _clock.Advance(TimeSpan.FromSeconds(1));
            received.Add(await _receiver.NextAsync());
        }

        await Eventually.TrueAsync(() => subscription.Subscription.DeliveredCount == 3, "all three are delivered");

        received.Select(r => r.Timestamp() - received[0].Timestamp()).Should().Equal(0, 1, 2);
        received.Select(r => r.Json().GetProperty("Message").GetString()).Should().Equal("m0", "m1", "m2");
    }

    [Fact]
    public async Task Publish_TwoSecrets_SignsWithBothSoEitherVerifies()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        Subscribe(topic, o => o.Secrets.Add(TestSecrets.B));

        await topic.PublishAsync("x");
        ReceivedRequest request = await _receiver.NextAsync();

        request.Header(WebhookHeaders.WebhookSignature).Split(' ').Should().HaveCount(2).And.OnlyContain(s => s.StartsWith("v1,"));
        request.VerifyWith(new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.Valid);
        request.VerifyWith(new WebhookVerifier(TestSecrets.B, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.Valid);
        request.VerifyWith(new WebhookVerifier(TestSecrets.C, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.InvalidSignature);
    }

    [Fact]
    public async Task SetSecrets_OnALiveSubscription_SignsTheNextRequestWithTheNewSecret()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic);

        subscription.SetSecrets([TestSecrets.C]);
        await topic.PublishAsync("x");
        ReceivedRequest request = await _receiver.NextAsync();

        request.VerifyWith(new WebhookVerifier(TestSecrets.C, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.Valid);
        request.VerifyWith(new WebhookVerifier(TestSecrets.A, new WebhookVerifierOptions { TimeProvider = _clock })).Should().Be(WebhookVerificationResult.InvalidSignature);
    }

    [Fact]
    public async Task Publish_ThroughHttpClientFactory_UsesTheNamedClient()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        var factory = new RecordingFactory();
        topic.SubscribeWebhook(_receiver.Url, factory, o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
        });

        await topic.PublishAsync("x");
        await _receiver.NextAsync();

        factory.Names.Should().Equal(WebhookHttpHandler.HttpClientName);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddWebhookHttpClient_FactoryClient_ChecksAddressesAtConnect(bool allowLoopback)
    {
        var services = new ServiceCollection();
        services.AddWebhookHttpClient(s => s.AllowLoopback = allowLoopback);
        await using ServiceProvider provider = services.BuildServiceProvider();
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = _broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        WebhookSubscription subscription = topic.SubscribeWebhook(_receiver.Url, provider.GetRequiredService<IHttpClientFactory>(), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
            o.Subscription.DeadLetterQueueName = "t-dlq";
        });

        await topic.PublishAsync("x");

        if (allowLoopback)
        {
            (await _receiver.NextAsync()).Json().GetProperty("Message").GetString().Should().Be("x");
        }
        else
        {
            (await ReceiveOneAsync(dlq)).Reason.Should().StartWith("Refused: 127.0.0.1 is a loopback address");
            _receiver.Count.Should().Be(0);
        }
    }

    [Fact]
    public void SubscribeWebhook_BodyTypeUnknownToTheBrokersJsonContext_Throws()
    {
        using var broker = new MessageBroker(new BrokerOptions { TimeProvider = _clock, JsonSerializerOptions = TestJsonContext.Default.Options });
        ITopic<Uri> topic = broker.CreateTopic<Uri>("links");

        Action subscribe = () => Subscribe(topic);

        subscribe.Should().Throw<NotSupportedException>();
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public async Task DisposeAsync_WebhookSubscription_Unsubscribes()
    {
        ITopic<string> topic = _broker.CreateTopic<string>("t");
        WebhookSubscription subscription = Subscribe(topic);

        await subscription.DisposeAsync();

        topic.ListSubscriptions().Should().BeEmpty();
        subscription.Subscription.IsRemoved.Should().BeTrue();
    }

    private WebhookSubscription Subscribe<T>(ITopic<T> topic, Action<WebhookSubscriptionOptions>? configure = null)
        => topic.SubscribeWebhook(_receiver.Url, o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
            configure?.Invoke(o);
        });

    /// <summary>Waits until the failure is counted and the retry's delay, exactly <paramref name="delay"/>, is scheduled.</summary>
    private async Task WaitForRetryTimer(WebhookSubscription subscription, int failures, TimeSpan delay)
    {
        await Eventually.TrueAsync(
            () => subscription.Subscription.FailedAttemptCount == failures && _clock.HasTimerDueWithin(delay),
            $"failure {failures} is counted and its retry scheduled");
        _clock.HasTimerDueWithin(delay - TimeSpan.FromMilliseconds(1)).Should().BeFalse($"the retry after failure {failures} waits exactly {delay}");
    }

    private static async Task<T> ReceiveOneAsync<T>(IMessageQueue<T> queue)
    {
        IReadOnlyList<ReceivedMessage<T>> messages = await queue.ReceiveAsync(1, waitTime: TimeSpan.FromSeconds(20)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        messages.Should().ContainSingle();
        return messages[0].Body;
    }

    private sealed class RecordingFactory : IHttpClientFactory
    {
        private readonly HttpClient _client = new(WebhookHttpHandler.Create(new WebhookSecurityOptions { AllowLoopback = true }));

        public List<string> Names { get; } = [];

        public HttpClient CreateClient(string name)
        {
            lock (Names)
            {
                Names.Add(name);
            }

            return _client;
        }
    }
}
