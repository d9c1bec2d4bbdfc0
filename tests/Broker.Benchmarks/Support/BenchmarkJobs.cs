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
    /// <remarks>25 warm-up iterations: the JIT replaces its first code with optimized code in the background, which takes
    /// several iterations when the benchmark keeps both cores busy; with 3, Broker's 1/1 queue figure was that of
    /// unoptimized code (410-448 ns per message against 256-258 ns with 15 or 30 warm-ups), and the first case to run Broker's
    /// queue code still needed 14 of 15 warm-ups to get there.</remarks>
    public static ManualConfig Full() => Create(warmups: 25, iterations: 15);

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
