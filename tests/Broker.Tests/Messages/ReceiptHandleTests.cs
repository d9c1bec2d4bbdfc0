using Broker.Messages;
using Broker.Queues;
using Broker.Tests.Support;

namespace Broker.Tests.Messages;

public sealed class ReceiptHandleTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void IsEmpty_DefaultHandle_IsTrue()
    {
        ReceiptHandle handle = default;

        handle.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void ToString_DefaultHandle_ReturnsEmptyString()
    {
        ReceiptHandle handle = default;

        handle.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task ToString_ReceivedHandle_IsNonEmptyAndAtMost1024Characters()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        string text = received.ReceiptHandle.ToString();

        text.Should().NotBeEmpty();
        text.Length.Should().BeLessThanOrEqualTo(1024);
    }

    [Fact]
    public async Task ToString_CalledTwice_ReturnsTheSameText()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        string first = received.ReceiptHandle.ToString();
        string second = received.ReceiptHandle.ToString();

        second.Should().Be(first);
    }

    [Fact]
    public async Task ToString_HandlesOfTwoMessages_Differ()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        await queue.SendAsync("mocha");
        IReadOnlyList<ReceivedMessage<string>> received = await queue.ReceiveNowAsync(2);

        string first = received[0].ReceiptHandle.ToString();
        string second = received[1].ReceiptHandle.ToString();

        second.Should().NotBe(first);
    }

    [Fact]
    public async Task Equals_SameReceive_IsTrue()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        ReceiptHandle copy = received.ReceiptHandle;

        (copy == received.ReceiptHandle).Should().BeTrue();
        copy.GetHashCode().Should().Be(received.ReceiptHandle.GetHashCode());
    }

    [Fact]
    public async Task Equals_DifferentReceivesOfOneMessage_IsFalse()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);
        ReceivedMessage<string> second = await queue.ReceiveSingleAsync();

        bool equal = first.ReceiptHandle == second.ReceiptHandle;

        equal.Should().BeFalse();
        (first.ReceiptHandle != second.ReceiptHandle).Should().BeTrue();
    }

    [Fact]
    public void Equals_TwoParsesOfOneString_IsTrue()
    {
        ReceiptHandle first = ReceiptHandle.Parse("abc");

        ReceiptHandle second = ReceiptHandle.Parse("abc");

        first.Should().Be(second);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Action act = () => ReceiptHandle.Parse(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("text");
    }

    [Fact]
    public void Parse_Empty_ThrowsArgumentException()
    {
        Action act = () => ReceiptHandle.Parse(string.Empty);

        act.Should().Throw<ArgumentException>().WithParameterName("text");
    }

    [Fact]
    public void Parse_1025Characters_ThrowsArgumentException()
    {
        Action act = () => ReceiptHandle.Parse(new string('a', 1025));

        act.Should().Throw<ArgumentException>().WithParameterName("text");
    }

    [Fact]
    public void Parse_1024Characters_ReturnsNonEmptyHandleWithThatText()
    {
        string text = new('a', 1024);

        ReceiptHandle handle = ReceiptHandle.Parse(text);

        handle.IsEmpty.Should().BeFalse();
        handle.ToString().Should().Be(text);
    }

    [Fact]
    public async Task Parse_StringFormOfHandle_DeletesTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        ReceiptHandle parsed = ReceiptHandle.Parse(received.ReceiptHandle.ToString());

        bool deleted = await queue.DeleteAsync(parsed);

        deleted.Should().BeTrue();
        (await queue.CountsAsync()).Should().Be(QueueCounts.Empty);
    }

    [Fact]
    public async Task Parse_StringFormOfHandle_ChangesVisibility()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        ReceiptHandle parsed = ReceiptHandle.Parse(received.ReceiptHandle.ToString());

        await queue.ChangeVisibilityAsync(parsed, TimeSpan.Zero);

        (await queue.CountsAsync()).Should().Be(new QueueCounts(1, 0, 0));
    }

    [Fact]
    public async Task Parse_StringFormOfHandle_WorksOnTheOriginalHandleAfterwards()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        _ = received.ReceiptHandle.ToString();

        bool deleted = await queue.DeleteAsync(received.ReceiptHandle);

        deleted.Should().BeTrue();
    }

    [Fact]
    public async Task Parse_StringFormOfEarlierReceive_DeleteReturnsFalseAndKeepsNewerReceive()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);
        string stale = first.ReceiptHandle.ToString();
        await queue.ReceiveSingleAsync();

        bool deleted = await queue.DeleteAsync(ReceiptHandle.Parse(stale));

        deleted.Should().BeFalse();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task Parse_StringFormOfEarlierReceive_ChangeVisibilityThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> first = await queue.ReceiveSingleAsync(TimeSpan.Zero);
        string stale = first.ReceiptHandle.ToString();
        await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(ReceiptHandle.Parse(stale), TimeSpan.Zero);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task Parse_StringFormOfDeletedMessage_DeleteReturnsFalse()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        string text = received.ReceiptHandle.ToString();
        await queue.DeleteAsync(received.ReceiptHandle);

        bool deleted = await queue.DeleteAsync(ReceiptHandle.Parse(text));

        deleted.Should().BeFalse();
    }

    [Fact]
    public async Task Parse_StringFormOfDeletedMessage_ChangeVisibilityThrowsMessageNotInFlight()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        string text = received.ReceiptHandle.ToString();
        await queue.DeleteAsync(received.ReceiptHandle);

        Func<Task> act = async () => await queue.ChangeVisibilityAsync(ReceiptHandle.Parse(text), TimeSpan.Zero);

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.MessageNotInFlight);
    }

    [Fact]
    public async Task Parse_TamperedStringForm_ThrowsReceiptHandleIsInvalidOnEveryPosition()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();
        string text = received.ReceiptHandle.ToString();
        var codes = new List<BrokerErrorCode>();

        for (int i = 0; i < text.Length; i++)
        {
            char[] chars = text.ToCharArray();
            chars[i] = chars[i] == '0' ? '1' : '0';
            try
            {
                await queue.DeleteAsync(ReceiptHandle.Parse(new string(chars)));
                codes.Add(0);
            }
            catch (BrokerException e)
            {
                codes.Add(e.ErrorCode);
            }
        }

        codes.Should().HaveCount(text.Length).And.OnlyContain(code => code == BrokerErrorCode.ReceiptHandleIsInvalid);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task Parse_StringFormWithExtraCharacter_ThrowsReceiptHandleIsInvalid()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("latte");
        ReceivedMessage<string> received = await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteAsync(ReceiptHandle.Parse(received.ReceiptHandle + "0"));

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleIsInvalid);
    }

    [Fact]
    public async Task Parse_StringFormFromAnotherQueue_ThrowsReceiptHandleIsInvalid()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        IMessageQueue<string> other = broker.CreateQueue<string>("other");
        await queue.SendAsync("latte");
        await other.SendAsync("mocha");
        await queue.ReceiveSingleAsync();
        ReceivedMessage<string> fromOther = await other.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteAsync(ReceiptHandle.Parse(fromOther.ReceiptHandle.ToString()));

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleIsInvalid);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }

    [Fact]
    public async Task Parse_StringFormFromDeletedQueueOfTheSameName_ThrowsReceiptHandleIsInvalid()
    {
        using var broker = new MessageBroker(_clock);
        IMessageQueue<string> old = broker.CreateQueue<string>("orders");
        await old.SendAsync("latte");
        string text = (await old.ReceiveSingleAsync()).ReceiptHandle.ToString();
        broker.DeleteQueue("orders");
        IMessageQueue<string> queue = broker.CreateQueue<string>("orders");
        await queue.SendAsync("mocha");
        await queue.ReceiveSingleAsync();

        Func<Task> act = async () => await queue.DeleteAsync(ReceiptHandle.Parse(text));

        (await act.Should().ThrowAsync<BrokerException>()).Which.ErrorCode.Should().Be(BrokerErrorCode.ReceiptHandleIsInvalid);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 1, 0));
    }
}
