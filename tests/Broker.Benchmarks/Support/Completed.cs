namespace Broker.Benchmarks.Support;

/// <summary>Takes the result of an in-memory operation that completes synchronously (a send without a capacity, a receive
/// without a wait), and fails loudly if one ever did not, rather than blocking.</summary>
public static class Completed
{
    /// <summary>Returns the result of a completed operation.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation, which must have completed.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="InvalidOperationException">The operation had not completed.</exception>
    public static T Result<T>(ValueTask<T> operation)
    {
        if (!operation.IsCompleted)
        {
            throw new InvalidOperationException("Expected an operation that completes synchronously.");
        }

#pragma warning disable VSTHRD002 // Completed: this only observes the result.
        return operation.GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
    }
}
