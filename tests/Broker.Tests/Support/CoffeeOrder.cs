namespace Broker.Tests.Support;

/// <summary>A record body: an in-memory object that is never serialized and counts zero bytes toward the size limit.</summary>
public sealed record CoffeeOrder(string Customer, string Drink);
