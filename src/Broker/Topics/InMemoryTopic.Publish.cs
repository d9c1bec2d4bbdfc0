using System.Diagnostics;
using System.Text.Json;
using Broker.Diagnostics;
using Broker.Messages;
using Broker.Queues;

namespace Broker.Topics;

internal sealed partial class InMemoryTopic<T>
{
    public ValueTask<PublishResult> PublishAsync(T body, PublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (body is null)
        {
            throw new ArgumentNullException(nameof(body));
        }

        if (Validate(body, options?.Attributes, options?.Subject, options?.MessageGroupId, options?.DeduplicationId, out Prepared prepared) is { } problem)
        {
            throw new ArgumentException(problem.Message, problem.Part is null ? nameof(body) : $"{nameof(options)}.{problem.Part}");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<PublishResult>(cancellationToken);
        }

        ThrowIfDeleted();
        return new ValueTask<PublishResult>(Publish(body, prepared, _time.GetUtcNow()));
    }

    public ValueTask<BatchResult<PublishBatchResultEntry>> PublishBatchAsync(IReadOnlyList<PublishBatchEntry<T>> entries, CancellationToken cancellationToken = default)
    {
        BatchRules.Validate(entries, static e => e.Id, nameof(entries));
        var prepared = default(BatchBuffer<Prepared>);
        var problems = default(BatchBuffer<Problem?>);
        long total = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            PublishBatchEntry<T> entry = entries[i];
            problems[i] = entry.Body is null
                ? new Problem(null, "The body is null.")
                : Validate(entry.Body, entry.Attributes, entry.Subject, entry.MessageGroupId, entry.DeduplicationId, out prepared[i]);
            // A refused entry still counts toward the batch's size, as in SNS, so one oversized entry makes the whole batch too long.
            total += problems[i] is null ? prepared[i].Size : entry.Body is null ? 0 : MessageBodySize.Measure(entry.Body);
        }

        if (total > _options.MaximumMessageSize)
        {
            throw new ArgumentException(
                $"The batch's messages add up to {total} bytes (BatchRequestTooLong); the topic '{Name}' accepts at most {_options.MaximumMessageSize} per batch.",
                nameof(entries));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<BatchResult<PublishBatchResultEntry>>(cancellationToken);
        }

        ThrowIfDeleted();
        var outcomes = new BatchOutcomes<PublishBatchResultEntry>(entries.Count);
        DateTimeOffset now = _time.GetUtcNow(); // One read for the batch, which is published at one time.
        for (int i = 0; i < entries.Count; i++)
        {
            if (problems[i] is { } problem)
            {
                outcomes.Failed(new BatchResultErrorEntry(entries[i].Id, "InvalidParameter", problem.Message, SenderFault: true));
                continue;
            }

            PublishResult result = Publish(entries[i].Body, prepared[i], now);
            outcomes.Succeeded(new PublishBatchResultEntry(entries[i].Id, result.MessageId, result.SequenceNumber));
        }

