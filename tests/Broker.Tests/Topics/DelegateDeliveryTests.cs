using System.Collections.Concurrent;
using Broker.Queues;
using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>Delegate delivery on the manual clock: retries with back-off in the policy's phases, then the dead-letter queue.</summary>
public sealed class DelegateDeliveryTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task Deliver_AlwaysThrows_RetriesAtTheLinearBackoffDelaysThenDeadLetters()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq");
        var endpoint = new FailingEndpoint(_clock, failures: int.MaxValue);
        Subscription subscription = topic.Subscribe(endpoint.Handle, o =>
        {
            o.DeadLetterQueueName = "dlq";
            o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 3, MinDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(8), BackoffFunction = BackoffFunction.Linear };
        });
        DateTimeOffset start = _clock.GetUtcNow();

        PublishResult published = await topic.PublishAsync("x");
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 1, TimeSpan.FromSeconds(4));
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 2, TimeSpan.FromSeconds(6));
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 3, TimeSpan.FromSeconds(8));
        FailedDelivery<string> failed = await dlq.NextDeadLetterAsync();

        endpoint.AttemptTimes.Select(t => t - start).Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(18));
        failed.Attempts.Should().Be(4);
        failed.Message.MessageId.Should().Be(published.MessageId);
        failed.Message.Body.Should().Be("x");
        failed.SubscriptionId.Should().Be(subscription.Id);
        failed.Protocol.Should().Be("delegate");
        failed.Endpoint.Should().Be(subscription.Endpoint);
        failed.Reason.Should().Be("InvalidOperationException: failure 4");
        failed.FailedAt.Should().Be(start + TimeSpan.FromSeconds(18));
        subscription.FailedAttemptCount.Should().Be(4);
        subscription.DeadLetteredCount.Should().Be(1);
        subscription.DeliveredCount.Should().Be(0);
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Deliver_AllFourPhases_WaitsNothingThenMinThenBackoffThenMax()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var endpoint = new FailingEndpoint(_clock, failures: int.MaxValue);
        Subscription subscription = topic.Subscribe(endpoint.Handle, o => o.DeliveryPolicy = new DeliveryPolicy
        {
            NumRetries = 6,
            NumNoDelayRetries = 2,
            NumMinDelayRetries = 1,
            NumMaxDelayRetries = 1,
            MinDelay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(4),
            BackoffFunction = BackoffFunction.Exponential,
        });
        DateTimeOffset start = _clock.GetUtcNow();

        await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => endpoint.Attempts == 3, "the first attempt and both immediate retries ran");
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 3, TimeSpan.FromSeconds(1));
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 4, TimeSpan.FromSeconds(2));
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 5, TimeSpan.FromSeconds(4));
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 6, TimeSpan.FromSeconds(4));
        await Eventually.HoldsAsync(() => subscription.DroppedCount == 1, "the message is dropped without a dead-letter queue");

        endpoint.AttemptTimes.Select(t => (t - start).TotalSeconds).Should().Equal(0, 0, 0, 1, 3, 7, 11);
        subscription.FailedAttemptCount.Should().Be(7);
    }

    [Fact]
    public async Task Deliver_FailsTwiceThenSucceeds_IsDeliveredOnceAndNotDeadLettered()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq");
        var endpoint = new FailingEndpoint(_clock, failures: 2);
        Subscription subscription = topic.Subscribe(endpoint.Handle, o =>
        {
            o.DeadLetterQueueName = "dlq";
            o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 5, MinDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1) };
        });

        await topic.PublishAsync("x");
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 1, TimeSpan.FromSeconds(1));
        await AdvanceThroughRetryAsync(endpoint, attemptsSoFar: 2, TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 1, "the third attempt succeeds");

        endpoint.Delivered.Should().ContainSingle();
        subscription.FailedAttemptCount.Should().Be(2);
        subscription.DeadLetteredCount.Should().Be(0);
        subscription.PendingCount.Should().Be(0);
        (await dlq.CountsAsync()).Visible.Should().Be(0);
        _clock.HasTimerDueWithin(TimeSpan.FromDays(1)).Should().BeFalse("no further retry is scheduled");
    }

    [Fact]
    public async Task Deliver_EveryAttempt_SeesTheSameMessage()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var seen = new ConcurrentQueue<TopicMessage<string>>();
        topic.Subscribe(
            (message, _) =>
            {
                seen.Enqueue(message);
                return seen.Count < 3 ? throw new InvalidOperationException("again") : ValueTask.CompletedTask;
            },
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 2, NumNoDelayRetries = 2 });

        PublishResult published = await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => seen.Count == 3, "two immediate retries ran");

        seen.Should().OnlyContain(m => m.MessageId == published.MessageId);
        seen.Distinct().Should().ContainSingle("the same envelope is offered on every attempt");
    }

    [Fact]
    public async Task Deliver_NoRetries_DeadLettersAfterTheFirstAttempt()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq");
        var endpoint = new FailingEndpoint(_clock, failures: int.MaxValue);
        topic.Subscribe(endpoint.Handle, o =>
        {
            o.DeadLetterQueueName = "dlq";
            o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 0 };
        });

        await topic.PublishAsync("x");

        (await dlq.NextDeadLetterAsync()).Attempts.Should().Be(1);
        endpoint.Attempts.Should().Be(1);
    }

    [Fact]
    public async Task Deliver_PermanentFailure_DeadLettersAtOnceWithoutRetrying()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq");
        int attempts = 0;
        Subscription subscription = topic.Subscribe(
            (_, _) =>
            {
                Interlocked.Increment(ref attempts);
                throw new SubscriberDeliveryException("gone for good", isRetryable: false);
            },
            o => o.DeadLetterQueueName = "dlq");

        await topic.PublishAsync("x");

        FailedDelivery<string> failed = await dlq.NextDeadLetterAsync();
        failed.Attempts.Should().Be(1);
        failed.Reason.Should().Be("gone for good");
        Volatile.Read(ref attempts).Should().Be(1);
        subscription.FailedAttemptCount.Should().Be(1);
    }

    [Fact]
    public async Task Deliver_RetryAfterRequested_WaitsThatLongInsteadOfThePolicyDelay()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var attempts = new ConcurrentQueue<DateTimeOffset>();
        Subscription subscription = topic.Subscribe(
            (_, _) =>
            {
                attempts.Enqueue(_clock.GetUtcNow());
                return attempts.Count == 1
                    ? throw new SubscriberDeliveryException("busy", isRetryable: true, retryAfter: TimeSpan.FromSeconds(7))
                    : ValueTask.CompletedTask;
            },
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 1, MinDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1) });
        DateTimeOffset start = _clock.GetUtcNow();

        await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => _clock.HasTimerDueWithin(TimeSpan.FromSeconds(7)), "the retry is scheduled");
        _clock.HasTimerDueWithin(TimeSpan.FromSeconds(7) - TimeSpan.FromTicks(1)).Should().BeFalse("the endpoint asked for 7 seconds");
        _clock.Advance(TimeSpan.FromSeconds(7));
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 1, "the retry succeeds");

        attempts.Select(t => t - start).Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Deliver_NoDeadLetterQueue_DropsAndCountsTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        Subscription subscription = topic.SubscribeFailing(retries: 1);

        await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => subscription.DroppedCount == 1, "the message is dropped");

        subscription.FailedAttemptCount.Should().Be(2);
        subscription.DeadLetteredCount.Should().Be(0);
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Deliver_DeadLetterQueueDeletedMeanwhile_DropsTheMessage()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        broker.CreateQueue<FailedDelivery<string>>("dlq");
        Subscription subscription = topic.SubscribeFailing("dlq");
        broker.DeleteQueue("dlq");

        await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => subscription.DroppedCount == 1, "the message is dropped");

        subscription.DeadLetteredCount.Should().Be(0);
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Deliver_MessageBeingRetried_HoldsBackTheOnesBehindIt()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var order = new ConcurrentQueue<string>();
        int firstAttempts = 0;
        Subscription subscription = topic.Subscribe(
            (message, _) =>
            {
                if (message.Body == "first" && Interlocked.Increment(ref firstAttempts) == 1)
                {
                    throw new InvalidOperationException("once");
                }

                order.Enqueue(message.Body);
                return ValueTask.CompletedTask;
            },
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 1, MinDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(10) });

        await topic.PublishAsync("first");
        await topic.PublishAsync("second");
        await topic.PublishAsync("third");
        await Eventually.HoldsAsync(() => _clock.HasTimerDueWithin(TimeSpan.FromSeconds(10)), "the retry of the first message is scheduled");
        order.Should().BeEmpty("the later messages wait behind the one being retried");
        subscription.PendingCount.Should().Be(3);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 3, "all three are delivered");

        order.Should().Equal("first", "second", "third");
    }

    [Fact]
    public async Task UnsubscribeAsync_DuringBackoff_CancelsTheRetryAndNothingIsDeadLettered()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<FailedDelivery<string>> dlq = broker.CreateQueue<FailedDelivery<string>>("dlq");
        var endpoint = new FailingEndpoint(_clock, failures: int.MaxValue);
        Subscription subscription = topic.Subscribe(endpoint.Handle, o =>
        {
            o.DeadLetterQueueName = "dlq";
            o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 3, MinDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(5) };
        });
        await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => endpoint.Attempts == 1 && _clock.HasTimerDueWithin(TimeSpan.FromSeconds(5)), "the retry is scheduled");

        await topic.UnsubscribeAsync(subscription.Id).Bounded();
        _clock.Advance(TimeSpan.FromMinutes(5));

        endpoint.Attempts.Should().Be(1);
        subscription.PendingCount.Should().Be(0);
        subscription.DeadLetteredCount.Should().Be(0);
        (await dlq.CountsAsync()).Visible.Should().Be(0);
    }

    [Fact]
    public async Task UnsubscribeAsync_WhileDelegateRuns_CancelsItsTokenAndWaitsForIt()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool sawCancellation = false;
        bool finished = false;
        Subscription subscription = topic.Subscribe(async (_, cancellationToken) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Volatile.Write(ref sawCancellation, true);
                throw;
            }
            finally
            {
                Volatile.Write(ref finished, true);
            }
        });
        await topic.PublishAsync("x");
        await started.Task.Bounded();

        await topic.UnsubscribeAsync(subscription.Id).Bounded();

        Volatile.Read(ref sawCancellation).Should().BeTrue();
        Volatile.Read(ref finished).Should().BeTrue();
        subscription.FailedAttemptCount.Should().Be(0, "a cancellation caused by the unsubscribe is not a failed attempt");
        subscription.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Deliver_MaxReceivesPerSecond_SpacesDeliveriesOnTheClock()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var times = new ConcurrentQueue<DateTimeOffset>();
        Subscription subscription = topic.Subscribe(
            (_, _) =>
            {
                times.Enqueue(_clock.GetUtcNow());
                return ValueTask.CompletedTask;
            },
            o => o.DeliveryPolicy = new DeliveryPolicy { MaxReceivesPerSecond = 2 });
        DateTimeOffset start = _clock.GetUtcNow();

        for (int i = 0; i < 3; i++)
        {
            await topic.PublishAsync($"m{i}");
        }

        await Eventually.HoldsAsync(() => times.Count == 1 && _clock.HasTimerDueWithin(TimeSpan.FromSeconds(0.5)), "the second delivery waits for its slot");
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        await Eventually.HoldsAsync(() => times.Count == 2 && _clock.HasTimerDueWithin(TimeSpan.FromSeconds(0.5)), "the third delivery waits for its slot");
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 3, "all three are delivered");

        times.Select(t => (t - start).TotalSeconds).Should().Equal(0, 0.5, 1);
    }

    [Fact]
    public async Task Deliver_PublisherOnASynchronizationContext_NothingIsPostedToIt()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var recorder = new DeliveryRecorder<string>();
        var context = new CapturingSynchronizationContext();

        context.Run(() => topic.Subscribe(recorder.Handle));
        ValueTask<PublishResult> publish = context.Run(() => topic.PublishAsync("x"));
        await publish;

        (await recorder.NextAsync()).Single().Body.Should().Be("x");
        context.Posted.Should().Be(0);
    }

    [Fact]
    public async Task Deliver_DelegateCancelsItsOwnOperation_IsAFailedAttemptAndRetried()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        int attempts = 0;
        Subscription subscription = topic.Subscribe(
            (_, _) => Interlocked.Increment(ref attempts) == 1
                ? throw new TaskCanceledException("the delegate's own timeout")
                : ValueTask.CompletedTask,
            o => o.DeliveryPolicy = new DeliveryPolicy { NumRetries = 1, NumNoDelayRetries = 1 });

        await topic.PublishAsync("x");
        await Eventually.HoldsAsync(() => subscription.DeliveredCount == 1, "the retry succeeds");

        subscription.FailedAttemptCount.Should().Be(1, "only a cancellation by the unsubscribe is not a failure");
        Volatile.Read(ref attempts).Should().Be(2);
    }

    [Fact]
    public async Task Publish_DelegateBlockingItsThread_DoesNotBlockThePublisher()
    {
        using var broker = new MessageBroker(_clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        IMessageQueue<string> queue = broker.CreateQueue<string>("q");
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        topic.Subscribe((_, cancellationToken) =>
        {
            entered.TrySetResult();
            release.Wait(QueueTestExtensions.Timeout, cancellationToken); // Badly behaved user code: blocks the thread it was called on.
            return ValueTask.CompletedTask;
        });
        topic.Subscribe(queue);

        try
        {
            await topic.PublishAsync("m0");
            await entered.Task.Bounded();
            for (int i = 1; i < 5; i++)
            {
                Task<PublishResult> publish = topic.PublishAsync($"m{i}").AsTask();
                publish.IsCompletedSuccessfully.Should().BeTrue("the blocked delegate runs on its own path");
            }

            (await queue.DrainAsync()).Should().HaveCount(5);
        }
        finally
        {
            release.Set();
        }
    }

    /// <summary>Waits until the delivery has failed <paramref name="attemptsSoFar"/> times and scheduled its retry exactly
    /// <paramref name="delay"/> ahead, then moves the clock there and waits for the retry.</summary>
    private async Task AdvanceThroughRetryAsync(FailingEndpoint endpoint, int attemptsSoFar, TimeSpan delay)
    {
        await Eventually.HoldsAsync(() => endpoint.Attempts == attemptsSoFar && _clock.HasTimerDueWithin(delay), $"attempt {attemptsSoFar} failed and its retry is scheduled");
        _clock.HasTimerDueWithin(delay - TimeSpan.FromTicks(1)).Should().BeFalse("retry {0} waits exactly {1}", attemptsSoFar, delay);
        _clock.Advance(delay);
        await Eventually.HoldsAsync(() => endpoint.Attempts > attemptsSoFar, $"retry {attemptsSoFar} ran");
    }

    /// <summary>A delegate endpoint that fails its first <c>failures</c> attempts and records when each attempt happened.</summary>
    private sealed class FailingEndpoint(TimeProvider clock, int failures)
    {
        private readonly ConcurrentQueue<DateTimeOffset> _attemptTimes = new();
        private readonly ConcurrentQueue<TopicMessage<string>> _delivered = new();
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public IReadOnlyCollection<DateTimeOffset> AttemptTimes => _attemptTimes;

        public IReadOnlyCollection<TopicMessage<string>> Delivered => _delivered;

        public ValueTask Handle(TopicMessage<string> message, CancellationToken cancellationToken)
        {
            _attemptTimes.Enqueue(clock.GetUtcNow());
            int attempt = Interlocked.Increment(ref _attempts);
            if (attempt <= failures)
            {
                throw new InvalidOperationException($"failure {attempt}");
            }

            _delivered.Enqueue(message);
            return ValueTask.CompletedTask;
        }
    }
}
