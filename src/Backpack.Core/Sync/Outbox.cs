namespace Backpack.Core.Sync;

/// <summary>
/// A side effect to perform outside the store (on Google Drive or Classroom), written in the same
/// transaction as the change that causes it. Handlers must be idempotent: the same message may be
/// delivered more than once (a crash after the effect, before completion), never lost.
/// </summary>
/// <param name="Operation">The handler's operation name, e.g. <c>drive.ensureFolder</c>.</param>
/// <param name="IdempotencyKey">Unique per effect: enqueueing a key already present does nothing.</param>
/// <param name="Payload">The operation's JSON payload (ids only, never names or student text).</param>
/// <param name="CreatedAt">When it was enqueued.</param>
public sealed record OutboxMessage(string Operation, string IdempotencyKey, string Payload, DateTimeOffset CreatedAt);

/// <summary>A stored outbox message with its delivery state.</summary>
/// <param name="Id">The store's id for the entry.</param>
/// <param name="Message">The message.</param>
/// <param name="Attempts">Attempts made so far (including the current one when leased).</param>
/// <param name="NextAttemptAt">When it may next be tried.</param>
/// <param name="LastError">The last failure, if any.</param>
public sealed record OutboxEntry(long Id, OutboxMessage Message, int Attempts, DateTimeOffset NextAttemptAt, string? LastError)
{
    /// <summary>The worker holding the lease, while leased.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease expires, while leased.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}

/// <summary>Counts of outbox entries by state.</summary>
/// <param name="Pending">Waiting or being tried.</param>
/// <param name="Completed">Done.</param>
/// <param name="DeadLettered">Given up after the maximum attempts.</param>
public sealed record OutboxCounts(int Pending, int Completed, int DeadLettered);

/// <summary>
/// The outbox side of a store. Several workers (in several processes with PostgreSQL) share it through
/// leases: a leased entry is invisible to others until its lease expires, so a crashed worker's entries
/// are taken over.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Leases up to <paramref name="max"/> due entries for <paramref name="workerId"/>.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="max">The most entries to lease.</param>
    /// <param name="leaseDuration">How long the lease lasts.</param>
    /// <param name="now">The current time (from the injected clock).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The leased entries, with <see cref="OutboxEntry.Attempts"/> counting this attempt.</returns>
    Task<IReadOnlyList<OutboxEntry>> LeaseAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Marks a leased entry done. Does nothing if the lease was lost to another worker.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="workerId">The worker holding the lease.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether this worker still held the lease.</returns>
    Task<bool> CompleteAsync(OutboxEntry entry, string workerId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Releases a leased entry after a failure, to be retried at <paramref name="nextAttemptAt"/> (or dead-lettered).</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="workerId">The worker holding the lease.</param>
    /// <param name="nextAttemptAt">When to retry; <see langword="null"/> to dead-letter.</param>
    /// <param name="reason">What went wrong (no personal data).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether this worker still held the lease.</returns>
    Task<bool> FailAsync(OutboxEntry entry, string workerId, DateTimeOffset? nextAttemptAt, string reason, CancellationToken cancellationToken = default);

    /// <summary>Counts entries by state.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    Task<OutboxCounts> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists dead-lettered entries in id order, a page at a time: each with its <see cref="OutboxEntry.LastError"/>
    /// (the reason it was given up) and <see cref="OutboxEntry.Attempts"/>.
    /// </summary>
    /// <param name="afterId">Lists entries with a greater id (the last id of the previous page); <see langword="null"/> from the first.</param>
    /// <param name="limit">The most entries to return (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Up to <paramref name="limit"/> dead letters; fewer means no more follow.</returns>
    Task<IReadOnlyList<OutboxEntry>> ListDeadLettersAsync(long? afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts dead-lettered entries back as pending, due at <paramref name="now"/>, with their attempts reset to zero
    /// (their <see cref="OutboxEntry.LastError"/> stays until the next attempt). Ids that are not dead letters
    /// (unknown, pending or completed) are ignored, so a requeue may be repeated safely.
    /// </summary>
    /// <param name="ids">The dead letters' ids.</param>
    /// <param name="now">The current time (from the injected clock).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many entries were requeued.</returns>
    Task<int> RequeueAsync(IEnumerable<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>Performs one kind of outbox operation. Must be idempotent.</summary>
public interface IOutboxHandler
{
    /// <summary>The operation handled, e.g. <c>drive.ensureFolder</c>.</summary>
    string Operation { get; }

    /// <summary>Performs the operation.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when done.</returns>
    Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken);
}
