namespace Broker.Webhooks.Tests.Support;

public static class Eventually
{
    /// <summary>Waits until the condition holds, failing after 10 seconds.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Yield();
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }
        }
    }
}
