namespace Broker.Topics;

/// <summary>Marks a built-in subscriber that runs no user code and usually completes synchronously, so the publisher may
/// deliver to it directly while its subscription has no backlog.</summary>
internal interface IInlineSubscriber;
