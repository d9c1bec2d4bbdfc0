using Broker.Tests.Support;
using Broker.Topics;
using Broker.Webhooks.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.Webhooks.Tests.Logging;

public sealed class WebhookLoggingTests
{
    [Fact]
    public async Task Logger_FailedDeliveryAndConfirmation_LogsNoSecretTokenSignatureOrQuery()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = static (request, context) =>
        {
            context.Response.StatusCode = request.Number == 2 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            return Task.CompletedTask;
        };
        var clock = new ManualTimeProvider();
        await using var broker = new MessageBroker(clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var logger = new CapturingLogger();
        WebhookSubscription subscription = topic.SubscribeWebhook(new Uri(receiver.Url + "?key=s3cr3t-query"), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
            o.RequireConfirmation = true;
            o.Logger = logger;
            o.Subscription.DeliveryPolicy = new DeliveryPolicy { NumRetries = 0 };
        });
        ReceivedRequest confirmation = await receiver.NextAsync();
        string token = confirmation.Json().GetProperty("Token").GetString()!;
        subscription.Confirm(token).Should().BeTrue();

        await topic.PublishAsync("x");
        ReceivedRequest notification = await receiver.NextAsync();
        await Eventually.TrueAsync(() => subscription.Subscription.DroppedCount == 1, "the failed message is dropped");
        await Eventually.TrueAsync(() => logger.Messages.Any(m => m.Contains("sent its confirmation request")), "the confirmation is logged");

        string log = string.Join("\n", logger.Messages);
        log.Should().Contain("HTTP 500").And.Contain("is confirmed").And.Contain("sent its confirmation request");
        log.Should().NotContain("s3cr3t-query").And.NotContain(TestSecrets.A["whsec_".Length..]).And.NotContain(token)
            .And.NotContain(notification.Header(WebhookHeaders.WebhookSignature)["v1,".Length..]);
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add(formatter(state, exception));
            }
        }
    }
}
