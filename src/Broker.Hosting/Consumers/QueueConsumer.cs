using System.Collections.Concurrent;
using System.Diagnostics;
using Broker.Diagnostics;
using Broker.Messages;
using Broker.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Hosting.Consumers;

/// <summary>A hosted consumer: workers that long-poll a queue and hand each message to a handler resolved in a new DI scope.</summary>
/// <remarks>
/// A handler that returns gets its message deleted; one that throws gets it hidden for a back-off that doubles with each
/// receive, until the queue's redrive policy dead-letters it. While a handler runs, a heartbeat extends the message's
/// visibility so no other consumer gets it. On shutdown the workers stop receiving; running handlers get the host's shutdown
/// time to finish; then they are cancelled and every message they did not finish, and every received message not started yet, is
/// made visible again at once, without waiting for handlers that ignore the cancellation.
/// </remarks>
internal sealed partial class QueueConsumer<THandler, T> : IHostedService, IAsyncDisposable
    where THandler : class, IMessageHandler<T>
{
    private readonly MessageBroker _broker;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly string _queueName;
    private readonly ConsumerOptions _options;
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly CancellationTokenSource _abortHandlers = new();
    private readonly ConcurrentDictionary<long, (ReceiptHandle Handle, MessageId Id)> _unsettled = new();
    private IMessageQueue<T>? _queue;
    private Task[] _workers = [];
    private TimeSpan _visibility;
    private long _nextKey;

    public QueueConsumer(MessageBroker broker, IServiceScopeFactory scopes, ILogger<QueueConsumer<THandler, T>> logger, string queueName, ConsumerOptions options)
    {
        _broker = broker;
        _scopes = scopes;
        _logger = logger;
        _queueName = queueName;
        _options = options;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _queue = _broker.GetQueue<T>(_queueName);
        QueueAttributes attributes = await _queue.GetAttributesAsync(cancellationToken).ConfigureAwait(false);
        _visibility = _options.VisibilityTimeout ?? attributes.Options.VisibilityTimeout;
        _workers = new Task[_options.Concurrency];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = RunWorkerAsync();
        }

        LogStarted(_logger, _queueName, typeof(THandler).Name, _options.Concurrency);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopReceiving.CancelAsync().ConfigureAwait(false);
        Task all = Task.WhenAll(_workers);
        try
        {
            await all.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogShutdownTimeout(_logger, _queueName);
            await _abortHandlers.CancelAsync().ConfigureAwait(false);

            // The shutdown time is spent: release every unfinished message now instead of waiting for handlers to honour
            // the cancellation, so a handler that ignores its token cannot hold a message (or the host) past the timeout.
            foreach (long key in _unsettled.Keys)
            {
                await ReleaseAsync(key).ConfigureAwait(false);
            }
        }

        LogStopped(_logger, _queueName);
    }

    public ValueTask DisposeAsync()
    {
        // A handler that ignored cancellation may still run after the host stopped and read these tokens.
        if (Array.TrueForAll(_workers, static w => w.IsCompleted))
        {
            _stopReceiving.Dispose();
            _abortHandlers.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task RunWorkerAsync()
    {
        await Task.Yield();

        // Workers outlive whatever span was current when the host started; receive spans must not become its children.
        Activity.Current = null;
        IMessageQueue<T> queue = _queue!;
        CancellationToken stopping = _stopReceiving.Token;
        while (!stopping.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage<T>> batch;
            try
            {
                batch = await queue.ReceiveAsync(_options.MaxMessages, _options.WaitTime, _visibility, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (BrokerException e) when (e.ErrorCode is BrokerErrorCode.QueueDoesNotExist or BrokerErrorCode.BrokerDisposed)
            {
                LogQueueGone(_logger, _queueName);
                return;
            }

            if (batch.Count == 0)
            {
                continue;
            }

            long[] keys = Track(batch);
            try
            {
                await HandleBatchAsync(queue, batch, keys).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Only the batch scope's disposal can get here; the worker must keep consuming, and whatever the batch left
                // unsettled becomes visible again rather than waiting out its timeout.
                LogWorkerError(_logger, e, _queueName);
                foreach (long key in keys)
                {
                    await ReleaseAsync(key).ConfigureAwait(false);
                }
            }
        }
    }

    private long[] Track(IReadOnlyList<ReceivedMessage<T>> batch)
    {
        long[] keys = new long[batch.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Interlocked.Increment(ref _nextKey);
            _unsettled[keys[i]] = (batch[i].ReceiptHandle, batch[i].MessageId);
        }

        return keys;
    }

    private async Task HandleBatchAsync(IMessageQueue<T> queue, IReadOnlyList<ReceivedMessage<T>> batch, long[] keys)
    {
        AsyncServiceScope? batchScope = _options.ScopePerBatch ? _scopes.CreateAsyncScope() : null;
        try
        {
            for (int i = 0; i < batch.Count; i++)
            {
                if (_stopReceiving.IsCancellationRequested)
                {
                    // Shutting down: what was received but not started goes back at once rather than after its timeout.
                    for (int j = i; j < batch.Count; j++)
                    {
                        await ReleaseAsync(keys[j]).ConfigureAwait(false);
                    }

                    return;
                }

                if (batchScope is { } scope)
                {
                    await HandleAsync(queue, batch[i], keys[i], scope.ServiceProvider).ConfigureAwait(false);
                }
                else
                {
                    AsyncServiceScope messageScope = _scopes.CreateAsyncScope();
                    await using (messageScope.ConfigureAwait(false))
                    {
                        await HandleAsync(queue, batch[i], keys[i], messageScope.ServiceProvider).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            if (batchScope is { } scope)
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task HandleAsync(IMessageQueue<T> queue, ReceivedMessage<T> message, long key, IServiceProvider services)
    {
        using Activity? activity = BrokerDiagnostics.StartActivity("process", _queueName, ActivityKind.Consumer, message.TraceParent);
        long started = _broker.TimeProvider.GetTimestamp();
        string? error = null;
        try
        {
            error = await HandleCoreAsync(queue, message, key, services).ConfigureAwait(false);
        }
        finally
        {
            if (BrokerDiagnostics.ProcessDuration.Enabled)
            {
                var tags = new TagList
                {
                    { "messaging.system", BrokerDiagnostics.System },
                    { "messaging.destination.name", _queueName },
                    { "messaging.operation.name", "process" },
                };
                if (error is not null)
                {
                    tags.Add("error.type", error);
                }

                BrokerDiagnostics.ProcessDuration.Record(_broker.TimeProvider.GetElapsedTime(started).TotalSeconds, tags);
            }

            if (error is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, error);
            }
        }
    }

    /// <returns>The error type when the handler failed or was cancelled; <see langword="null"/> on success.</returns>
    private async Task<string?> HandleCoreAsync(IMessageQueue<T> queue, ReceivedMessage<T> message, long key, IServiceProvider services)
    {
        using var heartbeatStop = new CancellationTokenSource();
        Task heartbeat = RunHeartbeatAsync(queue, message.ReceiptHandle, heartbeatStop.Token);
        try
        {
            // Resolved inside the try: a handler that cannot be constructed is a failed attempt, not a dead worker.
            THandler handler = services.GetRequiredService<THandler>();
            await handler.HandleAsync(message, _abortHandlers.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (_abortHandlers.IsCancellationRequested)
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            await ReleaseAsync(key).ConfigureAwait(false);
            return e.GetType().FullName;
        }
        catch (Exception e)
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            TimeSpan delay = RetryDelay(message.ReceiveCount);
            LogHandlerFailed(_logger, e, _queueName, message.MessageId, message.ReceiveCount, delay);
            if (_unsettled.TryRemove(key, out (ReceiptHandle Handle, MessageId Id) unsettled))
            {
                await TryChangeVisibilityAsync(queue, unsettled.Handle, delay).ConfigureAwait(false);
            }

            return e.GetType().FullName;
        }

        await heartbeatStop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);

        // Deleted even if shutdown already released it: the work is done, and a delete that still succeeds saves a duplicate.
        _unsettled.TryRemove(key, out _);
        try
        {
            await queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BrokerException e)
        {
            LogDeleteFailed(_logger, _queueName, message.MessageId, e.Message);
        }

        return null;
    }

    private TimeSpan RetryDelay(int receiveCount)
    {
        double factor = Math.Pow(2, Math.Min(receiveCount - 1, 30));
        double ticks = Math.Min(_options.RetryDelay.Ticks * factor, _options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task RunHeartbeatAsync(IMessageQueue<T> queue, ReceiptHandle handle, CancellationToken stop)
    {
        TimeSpan interval = _options.HeartbeatInterval ?? _visibility / 2;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, _broker.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (!await TryChangeVisibilityAsync(queue, handle, _visibility).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Makes an unsettled message visible again at once; does nothing if someone else settled or released it first.</summary>
    private async Task ReleaseAsync(long key)
    {
        if (_unsettled.TryRemove(key, out (ReceiptHandle Handle, MessageId Id) unsettled))
        {
            LogReleased(_logger, _queueName, unsettled.Id);
            await TryChangeVisibilityAsync(_queue!, unsettled.Handle, TimeSpan.Zero).ConfigureAwait(false);
        }
    }

    /// <returns><see langword="false"/> when the message is no longer in flight under this handle, or the 12-hour cap is reached.</returns>
    private static async Task<bool> TryChangeVisibilityAsync(IMessageQueue<T> queue, ReceiptHandle handle, TimeSpan timeout)
    {
        try
        {
            await queue.ChangeVisibilityAsync(handle, timeout, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (BrokerException)
        {
            return false; // Visible again, deleted, or the queue is gone: nothing left to extend or release.
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // The 12-hour visibility cap since the receive is reached.
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Consumer of queue '{Queue}' started: handler {Handler}, {Concurrency} workers")]
    private static partial void LogStarted(ILogger logger, string queue, string handler, int concurrency);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Consumer of queue '{Queue}' stopped")]
    private static partial void LogStopped(ILogger logger, string queue);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Handler failed for message {MessageId} of queue '{Queue}' (receive {ReceiveCount}); retrying after {RetryDelay}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string queue, MessageId messageId, int receiveCount, TimeSpan retryDelay);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Shutdown timeout reached; cancelling the running handlers of queue '{Queue}'")]
    private static partial void LogShutdownTimeout(ILogger logger, string queue);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Message {MessageId} of queue '{Queue}' released for redelivery on shutdown")]
    private static partial void LogReleased(ILogger logger, string queue, MessageId messageId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Queue '{Queue}' was deleted; its consumer stops")]
    private static partial void LogQueueGone(ILogger logger, string queue);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Consumer of queue '{Queue}' failed outside a handler; the batch's unsettled messages are released")]
    private static partial void LogWorkerError(ILogger logger, Exception exception, string queue);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Message {MessageId} of queue '{Queue}' was handled but could not be deleted ({Reason}); it will be delivered again")]
    private static partial void LogDeleteFailed(ILogger logger, string queue, MessageId messageId, string reason);
}
