using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Testing.Tests;

/// <summary>A logger provider that keeps every line written (category, level, formatted message, and the structured values).</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<LogLine> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record LogLine(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values);

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            provider.Lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), values));
        }
    }
}
