using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Broker.Benchmarks.Support;

/// <summary>The run settings: fixed iteration counts, so a run takes a known time on a busy 2-core machine.</summary>
/// <remarks>
/// Each invocation moves a whole batch of messages (OperationsPerInvoke), so one invocation per iteration is enough and
/// the figures come out per message. Benchmarks run in the host process (no per-benchmark build), which keeps a full run
/// within minutes; the host uses workstation, non-concurrent GC.
/// </remarks>
public static class BenchmarkJobs
{
    /// <summary>Gets the configuration of the full run.</summary>
    /// <returns>The configuration.</returns>
    /// <remarks>50 warm-up iterations. An iteration calls each producer and consumer loop once per worker, and the runtime
    /// compiles a method with full optimization only after it has been called 30 times; until then a 1/1 loop runs as code
    /// compiled for the loop on the fly, around code that may not be optimized yet either. With 25 warm-ups the 1/1 cases
    /// were measured while that change was still under way: Broker's 1/1 reached its steady figure only after 33-38
    /// iterations. The project file also turns off the runtime's delay before it starts counting calls, which it keeps
    /// extending while other code is being compiled, so that a case's warm-ups do not depend on what ran before it in this
    /// process.</remarks>
    public static ManualConfig Full() => Create(warmups: 50, iterations: 15);

    /// <summary>Gets the configuration of the quick run: the same measurements with fewer iterations.</summary>
    /// <returns>The configuration.</returns>
    public static ManualConfig Quick() => Create(warmups: 1, iterations: 3);

    private static ManualConfig Create(int warmups, int iterations)
    {
        Job job = Job.Dry
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(warmups)
            .WithIterationCount(iterations)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId(iterations > 3 ? "Full" : "Quick");
        ManualConfig config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
            .AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
        return config;
    }
}
