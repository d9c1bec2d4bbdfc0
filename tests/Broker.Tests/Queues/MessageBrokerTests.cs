using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Queues;

public sealed class MessageBrokerTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Constructor_WithoutTimeProvider_UsesSystemClock()
    {
        using var broker = new MessageBroker();

        broker.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void Constructor_WithTimeProvider_UsesIt()
    {
        using var broker = new MessageBroker(_clock);

        broker.TimeProvider.Should().BeSameAs(_clock);
    }

    [Fact]
    public void CreateQueue_ValidName_ReturnsQueueWithThatNameAndBodyType()
    {
        using var broker = new MessageBroker(_clock);

        IMessageQueue<CoffeeOrder> queue = broker.CreateQueue<CoffeeOrder>("orders");

        queue.Name.Should().Be("orders");
        queue.BodyType.Should().Be<CoffeeOrder>();
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Orders-2026_v1")]
    [InlineData("0")]
    [InlineData("-_-")]
    public void CreateQueue_NameOfAllowedCharacters_IsAccepted(string queueName)
    {
        using var broker = new MessageBroker(_clock);

        IMessageQueue<string> queue = broker.CreateQueue<string>(queueName);

        queue.Name.Should().Be(queueName);
    }

    [Fact]
    public void CreateQueue_NameOf80Characters_IsAccepted()
    {
        using var broker = new MessageBroker(_clock);
        string queueName = new('q', 80);

        IMessageQueue<string> queue = broker.CreateQueue<string>(queueName);

        queue.Name.Should().Be(queueName);
    }

    [Fact]
    public void CreateQueue_NameOf81Characters_ThrowsArgumentExceptionAndCreatesNothing()
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.CreateQueue<string>(new string('q', 81));

        act.Should().Throw<ArgumentException>().WithParameterName("name");
        broker.ListQueues().Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("orders.txt")]
    [InlineData("caf\u00e9")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("tab\t")]
    public void CreateQueue_NameWithDisallowedCharacters_ThrowsArgumentExceptionAndCreatesNothing(string queueName)
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.CreateQueue<string>(queueName);

        act.Should().Throw<ArgumentException>().WithParameterName("name");
        broker.ListQueues().Should().BeEmpty();
    }

    [Fact]
    public void CreateQueue_NullName_ThrowsArgumentNullException()
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.CreateQueue<string>(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("name");
    }

    [Fact]
    public void CreateQueue_SameNameAndDefaultSettings_ReturnsTheSameQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> first = broker.CreateQueue<string>("orders");

        IMessageQueue<string> second = broker.CreateQueue<string>("orders");

        second.Should().BeSameAs(first);
        broker.ListQueues().Should().ContainSingle();
    }

    [Fact]
    public void CreateQueue_SameNameAndSameExplicitSettings_ReturnsTheSameQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> first = broker.CreateQueue<string>("orders", Configure);

        IMessageQueue<string> second = broker.CreateQueue<string>("orders", Configure);

        second.Should().BeSameAs(first);

        static void Configure(QueueOptions o)
        {
            o.VisibilityTimeout = TimeSpan.FromMinutes(2);
            o.DeliveryDelay = TimeSpan.FromSeconds(5);
            o.Capacity = 10;
            o.FullMode = QueueFullMode.Fail;
        }
    }

    [Fact]
    public void CreateQueue_SameNameWithDefaultsSpelledOut_ReturnsTheSameQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> first = broker.CreateQueue<string>("orders");

        IMessageQueue<string> second = broker.CreateQueue<string>("orders", o => o.VisibilityTimeout = TimeSpan.FromSeconds(30));

        second.Should().BeSameAs(first);
    }

    [Fact]
    public async Task CreateQueue_SameNameWithOtherSettings_ThrowsQueueNameExistsAndKeepsTheQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> existing = broker.CreateQueue<string>("orders");

        Action act = () => broker.CreateQueue<string>("orders", o => o.VisibilityTimeout = TimeSpan.FromMinutes(1));

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueNameExists);
        broker.GetQueue<string>("orders").Should().BeSameAs(existing);
        (await existing.GetAttributesAsync()).Options.VisibilityTimeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(nameof(QueueOptions.DeliveryDelay))]
    [InlineData(nameof(QueueOptions.MessageRetentionPeriod))]
    [InlineData(nameof(QueueOptions.ReceiveWaitTime))]
    [InlineData(nameof(QueueOptions.MaximumMessageSize))]
    [InlineData(nameof(QueueOptions.Capacity))]
    [InlineData(nameof(QueueOptions.FullMode))]
    [InlineData(nameof(QueueOptions.RedrivePolicy))]
    public void CreateQueue_SameNameWithOneSettingChanged_ThrowsQueueNameExists(string setting)
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("dlq");
        broker.CreateQueue<string>("orders");

        Action act = () => broker.CreateQueue<string>("orders", o =>
        {
            switch (setting)
            {
                case nameof(QueueOptions.DeliveryDelay): o.DeliveryDelay = TimeSpan.FromSeconds(1); break;
                case nameof(QueueOptions.MessageRetentionPeriod): o.MessageRetentionPeriod = TimeSpan.FromDays(1); break;
                case nameof(QueueOptions.ReceiveWaitTime): o.ReceiveWaitTime = TimeSpan.FromSeconds(1); break;
                case nameof(QueueOptions.MaximumMessageSize): o.MaximumMessageSize = 2048; break;
                case nameof(QueueOptions.Capacity): o.Capacity = 5; break;
                case nameof(QueueOptions.FullMode): o.FullMode = QueueFullMode.Fail; break;
                default: o.DeadLetter("dlq"); break;
            }
        });

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueNameExists);
    }

    [Fact]
    public void CreateQueue_SameNameWithOtherBodyType_ThrowsQueueNameExists()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");

        Action act = () => broker.CreateQueue<CoffeeOrder>("orders");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueNameExists);
        broker.GetQueue<string>("orders").BodyType.Should().Be<string>();
    }

    [Fact]
    public void CreateQueue_NamesDifferingOnlyInCase_CreatesTwoQueues()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> lower = broker.CreateQueue<string>("orders");

        IMessageQueue<string> upper = broker.CreateQueue<string>("Orders");

        upper.Should().NotBeSameAs(lower);
        broker.ListQueues().Should().HaveCount(2);
    }

    [Fact]
    public async Task CreateQueue_OptionsChangedAfterCreation_DoNotAffectTheQueue()
    {
        using var broker = new MessageBroker(_clock);
        QueueOptions? captured = null;
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders", o => captured = o);

        captured!.VisibilityTimeout = TimeSpan.FromHours(1);
        await queue.SendAsync("latte");
        await queue.ReceiveSingleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task GetAttributesAsync_OptionsChangedOnTheSnapshot_DoNotAffectTheQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        QueueAttributes snapshot = await queue.GetAttributesAsync();

        snapshot.Options.VisibilityTimeout = TimeSpan.FromHours(1);

        (await queue.GetAttributesAsync()).Options.VisibilityTimeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task GetAttributesAsync_NewQueue_ReportsNameCreationTimeAndNoMessages()
    {
        using var broker = new MessageBroker(_clock);
        DateTimeOffset createdAt = _clock.GetUtcNow();
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        _clock.Advance(TimeSpan.FromMinutes(1));

        QueueAttributes attributes = await queue.GetAttributesAsync();

        attributes.Name.Should().Be("orders");
        attributes.CreatedTimestamp.Should().Be(createdAt);
        attributes.ApproximateNumberOfMessages.Should().Be(0);
        attributes.ApproximateNumberOfMessagesNotVisible.Should().Be(0);
        attributes.ApproximateNumberOfMessagesDelayed.Should().Be(0);
    }

    [Fact]
    public void GetQueue_ExistingQueue_ReturnsTheSameInstance()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> created = broker.CreateQueue<string>("orders");

        IMessageQueue<string> found = broker.GetQueue<string>("orders");

        found.Should().BeSameAs(created);
    }

    [Fact]
    public void GetQueue_MissingQueue_ThrowsQueueDoesNotExist()
    {
        using var broker = new MessageBroker(_clock);

        Action act = () => broker.GetQueue<string>("orders");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public void GetQueue_WrongBodyType_ThrowsQueueTypeMismatch()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");

        Action act = () => broker.GetQueue<CoffeeOrder>("orders");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueTypeMismatch);
    }

    [Fact]
    public void GetQueue_NameInOtherCase_ThrowsQueueDoesNotExist()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");

        Action act = () => broker.GetQueue<string>("ORDERS");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public void TryGetQueue_ExistingQueue_ReturnsTrueAndTheQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> created = broker.CreateQueue<string>("orders");

        bool found = broker.TryGetQueue("orders", out IMessageQueue<string>? queue);

        found.Should().BeTrue();
        queue.Should().BeSameAs(created);
    }

    [Fact]
    public void TryGetQueue_MissingQueue_ReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);

        bool found = broker.TryGetQueue("orders", out IMessageQueue<string>? queue);

        found.Should().BeFalse();
        queue.Should().BeNull();
    }

    [Fact]
    public void TryGetQueue_WrongBodyType_ReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");

        bool found = broker.TryGetQueue("orders", out IMessageQueue<CoffeeOrder>? queue);

        found.Should().BeFalse();
        queue.Should().BeNull();
    }

    [Fact]
    public void ListQueues_NoQueues_ReturnsEmpty()
    {
        using var broker = new MessageBroker(_clock);

        IReadOnlyList<IMessageQueue> queues = broker.ListQueues();

        queues.Should().BeEmpty();
    }

    [Fact]
    public void ListQueues_SeveralQueues_ReturnsThemInOrdinalNameOrder()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");
        broker.CreateQueue<CoffeeOrder>("Billing");
        broker.CreateQueue<string>("audit");
        broker.CreateQueue<int>("orders-dlq");

        IReadOnlyList<IMessageQueue> queues = broker.ListQueues();

        queues.Select(q => q.Name).Should().Equal("Billing", "audit", "orders", "orders-dlq");
    }

    [Fact]
    public void ListQueues_WithPrefix_ReturnsOnlyMatchingQueuesInOrder()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders-eu");
        broker.CreateQueue<string>("audit");
        broker.CreateQueue<string>("orders");
        broker.CreateQueue<string>("Orders-us");

        IReadOnlyList<IMessageQueue> queues = broker.ListQueues("orders");

        queues.Select(q => q.Name).Should().Equal("orders", "orders-eu");
    }

    [Fact]
    public void ListQueues_PrefixMatchingNothing_ReturnsEmpty()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");

        IReadOnlyList<IMessageQueue> queues = broker.ListQueues("x");

        queues.Should().BeEmpty();
    }

    [Fact]
    public void ListQueues_EmptyPrefix_ReturnsAllQueues()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");
        broker.CreateQueue<string>("audit");

        IReadOnlyList<IMessageQueue> queues = broker.ListQueues(string.Empty);

        queues.Should().HaveCount(2);
    }

    [Fact]
    public void DeleteQueue_ExistingQueue_ReturnsTrueAndRemovesIt()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");

        bool deleted = broker.DeleteQueue("orders");

        deleted.Should().BeTrue();
        broker.ListQueues().Should().BeEmpty();
        broker.TryGetQueue<string>("orders", out _).Should().BeFalse();
    }

    [Fact]
    public void DeleteQueue_MissingQueue_ReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);

        bool deleted = broker.DeleteQueue("orders");

        deleted.Should().BeFalse();
    }

    [Fact]
    public async Task DeleteQueue_ThenCreateTheSameName_GivesANewEmptyQueue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> old = broker.CreateQueue<string>("orders");
        await old.SendAsync("latte");
        broker.DeleteQueue("orders");

        IMessageQueue<CoffeeOrder> fresh = broker.CreateQueue<CoffeeOrder>("orders");

        fresh.Should().NotBeSameAs(old);
        (await fresh.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Theory]
    [InlineData("send")]
    [InlineData("sendBatch")]
    [InlineData("receive")]
    [InlineData("delete")]
    [InlineData("deleteBatch")]
    [InlineData("changeVisibility")]
    [InlineData("changeVisibilityBatch")]
    [InlineData("getAttributes")]
    [InlineData("purge")]
    public async Task DeleteQueue_ThenAnyOperation_ThrowsQueueDoesNotExist(string operation)
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceiptHandle handle = (await queue.ReceiveSingleAsync()).ReceiptHandle;
        broker.DeleteQueue("orders");

        Func<Task> act = operation switch
        {
            "send" => async () => await queue.SendAsync("mocha"),
            "sendBatch" => async () => await queue.SendBatchAsync([new SendBatchEntry<string>("a", "mocha")]),
            "receive" => async () => await queue.ReceiveAsync(),
            "delete" => async () => await queue.DeleteAsync(handle),
            "deleteBatch" => async () => await queue.DeleteBatchAsync([new DeleteBatchEntry("a", handle)]),
            "changeVisibility" => async () => await queue.ChangeVisibilityAsync(handle, TimeSpan.Zero),
            "changeVisibilityBatch" => async () => await queue.ChangeVisibilityBatchAsync([new ChangeVisibilityBatchEntry("a", handle, TimeSpan.Zero)]),
            "getAttributes" => async () => await queue.GetAttributesAsync(),
            _ => async () => await queue.PurgeAsync(),
        };

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public async Task DeleteQueue_WithPendingLongPoll_FailsItWithQueueDoesNotExist()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        broker.DeleteQueue("orders");
        Func<Task> act = () => pending.Bounded();

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public async Task DeleteQueue_OtherQueues_KeepWorking()
    {
        using var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");
        IMessageQueue<string> other = broker.CreateQueue<string>("other");

        broker.DeleteQueue("orders");
        await other.SendAsync("latte");

        (await other.ReceiveSingleAsync()).Body.Should().Be("latte");
    }

    [Fact]
    public async Task Dispose_ThenUseAQueue_ThrowsQueueDoesNotExist()
    {
        var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");

        broker.Dispose();
        Func<Task> act = async () => await queue.SendAsync("latte");

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public void Dispose_ThenCreateQueue_ThrowsBrokerDisposed()
    {
        var broker = new MessageBroker(_clock);

        broker.Dispose();
        Action act = () => broker.CreateQueue<string>("orders");

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.BrokerDisposed);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("list")]
    [InlineData("delete")]
    [InlineData("move")]
    public void Dispose_ThenUseTheBroker_ThrowsBrokerDisposed(string operation)
    {
        var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");
        broker.Dispose();

        Action act = operation switch
        {
            "get" => () => broker.GetQueue<string>("orders"),
            "list" => () => broker.ListQueues(),
            "delete" => () => broker.DeleteQueue("orders"),
            _ => () => broker.StartMessageMoveTask("orders", "orders"),
        };

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.BrokerDisposed);
    }

    [Fact]
    public void Dispose_ThenTryGetQueue_ReturnsFalse()
    {
        var broker = new MessageBroker(_clock);
        broker.CreateQueue<string>("orders");

        broker.Dispose();

        broker.TryGetQueue<string>("orders", out _).Should().BeFalse();
    }

    [Fact]
    public void Dispose_Twice_DoesNotThrow()
    {
        var broker = new MessageBroker(_clock);
        broker.Dispose();

        Action act = broker.Dispose;

        act.Should().NotThrow();
    }

    [Fact]
    public async Task Dispose_WithPendingLongPoll_FailsItWithQueueDoesNotExist()
    {
        var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        Task<IReadOnlyList<ReceivedMessage<string>>> pending = queue.ReceiveAsync(1, TimeSpan.FromSeconds(20)).AsTask();

        broker.Dispose();
        Func<Task> act = () => pending.Bounded();

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.QueueDoesNotExist);
    }

    [Fact]
    public void TwoBrokers_SameQueueName_AreIndependent()
    {
        using var first = new MessageBroker(_clock);
        using var second = new MessageBroker(_clock);

        IMessageQueue<string> a = first.CreateQueue<string>("orders");
        IMessageQueue<CoffeeOrder> b = second.CreateQueue<CoffeeOrder>("orders");

        a.BodyType.Should().NotBe(b.BodyType);
        second.TryGetQueue<string>("orders", out _).Should().BeFalse();
    }
}
