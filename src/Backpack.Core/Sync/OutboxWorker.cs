using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Sync;

/// <summary>Settings of the outbox worker.</summary>
public sealed class OutboxOptions
{
    /// <summary>How many entries a worker leases at once (default 32).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a lease lasts before another worker may take the entry (default 2 minutes).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The first retry delay; doubles each attempt (default 2 seconds).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest retry delay (default 30 minutes).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts before an entry is dead-lettered (default 12).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How long the hosted worker waits when the outbox is empty (default 5 seconds).</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Drains the outbox: leases due entries, runs their handlers, completes them, and reschedules failures
/// with exponential backoff and jitter. Usable directly (<see cref="DrainAsync"/>) or inside a generic host
/// (<see cref="OutboxHostedService"/>). Several workers may share one store.
/// </summary>
public sealed partial class OutboxWorker
{
    private readonly IOutboxStore _store;
    private readonly Dictionary<string, IOutboxHandler> _handlers;
    private readonly TimeProvider _clock;
    private readonly OutboxOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a worker.</summary>
    /// <param name="store">The outbox store.</param>
    /// <param name="handlers">The handlers, one per operation.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">The settings.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="workerId">This worker's id; a new one if <see langword="null"/>.</param>
    public OutboxWorker(IOutboxStore store, IEnumerable<IOutboxHandler> handlers, TimeProvider clock, IOptions<OutboxOptions> options, ILogger<OutboxWorker>? logger = null, string? workerId = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _handlers = handlers.ToDictionary(h => h.Operation, StringComparer.Ordinal);
        _clock = clock;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        WorkerId = workerId ?? $"worker-{Guid.NewGuid():N}";
    }

    /// <summary>This worker's id, as recorded on leases.</summary>
    public string WorkerId { get; }

    /// <summary>Runs one batch: leases due entries and handles them.</summary>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>How many entries were leased.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var entries = await _store.LeaseAsync(WorkerId, _options.BatchSize, _options.LeaseDuration, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await HandleAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        return entries.Count;
    }

    /// <summary>Runs batches until no entry is due.</summary>
    /// <param name="cancellationToken">Cancels draining.</param>
    /// <returns>How many entries were leased in all.</returns>
    public async Task<int> DrainAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int n;
        while ((n = await RunOnceAsync(cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1: exponential from the initial backoff, capped, with up to 20% jitter.</summary>
    /// <param name="attempt">The attempt that failed, from 1.</param>
    /// <param name="jitter">A number in [0, 1).</param>
    /// <returns>The delay.</returns>
    public TimeSpan Backoff(int attempt, double jitter)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = Math.Min(_options.InitialBackoff.Ticks * Math.Pow(2, exponent), _options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 + (0.2 * jitter))));
    }

    private async Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(entry.Message.Operation, out var handler))
        {
            await _store.FailAsync(entry, WorkerId, null, $"No handler is registered for operation '{entry.Message.Operation}'.", cancellationToken).ConfigureAwait(false);
            LogNoHandler(_logger, entry.Id, entry.Message.Operation);
            return;
        }

        try
        {
            await handler.HandleAsync(entry, cancellationToken).ConfigureAwait(false);
            await _store.CompleteAsync(entry, WorkerId, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var retry = ex is not BackpackException bex || bex.IsTransient;
            DateTimeOffset? next = retry && entry.Attempts < _options.MaxAttempts
                ? _clock.GetUtcNow() + Backoff(entry.Attempts, Random.Shared.NextDouble())
                : null;
            await _store.FailAsync(entry, WorkerId, next, $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None).ConfigureAwait(false);
            LogFailed(_logger, entry.Id, entry.Message.Operation, entry.Attempts, next is not null, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox entry {EntryId} has no handler for operation {Operation}; dead-lettered.")]
    private static partial void LogNoHandler(ILogger logger, long entryId, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox entry {EntryId} ({Operation}) failed on attempt {Attempt}; will retry: {WillRetry}. Error type {ErrorType}.")]
    private static partial void LogFailed(ILogger logger, long entryId, string operation, int attempt, bool willRetry, string errorType);
}
