using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class QueueOptionsValidationTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    public static TheoryData<string, Action<QueueOptions>, string> InvalidSettings => new()
    {
        { nameof(QueueOptions.VisibilityTimeout), o => o.VisibilityTimeout = -s_tick, "between 00:00:00 and 12:00:00" },
        { nameof(QueueOptions.VisibilityTimeout), o => o.VisibilityTimeout = TimeSpan.FromHours(12) + s_tick, "between 00:00:00 and 12:00:00" },
        { nameof(QueueOptions.DeliveryDelay), o => o.DeliveryDelay = -s_tick, "between 00:00:00 and 00:15:00" },
        { nameof(QueueOptions.DeliveryDelay), o => o.DeliveryDelay = TimeSpan.FromMinutes(15) + s_tick, "between 00:00:00 and 00:15:00" },
        { nameof(QueueOptions.MessageRetentionPeriod), o => o.MessageRetentionPeriod = TimeSpan.FromMinutes(1) - s_tick, "between 00:01:00 and 14.00:00:00" },
        { nameof(QueueOptions.MessageRetentionPeriod), o => o.MessageRetentionPeriod = TimeSpan.FromDays(14) + s_tick, "between 00:01:00 and 14.00:00:00" },
        { nameof(QueueOptions.ReceiveWaitTime), o => o.ReceiveWaitTime = -s_tick, "between 00:00:00 and 00:00:20" },
        { nameof(QueueOptions.ReceiveWaitTime), o => o.ReceiveWaitTime = TimeSpan.FromSeconds(20) + s_tick, "between 00:00:00 and 00:00:20" },
        { nameof(QueueOptions.MaximumMessageSize), o => o.MaximumMessageSize = 1023, "between 1024 and 2147483647" },
        { nameof(QueueOptions.MaximumMessageSize), o => o.MaximumMessageSize = 0, "between 1024 and 2147483647" },
        { nameof(QueueOptions.Capacity), o => o.Capacity = 0, "at least 1" },
        { nameof(QueueOptions.Capacity), o => o.Capacity = -5, "at least 1" },
        { nameof(QueueOptions.FullMode), o => o.FullMode = (QueueFullMode)42, "Wait or Fail" },
        { "RedrivePolicy.MaxReceiveCount", o => o.DeadLetter("dlq", 0), "between 1 and 1000" },
        { "RedrivePolicy.MaxReceiveCount", o => o.DeadLetter("dlq", 1001), "between 1 and 1000" },
        { "RedrivePolicy.DeadLetterQueueName", o => o.DeadLetter("bad name", 3), "letters, digits" },
        { "RedrivePolicy.DeadLetterQueueName", o => o.RedrivePolicy = new RedrivePolicy(), "empty" },
    };

    public static TheoryData<string, Action<QueueOptions>> BoundarySettings => new()
    {
        { "VisibilityTimeout 0", o => o.VisibilityTimeout = TimeSpan.Zero },
        { "VisibilityTimeout 12h", o => o.VisibilityTimeout = TimeSpan.FromHours(12) },
        { "DeliveryDelay 0", o => o.DeliveryDelay = TimeSpan.Zero },
        { "DeliveryDelay 15min", o => o.DeliveryDelay = TimeSpan.FromMinutes(15) },
        { "MessageRetentionPeriod 1min", o => o.MessageRetentionPeriod = TimeSpan.FromMinutes(1) },
        { "MessageRetentionPeriod 14d", o => o.MessageRetentionPeriod = TimeSpan.FromDays(14) },
        { "ReceiveWaitTime 0", o => o.ReceiveWaitTime = TimeSpan.Zero },
        { "ReceiveWaitTime 20s", o => o.ReceiveWaitTime = TimeSpan.FromSeconds(20) },
        { "MaximumMessageSize 1024", o => o.MaximumMessageSize = 1024 },
        { "MaximumMessageSize max", o => o.MaximumMessageSize = int.MaxValue },
        { "Capacity 1", o => o.Capacity = 1 },
        { "Capacity null", o => o.Capacity = null },
        { "FullMode Fail", o => o.FullMode = QueueFullMode.Fail },
        { "MaxReceiveCount 1", o => o.DeadLetter("dlq", 1) },
        { "MaxReceiveCount 1000", o => o.DeadLetter("dlq", 1000) },
    };

    [Fact]
    public void QueueOptions_Defaults_MatchSqs()
    {
        var options = new QueueOptions();

        options.VisibilityTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.DeliveryDelay.Should().Be(TimeSpan.Zero);
        options.MessageRetentionPeriod.Should().Be(TimeSpan.FromDays(4));
        options.ReceiveWaitTime.Should().Be(TimeSpan.Zero);
        options.MaximumMessageSize.Should().Be(1024 * 1024);
        options.RedrivePolicy.Should().BeNull();
        options.Capacity.Should().BeNull();
        options.FullMode.Should().Be(QueueFullMode.Wait);
    }

    [Fact]
    public void Validate_Defaults_ReportsNoErrors()
    {
        var options = new QueueOptions();

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate("orders", options);

        errors.Should().BeEmpty();
    }

    [Fact]
    public void Validate_Null_ThrowsArgumentNullException()
    {
        Action act = () => QueueOptionsValidator.Validate("orders", null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_OneSettingOutOfRange_ReportsOneErrorNamingTheSettingAndRange(string setting, Action<QueueOptions> configure, string range)
    {
        var options = new QueueOptions();
        configure(options);

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate("orders", options);

        errors.Should().ContainSingle().Which.Should().Contain(setting).And.Contain(range);
    }

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void CreateQueue_OneSettingOutOfRange_ThrowsArgumentExceptionAndCreatesNothing(string setting, Action<QueueOptions> invalidSetting, string range)
    {
        using var broker = new MessageBroker(new ManualTimeProvider());

        Action act = () => broker.CreateQueue<string>("orders", invalidSetting);

        act.Should().Throw<ArgumentException>()
            .WithParameterName("configure")
            .Which.Message.Should().Contain(setting).And.Contain(range);
        broker.ListQueues().Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(BoundarySettings))]
    public void Validate_SettingAtItsLimit_ReportsNoErrors(string description, Action<QueueOptions> configure)
    {
        var options = new QueueOptions();
        configure(options);

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate("orders", options);

        errors.Should().BeEmpty(description);
    }

    [Fact]
    public void Validate_SeveralSettingsOutOfRange_ReportsEveryOne()
    {
        var options = new QueueOptions
        {
            VisibilityTimeout = TimeSpan.FromHours(13),
            DeliveryDelay = TimeSpan.FromHours(1),
            MessageRetentionPeriod = TimeSpan.FromSeconds(1),
            ReceiveWaitTime = TimeSpan.FromMinutes(1),
            MaximumMessageSize = 1,
            Capacity = 0,
        };
        options.DeadLetter("dlq", 0);

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate("orders", options);

        errors.Should().HaveCount(7);
        errors.Should().Contain(e => e.Contains("VisibilityTimeout"))
            .And.Contain(e => e.Contains("DeliveryDelay"))
            .And.Contain(e => e.Contains("MessageRetentionPeriod"))
            .And.Contain(e => e.Contains("ReceiveWaitTime"))
            .And.Contain(e => e.Contains("MaximumMessageSize"))
            .And.Contain(e => e.Contains("Capacity"))
            .And.Contain(e => e.Contains("MaxReceiveCount"));
    }

    [Fact]
    public void CreateQueue_SeveralSettingsOutOfRange_ReportsEveryOneInTheMessage()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());

        Action act = () => broker.CreateQueue<string>("orders", o =>
        {
            o.VisibilityTimeout = TimeSpan.FromHours(13);
            o.MessageRetentionPeriod = TimeSpan.FromDays(15);
            o.Capacity = 0;
        });

        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("VisibilityTimeout").And.Contain("MessageRetentionPeriod").And.Contain("Capacity");
    }

    [Fact]
    public void CreateQueue_InvalidNameAndInvalidOptions_ReportsTheName()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());

        Action act = () => broker.CreateQueue<string>("bad name", o => o.Capacity = 0);

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }

    [Fact]
    public void CreateQueue_InvalidOptionsForExistingName_ThrowsArgumentExceptionAndKeepsTheQueue()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        IMessageQueue<string> existing = broker.CreateQueue<string>("orders");

        Action act = () => broker.CreateQueue<string>("orders", o => o.Capacity = 0);

        act.Should().Throw<ArgumentException>().WithParameterName("configure");
        broker.GetQueue<string>("orders").Should().BeSameAs(existing);
    }

    [Fact]
    public void DeadLetter_AnyPolicy_ReturnsTheSameOptionsForChaining()
    {
        var options = new QueueOptions();

        QueueOptions returned = options.DeadLetter("dlq", 5);

        returned.Should().BeSameAs(options);
        options.RedrivePolicy.Should().BeEquivalentTo(new RedrivePolicy { DeadLetterQueueName = "dlq", MaxReceiveCount = 5 });
    }
}
