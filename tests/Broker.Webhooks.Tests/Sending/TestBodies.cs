using System.Text.Json.Serialization;

namespace Broker.Webhooks.Tests.Sending;

public sealed record Order(string Customer, string Drink);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Order))]
public sealed partial class TestJsonContext : JsonSerializerContext;
