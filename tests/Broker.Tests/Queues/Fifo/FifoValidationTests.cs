using Broker.Queues;
using Broker.Tests.Support;
using static Broker.Tests.Queues.Fifo.FifoTestSupport;

namespace Broker.Tests.Queues.Fifo;

public sealed class FifoValidationTests : IDisposable
{
    private readonly MessageBroker _broker = new(new ManualTimeProvider());

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task CreateQueue_NameEndsInFifo_CreatesFifoQueue()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        SendResult sent = await queue.SendAsync("a1", Group("a", "d1"));

        sent.SequenceNumber.Should().NotBeNull();
    }

    [Fact]
    public void CreateQueue_FifoNameOf80Characters_Succeeds()
    {
        string name = new string('q', 75) + ".fifo";

        IMessageQueue<string> queue = _broker.CreateQueue<string>(name);

        queue.Name.Should().HaveLength(80);
    }

    [Theory]
    [InlineData(".fifo")]
    [InlineData("a.b.fifo")]
    [InlineData("orders.fifo.fifo")]
    [InlineData("orders.FIFO")]
    [InlineData("ord ers.fifo")]
    [InlineData("orders!.fifo")]
    public void CreateQueue_InvalidFifoName_ThrowsArgumentException(string queueName)
    {
        Action act = () => _broker.CreateQueue<string>(queueName);

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }

    [Fact]
    public void CreateQueue_FifoNameOf81Characters_ThrowsArgumentException()
    {
        string name = new string('q', 76) + ".fifo";

        Action act = () => _broker.CreateQueue<string>(name);

        act.Should().Throw<ArgumentException>().WithMessage("*81 characters*");
    }

    [Fact]
    public void Validate_ContentBasedDeduplicationOnStandardQueue_ReportsIt()
    {
        var options = new QueueOptions { ContentBasedDeduplication = true };

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate("orders", options);

        errors.Should().ContainSingle().Which.Should().Contain(nameof(QueueOptions.ContentBasedDeduplication));
    }

    [Fact]
    public void Validate_MessageGroupScopeOnStandardQueue_ReportsIt()
    {
        var options = new QueueOptions { DeduplicationScope = DeduplicationScope.MessageGroup };

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate("orders", options);

        errors.Should().ContainSingle().Which.Should().Contain(nameof(QueueOptions.DeduplicationScope));
    }

    [Fact]
    public void Validate_FifoOptionsOnFifoQueue_ReportsNothing()
    {
        var options = new QueueOptions { ContentBasedDeduplication = true, DeduplicationScope = DeduplicationScope.MessageGroup };

        IReadOnlyList<string> errors = QueueOptionsValidator.Validate("orders.fifo", options);

        errors.Should().BeEmpty();
    }

    [Fact]
    public void CreateQueue_ContentBasedDeduplicationOnStandardQueue_ThrowsArgumentException()
    {
        Action act = () => _broker.CreateQueue<string>("orders", o => o.ContentBasedDeduplication = true);

        act.Should().Throw<ArgumentException>().WithMessage("*ContentBasedDeduplication*");
        _broker.TryGetQueue<string>("orders", out _).Should().BeFalse();
    }

    [Fact]
    public void CreateQueue_MessageGroupScopeOnStandardQueue_ThrowsArgumentException()
    {
        Action act = () => _broker.CreateQueue<string>("orders", o => o.DeduplicationScope = DeduplicationScope.MessageGroup);

        act.Should().Throw<ArgumentException>().WithMessage("*DeduplicationScope*");
    }

    [Fact]
    public void CreateQueue_FifoQueueWithStandardDeadLetterQueue_ThrowsArgumentException()
    {
        _broker.CreateQueue<string>("orders-dlq");

        Action act = () => _broker.CreateQueue<string>("orders.fifo", o => o.DeadLetter("orders-dlq"));

        act.Should().Throw<ArgumentException>().WithMessage("*must be a FIFO queue*");
    }

    [Fact]
    public void CreateQueue_StandardQueueWithFifoDeadLetterQueue_ThrowsArgumentException()
    {
        _broker.CreateQueue<string>("orders-dlq.fifo");

        Action act = () => _broker.CreateQueue<string>("orders", o => o.DeadLetter("orders-dlq.fifo"));

        act.Should().Throw<ArgumentException>().WithMessage("*must be a standard queue*");
    }

    [Fact]
    public void CreateQueue_FifoQueueWithFifoDeadLetterQueue_Succeeds()
    {
        _broker.CreateQueue<string>("orders-dlq.fifo");

        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.DeadLetter("orders-dlq.fifo", maxReceiveCount: 3));

        _broker.GetQueue<string>("orders.fifo").Should().BeSameAs(queue);
    }

    [Fact]
    public void CreateQueue_SameNameWithOtherDeduplicationSettings_ThrowsQueueNameExists()
    {
        _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        Action act = () => _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = false);

        act.Should().Throw<BrokerException>().Which.ErrorCode.Should().Be(BrokerErrorCode.QueueNameExists);
    }

    [Fact]
    public async Task SendAsync_FifoWithoutOptions_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        Func<Task> act = async () => await queue.SendAsync("a1");

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.MessageGroupId");
    }

    [Fact]
    public async Task SendAsync_FifoWithoutGroupId_ThrowsArgumentExceptionAndStoresNothing()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.SendAsync("a1", new SendOptions { DeduplicationId = "d1" });

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.MessageGroupId");
        (await queue.GetAttributesAsync()).ApproximateNumberOfMessages.Should().Be(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("tab\t")]
    [InlineData("grüppe")]
    [InlineData("emoji\U0001F600")]
    public async Task SendAsync_InvalidGroupId_ThrowsArgumentException(string groupId)
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.SendAsync("a1", Group(groupId, "d1"));

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.MessageGroupId");
    }

    [Fact]
    public async Task SendAsync_GroupIdOf129Characters_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.SendAsync("a1", Group(new string('g', 129), "d1"));

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*129 characters*");
    }

    [Fact]
    public async Task SendAsync_GroupIdOf128CharactersWithEveryPunctuation_IsKeptAndReturned()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");
        const string punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        string groupId = punctuation + new string('G', 128 - punctuation.Length - 2) + "z9";
        string deduplicationId = new string('d', 100) + punctuation[..28];

        await queue.SendAsync("a1", Group(groupId, deduplicationId));
        var received = await ReceiveAsync(queue);

        groupId.Should().HaveLength(128);
        received.Should().ContainSingle();
        received[0].MessageGroupId.Should().Be(groupId);
        received[0].MessageDeduplicationId.Should().Be(deduplicationId);
    }

    [Fact]
    public async Task SendAsync_FifoWithPerMessageDelay_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.SendAsync("a1", new SendOptions { MessageGroupId = "a", DeduplicationId = "d1", Delay = TimeSpan.FromSeconds(5) });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(nameof(QueueOptions.DeliveryDelay));
    }

    [Fact]
    public async Task SendAsync_FifoWithZeroPerMessageDelay_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.SendAsync("a1", new SendOptions { MessageGroupId = "a", DeduplicationId = "d1", Delay = TimeSpan.Zero });

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task SendAsync_FifoWithoutDeduplicationIdOrContentBasedDeduplication_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.SendAsync("a1", Group("a"));

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.DeduplicationId");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    public async Task SendAsync_InvalidDeduplicationId_ThrowsArgumentException(string deduplicationId)
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo", o => o.ContentBasedDeduplication = true);

        Func<Task> act = async () => await queue.SendAsync("a1", Group("a", deduplicationId));

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.DeduplicationId");
    }

    [Fact]
    public async Task SendAsync_DeduplicationIdOf129Characters_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.SendAsync("a1", Group("a", new string('d', 129)));

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.DeduplicationId");
    }

    [Fact]
    public async Task SendAsync_StandardQueueWithDeduplicationId_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.SendAsync("a1", new SendOptions { DeduplicationId = "d1" });

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.DeduplicationId");
    }

    [Fact]
    public async Task SendAsync_StandardQueueWithGroupId_ReturnsGroupIdWithoutFifoFields()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders");

        SendResult sent = await queue.SendAsync("a1", Group("a"));
        var received = await ReceiveAsync(queue);

        sent.SequenceNumber.Should().BeNull();
        received.Should().ContainSingle();
        received[0].MessageGroupId.Should().Be("a");
        received[0].SequenceNumber.Should().BeNull();
        received[0].MessageDeduplicationId.Should().BeNull();
    }

    [Fact]
    public async Task ReceiveAsync_StandardQueueSameGroupInFlight_StillReturnsLaterMessage()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders");
        await queue.SendAsync("a1", Group("a"));
        await queue.SendAsync("a2", Group("a"));

        var first = await ReceiveAsync(queue, maxMessages: 1);
        var second = await ReceiveAsync(queue, maxMessages: 1);

        first.Bodies().Concat(second.Bodies()).Should().BeEquivalentTo("a1", "a2");
    }

    [Fact]
    public async Task ReceiveAsync_StandardQueueWithAttemptId_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders");

        Func<Task> act = async () => await queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = "attempt-1" });

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task ReceiveAsync_InvalidAttemptId_ThrowsArgumentException(string attemptId)
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = attemptId });

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public async Task ReceiveAsync_AttemptIdOf129Characters_ThrowsArgumentException()
    {
        IMessageQueue<string> queue = _broker.CreateQueue<string>("orders.fifo");

        Func<Task> act = async () => await queue.ReceiveAsync(new ReceiveOptions { ReceiveRequestAttemptId = new string('x', 129) });

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*129 characters*");
    }
}
