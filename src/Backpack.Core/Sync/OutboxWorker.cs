using System.Diagnostics;
using Backpack.Core.Diagnostics;
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
/// Drains the outbox: leases due entries, runs their handlers, completes them, reschedules transient failures
/// with exponential backoff and jitter, and dead-letters permanent ones at once. Usable directly
/// (<see cref="DrainAsync"/>), from the provider once a store is configured, or inside a generic host
/// (<c>AddOutboxWorker()</c> adds <see cref="OutboxHostedService"/>). Several workers may share one store.
/// </summary>
/// <remarks>
/// <para>
/// A failure is permanent when it is a Backpack exception (<see cref="IBackpackError"/>) with
/// <see cref="IBackpackError.IsTransient"/> <see langword="false"/>, an <see cref="ArgumentException"/>, an unreadable
/// payload (JSON or format errors), an unsupported operation, a missing item, denied access, a defect in the handler
/// (<see cref="NullReferenceException"/>), or an operation no handler is registered for. Everything else (timeouts,
/// I/O, HTTP, Backpack exceptions that say a retry can help, and unrecognised exceptions) is retried until
/// <see cref="OutboxOptions.MaxAttempts"/>, then dead-lettered.
/// </para>
/// <para>
/// The reason stored with the entry (<see cref="OutboxEntry.LastError"/>, listed by
/// <see cref="IOutboxStore.ListDeadLettersAsync"/>) starts with a short error code and the exception type; it adds the
/// message only for Backpack exceptions, whose messages name ids, fields and rules, never personal data. Log lines
/// carry the entry id, operation, attempt, error code and exception type only, never a message.
/// </para>
/// </remarks>
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
        var now = _clock.GetUtcNow();
        var entries = await _store.LeaseAsync(WorkerId, _options.BatchSize, _options.LeaseDuration, now, cancellationToken).ConfigureAwait(false);
        Telemetry.OutboxBatchSize.Record(entries.Count);
        foreach (var entry in entries)
        {
            Telemetry.OutboxEntryAge.Record(Math.Max(0, (now - entry.Message.CreatedAt).TotalSeconds), Tag(entry));
        }

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
    internal TimeSpan Backoff(int attempt, double jitter)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = Math.Min(_options.InitialBackoff.Ticks * Math.Pow(2, exponent), _options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 + (0.2 * jitter))));
    }

    private static KeyValuePair<string, object?> Tag(OutboxEntry entry) => new(Telemetry.OutboxOperationTag, entry.Message.Operation);

    private async Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.Source.StartActivity("backpack.outbox.handle", ActivityKind.Internal);
        activity?.SetTag(Telemetry.OutboxOperationTag, entry.Message.Operation);
        activity?.SetTag("backpack.outbox.attempt", entry.Attempts);
        Telemetry.OutboxAttempts.Add(1, Tag(entry));
        if (!_handlers.TryGetValue(entry.Message.Operation, out var handler))
        {
            var missing = OutboxFailure.NoHandler(entry.Message.Operation);
            await _store.FailAsync(entry, WorkerId, null, missing.Reason, cancellationToken).ConfigureAwait(false);
            LogDeadLettered(_logger, entry.Id, entry.Message.Operation, entry.Attempts, missing.Code, missing.ErrorType);
            DeadLettered(activity, entry, missing.Code);
            return;
        }

        try
        {
            await handler.HandleAsync(entry, cancellationToken).ConfigureAwait(false);
            await _store.CompleteAsync(entry, WorkerId, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Telemetry.OutboxCompletions.Add(1, Tag(entry));
            activity?.SetTag(Telemetry.OutcomeTag, "completed");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = OutboxFailure.Classify(ex);
            if (failure.IsTransient && entry.Attempts < _options.MaxAttempts)
            {
                var next = _clock.GetUtcNow() + Backoff(entry.Attempts, Random.Shared.NextDouble());
                await _store.FailAsync(entry, WorkerId, next, failure.Reason, CancellationToken.None).ConfigureAwait(false);
                LogRetrying(_logger, entry.Id, entry.Message.Operation, entry.Attempts, failure.Code, failure.ErrorType, next);
                Telemetry.OutboxRetries.Add(1, Tag(entry), new(Telemetry.ErrorCodeTag, failure.Code));
                activity?.SetTag(Telemetry.OutcomeTag, "retrying");
                activity?.SetTag(Telemetry.ErrorCodeTag, failure.Code);
                return;
            }

            if (failure.IsTransient)
            {
                failure = failure.Exhausted(entry.Attempts);
            }

            await _store.FailAsync(entry, WorkerId, null, failure.Reason, CancellationToken.None).ConfigureAwait(false);
            LogDeadLettered(_logger, entry.Id, entry.Message.Operation, entry.Attempts, failure.Code, failure.ErrorType);
            DeadLettered(activity, entry, failure.Code);
        }
    }

    private static void DeadLettered(Activity? activity, OutboxEntry entry, string code)
    {
        Telemetry.OutboxDeadLetters.Add(1, Tag(entry), new(Telemetry.ErrorCodeTag, code));
        activity?.SetTag(Telemetry.OutcomeTag, "dead-lettered");
        activity?.SetTag(Telemetry.ErrorCodeTag, code);
        activity?.SetStatus(ActivityStatusCode.Error, code);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox entry {EntryId} ({Operation}) dead-lettered on attempt {Attempt}: error code {ErrorCode}, error type {ErrorType}.")]
    private static partial void LogDeadLettered(ILogger logger, long entryId, string operation, int attempt, string errorCode, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox entry {EntryId} ({Operation}) failed on attempt {Attempt}: error code {ErrorCode}, error type {ErrorType}; retrying at {NextAttemptAt}.")]
    private static partial void LogRetrying(ILogger logger, long entryId, string operation, int attempt, string errorCode, string errorType, DateTimeOffset nextAttemptAt);
}
