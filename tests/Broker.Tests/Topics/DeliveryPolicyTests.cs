using Broker.Topics;
using Broker.Tests.Support;

namespace Broker.Tests.Topics;

/// <summary>The delay schedule of a delivery policy (SNS's four phases) and its validation.</summary>
public sealed class DeliveryPolicyTests
{
    [Fact]
    public void GetDelay_Default_BacksOffExponentiallyFromOneToTwentySeconds()
    {
        var policy = new DeliveryPolicy();

        double[] delays = Enumerable.Range(1, policy.NumRetries).Select(r => policy.GetDelay(r).TotalSeconds).ToArray();

        policy.NumRetries.Should().Be(3);
        delays[^1].Should().Be(20);
        delays.Should().BeInAscendingOrder();
        (delays[1] / delays[0]).Should().BeApproximately(delays[2] / delays[1], 1e-6, "exponential back-off keeps a constant ratio");
        delays[0].Should().BeGreaterThan(1);
    }

    [Theory]
    [InlineData(BackoffFunction.Linear, new[] { 4.0, 6.0, 8.0 })]
    [InlineData(BackoffFunction.Exponential, new[] { 4.0, 8.0, 16.0 })]
    public void GetDelay_BackoffFunctions_FollowTheirCurves(BackoffFunction function, double[] expected)
    {
        var policy = function == BackoffFunction.Linear
            ? new DeliveryPolicy { NumRetries = 3, MinDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(8), BackoffFunction = function }
            : new DeliveryPolicy { NumRetries = 3, MinDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(16), BackoffFunction = function };

        double[] delays = Enumerable.Range(1, 3).Select(r => policy.GetDelay(r).TotalSeconds).ToArray();

        delays.Should().Equal(expected);
    }

    [Fact]
    public void GetDelay_ArithmeticAndGeometric_StartSlowAndEndAtTheMaximum()
    {
        var arithmetic = new DeliveryPolicy { NumRetries = 4, MinDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(16), BackoffFunction = BackoffFunction.Arithmetic };
        var geometric = new DeliveryPolicy { NumRetries = 4, MinDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(15), BackoffFunction = BackoffFunction.Geometric };

        double[] slowStart = Enumerable.Range(1, 4).Select(r => arithmetic.GetDelay(r).TotalSeconds).ToArray();
        double[] doubling = Enumerable.Range(1, 4).Select(r => geometric.GetDelay(r).TotalSeconds).ToArray();

        slowStart.Should().Equal(1, 4, 9, 16);
        doubling.Should().Equal(1, 3, 7, 15);
    }

    [Fact]
    public void GetDelay_Phases_ImmediateThenMinimumThenBackoffThenMaximum()
    {
        var policy = new DeliveryPolicy
        {
            NumRetries = 8,
            NumNoDelayRetries = 2,
            NumMinDelayRetries = 2,
            NumMaxDelayRetries = 2,
            MinDelay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(9),
            BackoffFunction = BackoffFunction.Linear,
        };

        double[] delays = Enumerable.Range(1, 8).Select(r => policy.GetDelay(r).TotalSeconds).ToArray();

        delays.Should().Equal(0, 0, 1, 1, 5, 9, 9, 9);
    }

    [Fact]
    public void GetDelay_NoBackoffPhase_UsesTheFixedPhasesOnly()
    {
        var policy = new DeliveryPolicy { NumRetries = 3, NumNoDelayRetries = 1, NumMinDelayRetries = 1, NumMaxDelayRetries = 1, MinDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(6) };

        double[] delays = Enumerable.Range(1, 3).Select(r => policy.GetDelay(r).TotalSeconds).ToArray();

        delays.Should().Equal(0, 2, 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void GetDelay_RetryOutsideTheRange_ThrowsWithTheRange(int retry)
    {
        var policy = new DeliveryPolicy { NumRetries = 3 };

        Action get = () => policy.GetDelay(retry);

        get.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1*3*").Which.ParamName.Should().Be("retry");
    }

    [Fact]
    public void Validate_Default_HasNoProblems()
    {
        new DeliveryPolicy().Validate().Should().BeEmpty();
    }

    [Fact]
    public void Validate_LimitsExactly_HasNoProblems()
    {
        var policy = new DeliveryPolicy
        {
            NumRetries = 100,
            NumNoDelayRetries = 50,
            NumMaxDelayRetries = 50,
            MinDelay = TimeSpan.Zero,
            MaxDelay = TimeSpan.FromHours(1),
            MaxReceivesPerSecond = 1,
        };

        policy.Validate().Should().BeEmpty();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Validate_NumRetriesOutOfRange_ReportsTheRange(int retries)
    {
        var policy = new DeliveryPolicy { NumRetries = retries };

        policy.Validate().Should().Contain($"NumRetries is {retries}; it must be between 0 and 100.");
    }

    [Fact]
    public void Validate_EveryProblem_IsReportedTogether()
    {
        var policy = new DeliveryPolicy
        {
            NumRetries = 2,
            NumNoDelayRetries = 2,
            NumMinDelayRetries = 1,
            MinDelay = TimeSpan.FromSeconds(30),
            MaxDelay = TimeSpan.FromHours(2),
            BackoffFunction = (BackoffFunction)9,
            MaxReceivesPerSecond = 0,
        };

        IReadOnlyList<string> problems = policy.Validate();

        problems.Should().HaveCount(4);
        problems.Should().Contain(p => p.Contains("must not exceed NumRetries", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Contains("MaxDelay", StringComparison.Ordinal) && p.Contains("01:00:00", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Contains("BackoffFunction", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Contains("MaxReceivesPerSecond", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MinDelayAboveMaxDelay_IsAProblem()
    {
        var policy = new DeliveryPolicy { MinDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromSeconds(20) };

        policy.Validate().Should().ContainSingle().Which.Should().Contain("MinDelay");
    }

    [Fact]
    public void Validate_NegativePhaseCount_IsAProblem()
    {
        var policy = new DeliveryPolicy { NumNoDelayRetries = -1 };

        policy.Validate().Should().ContainSingle().Which.Should().Contain("must not be negative");
    }

    [Fact]
    public async Task Subscribe_PolicyChangedAfterSubscribing_SubscriptionKeepsItsCopy()
    {
        var clock = new ManualTimeProvider();
        using var broker = new MessageBroker(clock);
        ITopic<string> topic = broker.CreateTopic<string>("t");
        var policy = new DeliveryPolicy { NumRetries = 0 };
        Subscription subscription = topic.Subscribe((_, _) => throw new InvalidOperationException("no"), o => o.DeliveryPolicy = policy);

        policy.NumRetries = 100;
        await topic.PublishAsync("x");

        await Eventually.HoldsAsync(() => subscription.DroppedCount == 1, "the message is dropped after its one attempt");
        subscription.FailedAttemptCount.Should().Be(1);
    }
}
