using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

public sealed class TopicRegistryTests
{
    [Fact]
    public void CreateTopic_SameNameTypeAndSettings_ReturnsTheExistingTopic()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> first = broker.CreateTopic<string>("orders", o => o.MaximumMessageSize = 4096);

        ITopic<string> second = broker.CreateTopic<string>("orders", o => o.MaximumMessageSize = 4096);

        second.Should().BeSameAs(first);
        broker.ListTopics().Should().ContainSingle();
    }

    [Fact]
    public void CreateTopic_SameNameOtherSettings_ThrowsTopicNameExists()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> existing = broker.CreateTopic<string>("orders");

        Action create = () => broker.CreateTopic<string>("orders", o => o.MaximumMessageSize = 4096);

        create.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.TopicNameExists);
        broker.GetTopic<string>("orders").Should().BeSameAs(existing);
    }

    [Fact]
    public void CreateTopic_SameNameOtherBodyType_ThrowsTopicNameExists()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        broker.CreateTopic<string>("orders");

        Action create = () => broker.CreateTopic<CoffeeOrder>("orders");

        create.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.TopicNameExists);
        broker.GetTopic<string>("orders").BodyType.Should().Be<string>();
    }

    [Fact]
    public void CreateTopic_NamesDifferingOnlyInCase_AreDifferentTopics()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());

        ITopic<string> lower = broker.CreateTopic<string>("orders");
        ITopic<string> upper = broker.CreateTopic<string>("Orders");

        upper.Should().NotBeSameAs(lower);
        broker.ListTopics().Select(t => t.Name).Should().Equal("Orders", "orders");
    }

    [Fact]
    public void GetTopic_Missing_ThrowsTopicDoesNotExist()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());

        Action get = () => broker.GetTopic<string>("nowhere");

        get.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.TopicDoesNotExist);
    }

    [Fact]
    public void GetTopic_OtherBodyType_ThrowsTopicTypeMismatch()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        broker.CreateTopic<string>("orders");

        Action get = () => broker.GetTopic<CoffeeOrder>("orders");

        get.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.TopicTypeMismatch);
    }

    [Fact]
    public void TryGetTopic_ExistingAndMissingAndMistyped_AnswersEach()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> created = broker.CreateTopic<string>("orders");

        bool found = broker.TryGetTopic("orders", out ITopic<string>? topic);
        bool missing = broker.TryGetTopic("other", out ITopic<string>? none);
        bool mistyped = broker.TryGetTopic("orders", out ITopic<CoffeeOrder>? wrong);

        found.Should().BeTrue();
        topic.Should().BeSameAs(created);
        missing.Should().BeFalse();
        none.Should().BeNull();
        mistyped.Should().BeFalse();
        wrong.Should().BeNull();
    }

    [Fact]
    public void ListTopics_WithPrefix_ReturnsMatchingTopicsInOrdinalNameOrder()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        broker.CreateTopic<string>("order-shipped");
        broker.CreateTopic<string>("invoice");
        broker.CreateTopic<string>("order-ready");
        broker.CreateTopic<string>("Order-upper");

        IReadOnlyList<ITopic> orders = broker.ListTopics("order-");
        IReadOnlyList<ITopic> all = broker.ListTopics();

        orders.Select(t => t.Name).Should().Equal("order-ready", "order-shipped");
        all.Select(t => t.Name).Should().Equal("Order-upper", "invoice", "order-ready", "order-shipped");
    }

    [Fact]
    public async Task DeleteTopicAsync_Existing_RemovesItAndItsSubscriptions()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("orders");
        Subscription subscription = topic.Subscribe((_, _) => ValueTask.CompletedTask);

        bool deleted = await broker.DeleteTopicAsync("orders").Bounded();

        deleted.Should().BeTrue();
        broker.TryGetTopic("orders", out ITopic<string>? _).Should().BeFalse();
        topic.ListSubscriptions().Should().BeEmpty();
        subscription.IsRemoved.Should().BeTrue();
    }

    [Fact]
    public async Task DeleteTopicAsync_Missing_ReturnsFalse()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        broker.CreateTopic<string>("orders");

        bool deleted = await broker.DeleteTopicAsync("other").Bounded();

        deleted.Should().BeFalse();
        broker.ListTopics().Should().ContainSingle();
    }

    [Fact]
    public async Task PublishAsync_AfterTopicDeleted_ThrowsTopicDoesNotExist()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("orders");
        await broker.DeleteTopicAsync("orders").Bounded();

        Func<Task> publish = async () => await topic.PublishAsync("late");
        Func<Task> publishBatch = async () => await topic.PublishBatchAsync([new PublishBatchEntry<string>("a", "late")]);

        (await publish.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.TopicDoesNotExist);
        (await publishBatch.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.TopicDoesNotExist);
    }

    [Fact]
    public async Task Subscribe_AfterTopicDeleted_ThrowsTopicDoesNotExistAndAddsNothing()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("orders");
        await broker.DeleteTopicAsync("orders").Bounded();

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask);

        subscribe.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.TopicDoesNotExist);
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public async Task CreateTopic_AfterDelete_IsANewTopicWithoutTheOldSubscriptions()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> old = broker.CreateTopic<string>("orders");
        var recorder = new DeliveryRecorder<string>();
        old.Subscribe(recorder.Handle);
        await broker.DeleteTopicAsync("orders").Bounded();

        ITopic<string> renewed = broker.CreateTopic<string>("orders");
        await renewed.PublishAsync("fresh");

        renewed.Should().NotBeSameAs(old);
        renewed.ListSubscriptions().Should().BeEmpty();
        recorder.Count.Should().Be(0);
    }

    [Fact]
    public async Task DeleteTopicAsync_DelegateRunning_CancelsAndAwaitsIt()
    {
        using var broker = new MessageBroker(new ManualTimeProvider());
        ITopic<string> topic = broker.CreateTopic<string>("orders");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool finished = false;
        topic.Subscribe(async (_, cancellationToken) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            }
            finally
            {
                Volatile.Write(ref finished, true);
            }
        });
        await topic.PublishAsync("slow");
        await started.Task.Bounded();

        await broker.DeleteTopicAsync("orders").Bounded();

        Volatile.Read(ref finished).Should().BeTrue("the delete waits for the running delivery to end");
    }

    [Fact]
    public void CreateTopic_AfterBrokerDisposed_ThrowsBrokerDisposed()
    {
        var broker = new MessageBroker(new ManualTimeProvider());
        broker.Dispose();

        Action create = () => broker.CreateTopic<string>("orders");

        create.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.BrokerDisposed);
    }
}
