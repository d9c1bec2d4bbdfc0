using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Broker.Hosting.Tests.Support;

/// <summary>A logger factory whose loggers record every <c>Log</c> call, including calls made while the level is disabled: a caller
/// that checks <c>IsEnabled</c> (as source-generated <c>LoggerMessage</c> methods do) makes none of those.</summary>
internal sealed class CapturingLoggerFactory(LogLevel minimum) : ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public ConcurrentQueue<(string Category, EventId EventId)> CallsWhileDisabled { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                owner.CallsWhileDisabled.Enqueue((category, eventId));
                return;
            }

            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception)));
        }
    }

    private readonly LogLevel _minimum = minimum;
}
