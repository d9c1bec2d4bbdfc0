using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Broker.Diagnostics;

namespace Broker.Hosting.Tests.Support;

/// <summary>Records every measurement of Broker's meter whose destination starts with a prefix. The meter is process-wide and
/// tests run in parallel, so each test gives its queues and topics a unique prefix and sees only its own measurements.</summary>
internal sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _prefix;

    public MetricCollector(string destinationPrefix)
    {
        _prefix = destinationPrefix;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == BrokerTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    /// <summary>Reads the observable gauges now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public IReadOnlyList<Measurement> Of(string instrument) => Measurements.Where(m => m.Instrument == instrument).ToList();

    public double Sum(string instrument, string destination) => Of(instrument).Where(m => m.Destination == destination).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>(tags.Length);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        if (dictionary.TryGetValue("messaging.destination.name", out object? destination) && destination is string name && name.StartsWith(_prefix, StringComparison.Ordinal))
        {
            Measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, dictionary));
        }
    }

    internal sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public string? Destination => Tag("messaging.destination.name");

        public string? Tag(string name) => Tags.TryGetValue(name, out object? value) ? value as string : null;
    }
}