        return new ValueTask<BatchResult<PublishBatchResultEntry>>(outcomes.ToResult());
    }

    private PublishResult Publish(T body, in Prepared prepared, DateTimeOffset now)
    {
        using Activity? activity = BrokerDiagnostics.StartActivity("publish", Name, ActivityKind.Producer);
        string? traceParent = activity?.Id ?? BrokerDiagnostics.CurrentTraceParent();
        PublishResult result = PublishCore(body, prepared, traceParent, now);
        BrokerDiagnostics.Sent(Name, "publish");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.message.id", result.MessageId.ToString());
        }

        return result;
    }

    private PublishResult PublishCore(T body, in Prepared prepared, string? traceParent, DateTimeOffset now)
    {
        if (_fifo is null)
        {
            var message = new TopicMessage<T>(MessageId.NewId(), Name, body, prepared.Subject, now, prepared.Attributes, null, null, null, traceParent);
            FanOut(message);
            return new PublishResult(message.MessageId);
        }

        string deduplicationId = prepared.DeduplicationId ?? ContentHash.Compute(body, _jsonOptions);
        string key = _options.DeduplicationScope == DeduplicationScope.MessageGroup
            ? string.Concat(prepared.MessageGroupId, "\n", deduplicationId)
            : deduplicationId;
        long timestamp = now.UtcTicks;
        lock (_fifo.Gate)
        {
            // Held across the offers: each subscription must see a group's messages in the order of their sequence numbers.
            if (_fifo.Deduplication.TryGet(key, timestamp, out PublishResult original))
            {
                return original;
            }

            string sequenceNumber = (++_fifo.LastSequenceNumber).ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
            var message = new TopicMessage<T>(MessageId.NewId(), Name, body, prepared.Subject, now, prepared.Attributes, prepared.MessageGroupId, deduplicationId, sequenceNumber, traceParent);
            var result = new PublishResult(message.MessageId, sequenceNumber);
            _fifo.Deduplication.Set(key, result, timestamp);
            FanOut(message);
            return result;
        }
    }

    private void FanOut(TopicMessage<T> message)
    {
        SubscriptionSet subscriptions = Volatile.Read(ref _subscriptions);
        if (subscriptions.Items.Length == 0)
        {
            return; // No one to count for.
        }

        while (!subscriptions.Feed.TryAppend(message))
        {
            // Sealed: the set was replaced after it was read, and the new one is in place. Nothing has been offered yet.
            subscriptions = Volatile.Read(ref _subscriptions);
        }

        JsonDocument? body = null;
        bool bodyParsed = false;
        try
        {
            foreach (SubscriptionRuntime<T> subscription in subscriptions.Offered)
            {
                if (subscription.Filter is { } filter)
                {
                    bool matches;
                    if (filter.Scope == Filtering.FilterPolicyScope.MessageAttributes)
                    {
                        matches = filter.Matches(message.Attributes);
                    }
                    else
                    {
                        if (!bodyParsed)
                        {
                            body = ParseBody(message.Body);
                            bodyParsed = true;
                        }

                        matches = body is not null && filter.Matches(body.RootElement);
                    }

                    if (!matches)
                    {
                        subscription.CountPassedOver();
                        continue;
                    }
                }

                subscription.Offer(message);
            }
        }
        finally
        {
            body?.Dispose();
        }
    }

    /// <summary>Reads the body as JSON for body-scoped filter policies: text and bytes are taken as JSON documents, other types are serialized.</summary>
    /// <returns>The document, or <see langword="null"/> when the body is not JSON (then no body policy matches it).</returns>
    private JsonDocument? ParseBody(T body)
    {
        try
        {
            return (object?)body switch
            {
                string text => JsonDocument.Parse(text),
                byte[] bytes => JsonDocument.Parse(bytes),
                ReadOnlyMemory<byte> memory => JsonDocument.Parse(memory),
                _ => JsonSerializer.SerializeToDocument(body, _jsonOptions.GetTypeInfo(typeof(T))),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Problem? Validate(
        T body,
        IReadOnlyDictionary<string, MessageAttributeValue>? attributes,
        string? subject,
        string? messageGroupId,
        string? deduplicationId,
        out Prepared prepared)
    {
        prepared = default;
        if (subject is not null)
        {
            if (subject.Length is 0 or > TopicLimits.MaxSubjectLength)
            {
                return new Problem(nameof(PublishOptions.Subject), $"The subject is {subject.Length} characters long; it must be 1 to {TopicLimits.MaxSubjectLength}.");
            }

            foreach (char c in subject)
            {
                // U+2028 and U+2029 are line breaks without being control characters.
                if (char.IsControl(c) || c is '\u2028' or '\u2029')
                {
                    return new Problem(nameof(PublishOptions.Subject), "The subject must not contain line breaks or other control characters.");
                }
            }
        }

        if (FifoRules.Check(messageGroupId, nameof(PublishOptions.MessageGroupId)) is { } groupError)
        {
            return new Problem(nameof(PublishOptions.MessageGroupId), groupError);
        }

        if (FifoRules.Check(deduplicationId, nameof(PublishOptions.DeduplicationId)) is { } deduplicationError)
        {
            return new Problem(nameof(PublishOptions.DeduplicationId), deduplicationError);
        }

        if (_fifo is null && (messageGroupId is not null || deduplicationId is not null))
        {
            return new Problem(messageGroupId is not null ? nameof(PublishOptions.MessageGroupId) : nameof(PublishOptions.DeduplicationId), "Group and de-duplication ids apply to FIFO topics only.");
        }

        if (_fifo is not null)
        {
            if (messageGroupId is null)
            {
                return new Problem(nameof(PublishOptions.MessageGroupId), $"A FIFO topic needs a {nameof(PublishOptions.MessageGroupId)} on every message.");
            }

            if (deduplicationId is null && !_options.ContentBasedDeduplication)
            {
                return new Problem(
                    nameof(PublishOptions.DeduplicationId),
                    $"The FIFO topic '{Name}' needs a {nameof(PublishOptions.DeduplicationId)}, or {nameof(TopicOptions.ContentBasedDeduplication)} turned on.");
            }
        }

        string? attributeError = MessageAttributeRules.TryCopy(attributes, out IReadOnlyDictionary<string, MessageAttributeValue> copy, out int attributeSize);
        if (attributeError is not null)
        {
            return new Problem(nameof(PublishOptions.Attributes), attributeError);
        }

        long size = MessageBodySize.Measure(body) + attributeSize;
        if (size > _options.MaximumMessageSize)
        {
            return new Problem(null, $"The message is {size} bytes (body and attributes); the topic '{Name}' accepts at most {_options.MaximumMessageSize}.");
        }

        prepared = new Prepared(copy, subject, messageGroupId, deduplicationId, size);
        return null;
    }

    private readonly record struct Prepared(
        IReadOnlyDictionary<string, MessageAttributeValue> Attributes,
        string? Subject,
        string? MessageGroupId,
        string? DeduplicationId,
        long Size);

    private sealed record Problem(string? Part, string Message);
}
