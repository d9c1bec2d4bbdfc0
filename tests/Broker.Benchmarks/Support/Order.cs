namespace Broker.Benchmarks.Support;

/// <summary>The small message body every benchmark sends, one shared instance, so "bytes per message" are what the
/// transport adds beyond the body.</summary>
/// <param name="Id">An id; the benchmarks do not read it.</param>
public sealed record Order(int Id);
