using Broker.Messages;

namespace Broker.Queues;

internal sealed partial class InMemoryQueue<T>
{
    public async ValueTask<BatchResult<SendBatchResultEntry>> SendBatchAsync(IReadOnlyList<SendBatchEntry<T>> entries, CancellationToken cancellationToken = default)
    {
        BatchRules.Validate(entries, static e => e.Id, nameof(entries));
        var prepared = default(BatchBuffer<PreparedMessage>);
        var problems = default(BatchBuffer<SendProblem?>);
        long total = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            SendBatchEntry<T> entry = entries[i];
            problems[i] = entry.Body is null
                ? new SendProblem(SendProblemKind.Size, "The body is null.")
                : Validate(entry.Body, entry.Attributes, entry.Delay, entry.MessageGroupId, entry.DeduplicationId, out prepared[i]);
            total += prepared[i].Size;
        }

        if (total > _options.MaximumMessageSize)
        {
            throw new ArgumentException(
                $"The batch's messages add up to {total} bytes (BatchRequestTooLong); the queue '{Name}' accepts at most {_options.MaximumMessageSize} per batch.",
                nameof(entries));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfClosed();
        var outcomes = new BatchOutcomes<SendBatchResultEntry>(entries.Count);

        // One clock read for the batch, which is sent at one time, as SQS takes it in one request; read again after a
        // wait for room, since the entries after it are sent later.
        long now = _clock.Now;
        for (int i = 0; i < entries.Count; i++)
        {
            SendBatchEntry<T> entry = entries[i];
            if (problems[i] is { } problem)
            {
                outcomes.Failed(new BatchResultErrorEntry(entry.Id, "InvalidParameterValue", problem.Message, SenderFault: true));
                continue;
            }

            if (_capacity is not null && !TryTakePermit())
            {
                if (_fifo is not null && TryFindDuplicate(entry.Body, prepared[i], out SendResult original))
                {
                    outcomes.Succeeded(new SendBatchResultEntry(entry.Id, original.MessageId, original.SequenceNumber));
                    continue;
                }

                if (_options.FullMode == QueueFullMode.Fail)
                {
                    outcomes.Failed(new BatchResultErrorEntry(entry.Id, nameof(BrokerErrorCode.QueueFull), QueueFull().Message, SenderFault: false));
                    continue;
                }

                await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                now = _clock.Now;
            }

            SendResult sent = Enqueue(entry.Body, prepared[i], holdsPermit: _capacity is not null, now);
            outcomes.Succeeded(new SendBatchResultEntry(entry.Id, sent.MessageId, sent.SequenceNumber));
        }

        return outcomes.ToResult();
    }

    public ValueTask<BatchResult<string>> DeleteBatchAsync(IReadOnlyList<DeleteBatchEntry> entries, CancellationToken cancellationToken = default)
    {
        BatchRules.Validate(entries, static e => e.Id, nameof(entries));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<BatchResult<string>>(cancellationToken);
        }

        ThrowIfClosed();
        var outcomes = new BatchOutcomes<string>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            DeleteBatchEntry entry = entries[i];
            if (entry.ReceiptHandle.IsEmpty)
            {
                outcomes.Failed(new BatchResultErrorEntry(entry.Id, nameof(BrokerErrorCode.ReceiptHandleIsInvalid), "The receipt handle is the default value.", SenderFault: true));
                continue;
            }

            try
            {
                DeleteMessage(entry.ReceiptHandle);
                outcomes.Succeeded(entry.Id);
            }
            catch (BrokerException e)
            {
                outcomes.Failed(new BatchResultErrorEntry(entry.Id, e.ErrorCode.ToString(), e.Message, SenderFault: true));
            }
        }

        return new ValueTask<BatchResult<string>>(outcomes.ToResult());
    }

    public ValueTask<BatchResult<string>> ChangeVisibilityBatchAsync(IReadOnlyList<ChangeVisibilityBatchEntry> entries, CancellationToken cancellationToken = default)
    {
        BatchRules.Validate(entries, static e => e.Id, nameof(entries));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<BatchResult<string>>(cancellationToken);
        }

        ThrowIfClosed();
        var outcomes = new BatchOutcomes<string>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            ChangeVisibilityBatchEntry entry = entries[i];
            if (entry.ReceiptHandle.IsEmpty)
            {
                outcomes.Failed(new BatchResultErrorEntry(entry.Id, nameof(BrokerErrorCode.ReceiptHandleIsInvalid), "The receipt handle is the default value.", SenderFault: true));
                continue;
            }

            if (entry.VisibilityTimeout < TimeSpan.Zero || entry.VisibilityTimeout > QueueLimits.MaxVisibilityTimeout)
            {
                outcomes.Failed(new BatchResultErrorEntry(
                    entry.Id,
                    "InvalidParameterValue",
                    $"The visibility timeout is {entry.VisibilityTimeout}; it must be between {TimeSpan.Zero} and {QueueLimits.MaxVisibilityTimeout}.",
                    SenderFault: true));
                continue;
            }

            try
            {
                SetVisibility(entry.ReceiptHandle, entry.VisibilityTimeout);
                outcomes.Succeeded(entry.Id);
            }
            catch (BrokerException e)
            {
                outcomes.Failed(new BatchResultErrorEntry(entry.Id, e.ErrorCode.ToString(), e.Message, SenderFault: true));
            }
            catch (ArgumentOutOfRangeException e)
            {
                outcomes.Failed(new BatchResultErrorEntry(entry.Id, "InvalidParameterValue", e.Message, SenderFault: true));
            }
        }

        return new ValueTask<BatchResult<string>>(outcomes.ToResult());
    }
}
