using Broker.Queues;
using Broker.Tests.Support;
using Broker.Topics;
using Broker.Webhooks.Tests.Support;

namespace Broker.Webhooks.Tests.Security;

public sealed class WebhookSecurityTests
{
    [Theory]
    [InlineData("ftp://example.com/hook", "scheme 'ftp'")]
    [InlineData("file:///etc/passwd", "scheme 'file'")]
    [InlineData("http://user:secret@example.com/hook", "credentials")]
    [InlineData("http://127.0.0.1/hook", "loopback")]
    [InlineData("http://127.1.2.3:8080/hook", "loopback")]
    [InlineData("http://2130706433/hook", "loopback")]
    [InlineData("http://localhost:8080/hook", "loopback name")]
    [InlineData("http://api.localhost/hook", "loopback name")]
    [InlineData("http://[::1]/hook", "loopback")]
    [InlineData("http://0.0.0.0/hook", "loopback")]
    [InlineData("http://10.1.2.3/hook", "private")]
    [InlineData("http://172.20.0.5/hook", "private")]
    [InlineData("http://192.168.1.10/hook", "private")]
    [InlineData("http://100.64.0.1/hook", "private")]
    [InlineData("http://169.254.169.254/latest/meta-data", "private")]
    [InlineData("http://[fd00::1]/hook", "private")]
    [InlineData("http://[fe80::1]/hook", "private")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "private")]
    [InlineData("http://[64:ff9b::7f00:1]/hook", "loopback")]
    [InlineData("http://224.0.0.1/hook", "multicast")]
    [InlineData("http://255.255.255.255/hook", "broadcast")]
    public void SubscribeWebhook_RefusedUrl_ThrowsAndSubscribesNothing(string url, string reason)
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.SubscribeWebhook(new Uri(url), o => o.Secrets.Add(TestSecrets.A));

        subscribe.Should().Throw<ArgumentException>().Where(e => e.ParamName == "url" && e.Message.Contains(reason, StringComparison.Ordinal));
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public void SubscribeWebhook_CredentialsInUrl_DoNotAppearInTheError()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.SubscribeWebhook(new Uri("https://user:hunter2@example.com/hook"), o => o.Secrets.Add(TestSecrets.A));

        subscribe.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public void SubscribeWebhook_RequireHttps_RefusesHttp()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.SubscribeWebhook(new Uri("http://10.0.0.1/hook"), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowPrivateNetworks = true;
            o.Security.RequireHttps = true;
        });

        subscribe.Should().Throw<ArgumentException>().WithMessage("*only https*");
    }

    [Theory]
    [InlineData("https://hooks.example.com/x", true)]
    [InlineData("https://deep.hooks.example.com/x", true)]
    [InlineData("https://example.com/x", false)]
    [InlineData("https://evil-example.com/x", false)]
    [InlineData("https://partner.test/x", true)]
    [InlineData("https://other.test/x", false)]
    public void SubscribeWebhook_AllowedHosts_AcceptsOnlyListedHosts(string url, bool allowed)
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.SubscribeWebhook(new Uri(url), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowedHosts.Add("*.example.com");
            o.Security.AllowedHosts.Add("PARTNER.test");
            o.Security.AllowLoopback = true; // no DNS lookup in this test
            o.Security.AllowPrivateNetworks = true;
        });

        if (allowed)
        {
            subscribe.Should().NotThrow();
        }
        else
        {
            subscribe.Should().Throw<ArgumentException>().WithMessage("*not in the allowed hosts*");
        }
    }

    [Fact]
    public void SubscribeWebhook_InvalidOptions_ListsEveryProblemWithoutQuotingSecrets()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");
        const string malformed = "whsec_bm90LWxvbmctZW5vdWdo";

        Action subscribe = () => topic.SubscribeWebhook(new Uri("https://example.com/hook"), o =>
        {
            o.Secrets.Add(malformed);
            o.Secrets.Add("not-a-secret-at-all");
            o.Timeout = TimeSpan.Zero;
            o.ConfirmationEndpoint = new WebhookConfirmationEndpoint(new Uri("https://broker.example/confirm"));
        });

        ArgumentException error = subscribe.Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("configure");
        error.Message.Should().Contain("Secrets[0]").And.Contain("Secrets[1]").And.Contain("Timeout").And.Contain("RequireConfirmation");
        error.Message.Should().NotContain("bm90LWxvbmctZW5vdWdo").And.NotContain("not-a-secret-at-all");
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(300_000, true)]
    [InlineData(300_001, false)]
    public void SubscribeWebhook_Timeout_MustBeBetween10MillisecondsAnd5Minutes(int milliseconds, bool valid)
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.SubscribeWebhook(new Uri("http://127.0.0.1:9/hook"), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
            o.Timeout = TimeSpan.FromMilliseconds(milliseconds);
        });

        if (valid)
        {
            subscribe.Should().NotThrow();
        }
        else
        {
            subscribe.Should().Throw<ArgumentException>().WithMessage("*Timeout*");
        }
    }

    [Fact]
    public void SubscribeWebhook_NoSecret_Throws()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.SubscribeWebhook(new Uri("https://example.com/hook"));

        subscribe.Should().Throw<ArgumentException>().WithMessage("*at least one secret*");
    }

    [Fact]
    public void SubscribeWebhook_PolicyWaitingOverAnHour_Throws()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.SubscribeWebhook(new Uri("https://example.com/hook"), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Subscription.DeliveryPolicy = new DeliveryPolicy { NumRetries = 5, MinDelay = TimeSpan.FromMinutes(15), MaxDelay = TimeSpan.FromMinutes(15) };
        });

        subscribe.Should().Throw<ArgumentException>().WithMessage("*at most 01:00:00*");
    }

    [Fact]
    public async Task Publish_AddressRefusedAtConnectTime_DeadLettersWithoutRetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("t-dlq");
        using var strict = new HttpClient(WebhookHttpHandler.Create(new WebhookSecurityOptions()));
        topic.SubscribeWebhook(receiver.Url, strict, o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true; // passes the subscribe-time check; the handler still refuses
            o.Subscription.DeadLetterQueueName = "t-dlq";
        });

        await topic.PublishAsync("x");
        var failed = await dlq.ReceiveAsync(1, waitTime: TimeSpan.FromSeconds(20)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        failed.Should().ContainSingle().Which.Body.Reason.Should().StartWith("Refused: 127.0.0.1 is a loopback address");
        failed[0].Body.Attempts.Should().Be(1);
        receiver.Count.Should().Be(0);
    }

    [Fact]
    public async Task CheckHostAsync_NameResolvingToLoopback_IsRefused()
    {
        string? refused = await AddressGuard.CheckHostAsync("localhost", allowLoopback: false, allowPrivateNetworks: false).WaitAsync(TimeSpan.FromSeconds(10));
        string? allowed = await AddressGuard.CheckHostAsync("localhost", allowLoopback: true, allowPrivateNetworks: false).WaitAsync(TimeSpan.FromSeconds(10));

        refused.Should().Contain("loopback");
        allowed.Should().BeNull();
    }

    [Fact]
    public void Endpoint_UrlWithQuery_HidesTheQuery()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("t");

        WebhookSubscription subscription = topic.SubscribeWebhook(new Uri("http://127.0.0.1:9/hook?key=s3cr3t"), o =>
        {
            o.Secrets.Add(TestSecrets.A);
            o.Security.AllowLoopback = true;
        });

        subscription.Subscription.Endpoint.Should().Be("http://127.0.0.1:9/hook?***");
        subscription.Subscription.Protocol.Should().Be("http");
    }
}
