using System.Diagnostics;

namespace Broker.Tests.Support;

/// <summary>Waits for background work (such as a message move task) to reach an observable state, without sleeping.</summary>
/// <remarks>This never waits for time to pass: the manual clock does not move while it polls. It only lets other
/// threads run until the condition holds, and fails after <see cref="QueueTestExtensions.Timeout"/> of real time.</remarks>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string description)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > QueueTestExtensions.Timeout)
            {
                throw new TimeoutException($"Timed out waiting until {description}.");
            }

            await Task.Yield();
        }
    }

    public static async Task HoldsAsync(Func<Task<bool>> condition, string description)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > QueueTestExtensions.Timeout)
            {
                throw new TimeoutException($"Timed out waiting until {description}.");
            }

            await Task.Yield();
        }
    }
}
