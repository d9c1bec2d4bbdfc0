using System.Text.Json.Serialization;
using Broker.Topics;
using Broker.Topics.Filtering;

namespace Broker.Tests.Topics;

/// <summary>A body-scoped filter needs the body as JSON: without a contract for the body type the subscription is refused up
/// front, so a publish never fails half-way through its fan-out.</summary>
public sealed partial class BodyFilterJsonContractTests
{
    [Fact]
    public void Subscribe_BodyFilterWithoutContractForBodyType_ThrowsAndAddsNothing()
    {
        using var broker = new MessageBroker(new BrokerOptions { JsonSerializerOptions = OtherTypesContext.Default.Options });
        ITopic<Order> topic = broker.CreateTopic<Order>("orders");

        Action subscribe = () => topic.Subscribe((_, _) => ValueTask.CompletedTask, o =>
        {
            o.FilterPolicy = """{"Drink":["latte"]}""";
            o.FilterPolicyScope = FilterPolicyScope.MessageBody;
        });

        subscribe.Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "configure" && e.Message.Contains("FilterPolicyScope") && e.Message.Contains(nameof(Order)));
        topic.ListSubscriptions().Should().BeEmpty();
    }

    [Fact]
    public async Task Subscribe_BodyFilterWithContractForBodyType_MatchesOnBody()
    {
        using var broker = new MessageBroker(new BrokerOptions { JsonSerializerOptions = OrderContext.Default.Options });
        ITopic<Order> topic = broker.CreateTopic<Order>("orders");
        var lattes = broker.CreateQueue<Order>("lattes");
        topic.Subscribe(lattes, o =>
        {
            o.FilterPolicy = """{"Drink":["latte"]}""";
            o.FilterPolicyScope = FilterPolicyScope.MessageBody;
        });

        await topic.PublishAsync(new Order("espresso"));
        await topic.PublishAsync(new Order("latte"));

        // Queue subscriptions deliver off the publisher's path: the long poll returns as soon as the latte arrives.
        var received = await lattes.ReceiveAsync(maxMessages: 10, waitTime: TimeSpan.FromSeconds(10));
        received.Select(m => m.Body.Drink).Should().Equal("latte");
    }

    [Fact]
    public void Subscribe_BodyFilterOnStringBodiesWithoutAnyContract_IsAccepted()
    {
        using var broker = new MessageBroker(new BrokerOptions { JsonSerializerOptions = OtherTypesContext.Default.Options });
        ITopic<string> topic = broker.CreateTopic<string>("texts");

        Subscription subscription = topic.Subscribe((_, _) => ValueTask.CompletedTask, o =>
        {
            o.FilterPolicy = """{"Drink":["latte"]}""";
            o.FilterPolicyScope = FilterPolicyScope.MessageBody;
        });

        subscription.FilterPolicyScope.Should().Be(FilterPolicyScope.MessageBody);
    }

    internal sealed record Order(string Drink);

    internal sealed record Unrelated(int Value);

    [JsonSerializable(typeof(Unrelated))]
    internal sealed partial class OtherTypesContext : JsonSerializerContext;

    [JsonSerializable(typeof(Order))]
    internal sealed partial class OrderContext : JsonSerializerContext;
}
