using Broker.Messages;

namespace Broker.Queues;

internal sealed partial class InMemoryQueue<T>
{
    public async ValueTask<BatchResult<SendBatchResultEntry>> SendBatchAsync(IReadOnlyList<SendBatchEntry<T>> entries, CancellationToken cancellationToken = default)
    {
        BatchRules.Validate(entries, static e => e.Id, nameof(entries));
        var prepared = new PreparedMessage[entries.Count];
        var problems = new SendProblem?[entries.Count];
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
        var successful = new List<SendBatchResultEntry>(entries.Count);
        var failed = new List<BatchResultErrorEntry>();
        for (int i = 0; i < entries.Count; i++)
        {
            SendBatchEntry<T> entry = entries[i];
            if (problems[i] is { } problem)
            {
                failed.Add(new BatchResultErrorEntry(entry.Id, "InvalidParameterValue", problem.Message, SenderFault: true));
                continue;
            }

            if (_capacity is not null && !TryTakePermit())
            {
                if (_fifo is not null && TryFindDuplicate(entry.Body, prepared[i], out SendResult original))
                {
                    successful.Add(new SendBatchResultEntry(entry.Id, original.MessageId, original.SequenceNumber));
                    continue;
                }

                if (_options.FullMode == QueueFullMode.Fail)
                {
                    failed.Add(new BatchResultErrorEntry(entry.Id, nameof(BrokerErrorCode.QueueFull), QueueFull().Message, SenderFault: false));
                    continue;
                }

                await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            }

            SendResult sent = Enqueue(entry.Body, prepared[i], holdsPermit: _capacity is not null);
            successful.Add(new SendBatchResultEntry(entry.Id, sent.MessageId, sent.SequenceNumber));
        }

        return new BatchResult<SendBatchResultEntry>(successful, failed);
    }

    public ValueTask<BatchResult<string>> DeleteBatchAsync(IReadOnlyList<DeleteBatchEntry> entries, CancellationToken cancellationToken = default)
    {
        BatchRules.Validate(entries, static e => e.Id, nameof(entries));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<BatchResult<string>>(cancellationToken);
        }

        ThrowIfClosed();
        var successful = new List<string>(entries.Count);
        var failed = new List<BatchResultErrorEntry>();
        foreach (DeleteBatchEntry entry in entries)
        {
            if (entry.ReceiptHandle.IsEmpty)
            {
                failed.Add(new BatchResultErrorEntry(entry.Id, nameof(BrokerErrorCode.ReceiptHandleIsInvalid), "The receipt handle is the default value.", SenderFault: true));
                continue;
            }

            try
            {
                DeleteMessage(entry.ReceiptHandle);
                successful.Add(entry.Id);
            }
            catch (BrokerException e)
            {
                failed.Add(new BatchResultErrorEntry(entry.Id, e.ErrorCode.ToString(), e.Message, SenderFault: true));
            }
        }

        return new ValueTask<BatchResult<string>>(new BatchResult<string>(successful, failed));
    }

    public ValueTask<BatchResult<string>> ChangeVisibilityBatchAsync(IReadOnlyList<ChangeVisibilityBatchEntry> entries, CancellationToken cancellationToken = default)
    {
        BatchRules.Validate(entries, static e => e.Id, nameof(entries));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<BatchResult<string>>(cancellationToken);
        }

        ThrowIfClosed();
        var successful = new List<string>(entries.Count);
        var failed = new List<BatchResultErrorEntry>();
        foreach (ChangeVisibilityBatchEntry entry in entries)
        {
            if (entry.ReceiptHandle.IsEmpty)
            {
                failed.Add(new BatchResultErrorEntry(entry.Id, nameof(BrokerErrorCode.ReceiptHandleIsInvalid), "The receipt handle is the default value.", SenderFault: true));
                continue;
            }

            if (entry.VisibilityTimeout < TimeSpan.Zero || entry.VisibilityTimeout > QueueLimits.MaxVisibilityTimeout)
            {
                failed.Add(new BatchResultErrorEntry(
                    entry.Id,
                    "InvalidParameterValue",
                    $"The visibility timeout is {entry.VisibilityTimeout}; it must be between {TimeSpan.Zero} and {QueueLimits.MaxVisibilityTimeout}.",
                    SenderFault: true));
                continue;
            }

            try
            {
                SetVisibility(entry.ReceiptHandle, entry.VisibilityTimeout);
                successful.Add(entry.Id);
            }
            catch (BrokerException e)
            {
                failed.Add(new BatchResultErrorEntry(entry.Id, e.ErrorCode.ToString(), e.Message, SenderFault: true));
            }
            catch (ArgumentOutOfRangeException e)
            {
                failed.Add(new BatchResultErrorEntry(entry.Id, "InvalidParameterValue", e.Message, SenderFault: true));
            }
        }

        return new ValueTask<BatchResult<string>>(new BatchResult<string>(successful, failed));
    }
}
