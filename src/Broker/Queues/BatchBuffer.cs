using System.Runtime.CompilerServices;

namespace Broker.Queues;

/// <summary>Room for one value per entry of the largest batch, kept on the stack, so validating a batch allocates nothing.</summary>
/// <typeparam name="TElement">What is kept per entry.</typeparam>
[InlineArray(QueueLimits.MaxBatchEntries)]
internal struct BatchBuffer<TElement>
{
    private TElement _element;
}
