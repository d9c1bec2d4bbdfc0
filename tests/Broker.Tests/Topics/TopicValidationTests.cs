using System.Text;
using Broker.Messages;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Bad input to topics: each is refused with an exception naming the parameter and the allowed range, and nothing changes.</summary>
public sealed class TopicValidationTests
{
    private readonly ManualTimeProvider _clock = new();

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("slash/name")]
    [InlineData("ümlaut")]
    [InlineData(".fifo")]
    [InlineData("orders.FIFO")]
    public void CreateTopic_InvalidName_ThrowsNamingTheNameAndCreatesNothing(string name)
    {
        using var broker = new MessageBroker(_clock);

        Action create = () => broker.CreateTopic<string>(name);

        create.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
        broker.ListTopics().Should().BeEmpty();
    }

    [Fact]
    public void CreateTopic_NullName_ThrowsArgumentNull()
    {
        using var broker = new MessageBroker(_clock);

        Action create = () => broker.CreateTopic<string>(null!);

        create.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("name");
    }

    [Fact]
    public void CreateTopic_NameOf257Characters_ThrowsWithTheLimit()
    {
        using var broker = new MessageBroker(_clock);

        Action create = () => broker.CreateTopic<string>(new string('a', 257));

        create.Should().Throw<ArgumentException>().WithMessage("*256*").Which.ParamName.Should().Be("name");
        broker.ListTopics().Should().BeEmpty();
    }

    [Theory]
    [InlineData(256, "")]
    [InlineData(251, ".fifo")]
    [InlineData(1, "")]
    [InlineData(1, ".fifo")]
    public void CreateTopic_NameAtTheLimits_IsAccepted(int stemLength, string suffix)
    {
        using var broker = new MessageBroker(_clock);
        string name = new string('a', stemLength - 1) + "Z" + suffix;

        ITopic<string> topic = broker.CreateTopic<string>(name, o => o.ContentBasedDeduplication = suffix.Length > 0);

        topic.Name.Should().Be(name);
    }

    [Fact]
    public void CreateTopic_FifoNameOver256Characters_Throws()
    {
        using var broker = new MessageBroker(_clock);

        Action create = () => broker.CreateTopic<string>(new string('a', 252) + ".fifo");

        create.Should().Throw<ArgumentException>().WithMessage("*256*");
    }

    [Theory]
    [InlineData(1023, false)]
    [InlineData(1024, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public void CreateTopic_MaximumMessageSize_AcceptsFrom1024(int size, bool valid)
    {
        using var broker = new MessageBroker(_clock);

        Action create = () => broker.CreateTopic<string>("t", o => o.MaximumMessageSize = size);

        if (valid)
        {
            create.Should().NotThrow();
        }
        else
        {
            create.Should().Throw<ArgumentException>().WithMessage("*MaximumMessageSize*1024*").Which.ParamName.Should().Be("configure");
            broker.ListTopics().Should().BeEmpty();
        }
    }

    [Fact]
    public void CreateTopic_FifoSettingsOnStandardTopic_ReportsEveryProblemAtOnce()
    {
        using var broker = new MessageBroker(_clock);

        Action create = () => broker.CreateTopic<string>("t", new TopicOptions
        {
            MaximumMessageSize = 10,
            ContentBasedDeduplication = true,
            DeduplicationScope = DeduplicationScope.MessageGroup,
        });

        create.Should().Throw<ArgumentException>()
            .WithMessage("*MaximumMessageSize*")
            .WithMessage("*ContentBasedDeduplication*")
            .WithMessage("*DeduplicationScope*")
            .Which.ParamName.Should().Be("options");
        broker.ListTopics().Should().BeEmpty();
    }

    [Fact]
    public void CreateTopic_UndefinedDeduplicationScope_Throws()
    {
        using var broker = new MessageBroker(_clock);

        Action create = () => broker.CreateTopic<string>("t.fifo", o => o.DeduplicationScope = (DeduplicationScope)42);

        create.Should().Throw<ArgumentException>().WithMessage("*DeduplicationScope*");
    }

    [Fact]
    public async Task CreateTopic_OptionsChangedAfterwards_TopicKeepsItsCopy()
    {
        using var broker = new MessageBroker(_clock);
        var options = new TopicOptions { MaximumMessageSize = 2048 };
        ITopic<string> topic = broker.CreateTopic<string>("t", options);

        options.MaximumMessageSize = 1024;
        Func<Task> publish = async () => await topic.PublishAsync(new string('x', 2000));

        await publish.Should().NotThrowAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    public async Task PublishAsync_SubjectOfAllowedLength_IsDelivered(int length)
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);
        string subject = new('s', length);

        await topic.PublishAsync("body", new PublishOptions { Subject = subject });

        (await recorder.NextAsync()).Single().Subject.Should().Be(subject);
    }

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("tab\there")]
    [InlineData("nul\0char")]
    [InlineData("bell\u0007")]
    [InlineData("next\u0085line")]
    [InlineData("line\u2028separator")]
    [InlineData("paragraph\u2029separator")]
    public async Task PublishAsync_SubjectWithControlCharacterOrEmpty_ThrowsAndDeliversNothing(string subject)
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        Subscription subscription = topic.Subscribe(recorder.Handle);

        Func<Task> publish = async () => await topic.PublishAsync("body", new PublishOptions { Subject = subject });

        (await publish.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("options.Subject");
        subscription.PendingCount.Should().Be(0);
        recorder.Count.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_SubjectOf100Characters_ThrowsWithTheLimit()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Func<Task> publish = async () => await topic.PublishAsync("body", new PublishOptions { Subject = new string('s', 100) });

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*100*99*")).Which.ParamName.Should().Be("options.Subject");
    }

    [Fact]
    public async Task PublishAsync_BodyOfExactlyTheDefaultLimit_IsAccepted()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;

        await topic.PublishAsync(new string('x', 262_144));

        (await queue.ReceiveSingleAsync()).Body.Length.Should().Be(262_144);
    }

    [Fact]
    public async Task PublishAsync_BodyOneByteOverTheDefaultLimit_ThrowsNamingTheBody()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;

        Func<Task> publish = async () => await topic.PublishAsync(new string('x', 262_145));

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*262145*262144*")).Which.ParamName.Should().Be("body");
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_MultiByteCharacters_AreMeasuredInUtf8Bytes()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t", o => o.MaximumMessageSize = 1024);
        string fits = new('é', 512); // 1,024 bytes in UTF-8
        string over = fits + "x";

        Func<Task> publishFits = async () => await topic.PublishAsync(fits);
        Func<Task> publishOver = async () => await topic.PublishAsync(over);

        Encoding.UTF8.GetByteCount(fits).Should().Be(1024);
        await publishFits.Should().NotThrowAsync();
        await publishOver.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task PublishAsync_AttributesCountTowardTheSize_JustInsideAndJustOutside()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t", o => o.MaximumMessageSize = 1024);
        // One String attribute counts its name, its type ("String") and its value.
        int attributeSize = "k".Length + "String".Length + "v".Length;
        string body = new('x', 1024 - attributeSize);

        Func<Task> inside = async () => await topic.PublishAsync(body, TopicTestKit.With(("k", "v")));
        Func<Task> outside = async () => await topic.PublishAsync(body + "x", TopicTestKit.With(("k", "v")));

        await inside.Should().NotThrowAsync();
        (await outside.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("body");
    }

    [Fact]
    public async Task PublishAsync_ElevenAttributes_ThrowsNamingTheAttributes()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var attributes = new Dictionary<string, MessageAttributeValue>();
        for (int i = 0; i < 11; i++)
        {
            attributes[$"a{i}"] = "v";
        }

        Func<Task> publish = async () => await topic.PublishAsync("body", new PublishOptions { Attributes = attributes });

        (await publish.Should().ThrowAsync<ArgumentException>().WithMessage("*10*")).Which.ParamName.Should().Be("options.Attributes");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".leading")]
    [InlineData("trailing.")]
    [InlineData("double..dot")]
    [InlineData("spa ce")]
    public async Task PublishAsync_BadAttributeName_Throws(string name)
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Func<Task> publish = async () => await topic.PublishAsync("body", TopicTestKit.With((name, "v")));

        (await publish.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("options.Attributes");
    }

    [Fact]
    public async Task PublishAsync_NullBody_ThrowsArgumentNull()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Func<Task> publish = async () => await topic.PublishAsync(null!);

        (await publish.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("body");
    }

    [Fact]
    public async Task PublishAsync_GroupIdOnStandardTopic_ThrowsAndDeliversNothing()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        topic.Subscribe(recorder.Handle);

        Func<Task> withGroup = async () => await topic.PublishAsync("body", new PublishOptions { MessageGroupId = "g" });
        Func<Task> withDeduplication = async () => await topic.PublishAsync("body", new PublishOptions { DeduplicationId = "d" });

        (await withGroup.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("options.MessageGroupId");
        (await withDeduplication.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("options.DeduplicationId");
        recorder.Count.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_CancelledToken_ReturnsCancelledTaskAndDeliversNothing()
    {
        using var setup = new TopicWithQueue(_clock);
        (ITopic<string> topic, IMessageQueue<string> queue) = setup;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        ValueTask<PublishResult> publish = topic.PublishAsync("body", cancellationToken: cancelled.Token);

        publish.IsCanceled.Should().BeTrue();
        (await queue.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_InvalidAndCancelled_ReportsTheInvalidInputFirst()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Func<Task> publish = async () => await topic.PublishAsync("body", new PublishOptions { Subject = "" }, cancelled.Token);

        await publish.Should().ThrowAsync<ArgumentException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Subscribe_MaxConcurrencyOutOfRange_ThrowsWithTheRangeAndAddsNothing(int concurrency)
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask, o => o.MaxConcurrency = concurrency);

        subscribe.Should().Throw<ArgumentException>().WithMessage("*MaxConcurrency*1*64*").Which.ParamName.Should().Be("configure");
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public void Subscribe_SeveralBadOptions_ReportsEveryProblemAtOnce()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask, o =>
        {
            o.MaxConcurrency = 0;
            o.FilterPolicy = """{"size": []}""";
            o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 101 };
        });

        subscribe.Should().Throw<ArgumentException>()
            .WithMessage("*MaxConcurrency*")
            .WithMessage("*FilterPolicy*")
            .WithMessage("*NumRetries*100*");
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public void Subscribe_DeadLetterQueueMissing_ThrowsQueueDoesNotExistAndAddsNothing()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask, o => o.DeadLetterQueueName = "missing");

        subscribe.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public void Subscribe_DeadLetterQueueOfWrongBodyType_ThrowsQueueTypeMismatch()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        broker.CreateQueue<string>("plain");

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask, o => o.DeadLetterQueueName = "plain");

        subscribe.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueTypeMismatch);
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public void Subscribe_NullArguments_ThrowArgumentNull()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Action nullQueue = () => topic.Subscribe((IMessageQueue<string>)null!);
        Action nullEnvelopeQueue = () => topic.Subscribe((IMessageQueue<TopicMessage<string>>)null!);
        Action nullHandler = () => topic.Subscribe((Func<TopicMessage<string>, CancellationToken, ValueTask>)null!);
        Action nullSubscriber = () => topic.Subscribe((ITopicSubscriber<string>)null!);

        nullQueue.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("queue");
        nullEnvelopeQueue.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("queue");
        nullHandler.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("handler");
        nullSubscriber.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("subscriber");
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public async Task UnsubscribeAsync_NullId_ThrowsArgumentNull()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");

        Func<Task> unsubscribe = async () => await topic.UnsubscribeAsync(null!);

        (await unsubscribe.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("subscriptionId");
    }
}
