using Broker.Messages;
using Broker.Queues;

namespace Broker.Tests.Queues.Fifo;

/// <summary>Shorthands shared by the FIFO tests.</summary>
internal static class FifoTestSupport
{
    /// <summary>How long any await that could hang may take before the test fails instead.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public static SendOptions Group(string groupId, string? deduplicationId = null)
        => new() { MessageGroupId = groupId, DeduplicationId = deduplicationId };

    /// <summary>Sends each body to <paramref name="groupId"/>, with the body as its de-duplication id.</summary>
    public static async Task<List<SendResult>> SendAllAsync(IMessageQueue<string> queue, string groupId, params string[] bodies)
    {
        var results = new List<SendResult>(bodies.Length);
        foreach (string body in bodies)
        {
            results.Add(await queue.SendAsync(body, Group(groupId, body)));
        }

        return results;
    }

    public static async Task<IReadOnlyList<ReceivedMessage<string>>> ReceiveAsync(IMessageQueue<string> queue, int maxMessages = 10)
        => await queue.ReceiveAsync(maxMessages, waitTime: TimeSpan.Zero).AsTask().WaitAsync(Bound);

    public static string[] Bodies(this IEnumerable<ReceivedMessage<string>> messages) => messages.Select(m => m.Body).ToArray();
}
