using Broker.Scheduling;

namespace Broker.Tests.Scheduling;

/// <summary>The lock of the timer queue's heap side and lane.</summary>
public sealed class SpinGateTests
{
    private SpinGate _gate = new();
    private long _unguarded;

    [Fact]
    public async Task Enter_FromManyThreadsAtOnce_LetsOneInAtATime()
    {
        const int Threads = 4;
        const int Rounds = 50_000;
        int inside = 0;
        int overlaps = 0;
        using var start = new Barrier(Threads);

        Task[] workers = [.. Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (int i = 0; i < Rounds; i++)
                {
                    using (_gate.Enter())
                    {
                        if (Interlocked.Increment(ref inside) != 1)
                        {
                            Interlocked.Increment(ref overlaps);
                        }

                        _unguarded++; // A plain increment: lost updates would show if two threads were inside together.
                        Interlocked.Decrement(ref inside);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))];
        await Task.WhenAll(workers);

        overlaps.Should().Be(0);
        _unguarded.Should().Be(Threads * Rounds);
        _gate.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void Enter_LeftByAThrow_IsFreeAgain()
    {
        Action throwInside = () =>
        {
            using (_gate.Enter())
            {
                _gate.IsHeld.Should().BeTrue();
                throw new InvalidOperationException("inside the gate");
            }
        };

        throwInside.Should().Throw<InvalidOperationException>();

        _gate.IsHeld.Should().BeFalse();
        using (_gate.Enter())
        {
            _gate.IsHeld.Should().BeTrue();
        }
    }
}
