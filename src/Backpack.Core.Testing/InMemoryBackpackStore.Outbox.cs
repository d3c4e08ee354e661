using Backpack.Core.Sync;

namespace Backpack.Core.Testing;

/// <content>
/// The outbox: entries in id order, deduplicated by idempotency key, leased to workers until the lease
/// expires (judged by the <c>now</c> the caller passes, so a crashed worker's entries are taken over).
/// </content>
public sealed partial class InMemoryBackpackStore
{
    private readonly SortedDictionary<long, OutboxEntry> _pending = [];
    private readonly HashSet<string> _idempotencyKeys = new(StringComparer.Ordinal);
    private readonly List<OutboxEntry> _deadLetters = [];
    private long _lastOutboxId;
    private int _completed;

    /// <summary>Gets the dead-lettered entries, oldest first (for assertions in tests).</summary>
    public IReadOnlyList<OutboxEntry> DeadLetters
    {
        get
        {
            lock (_gate)
            {
                return [.. _deadLetters];
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> LeaseAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var leased = new List<OutboxEntry>(Math.Min(max, _pending.Count));
            foreach (var entry in _pending.Values)
            {
                if (leased.Count >= max)
                {
                    break;
                }

                if (entry.NextAttemptAt > now || (entry.LeaseUntil is { } until && until > now))
                {
                    continue;
                }

                leased.Add(entry with { Attempts = entry.Attempts + 1, LeaseOwner = workerId, LeaseUntil = now + leaseDuration });
            }

            foreach (var entry in leased)
            {
                _pending[entry.Id] = entry;
            }

            return Task.FromResult<IReadOnlyList<OutboxEntry>>(leased);
        }
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(OutboxEntry entry, string workerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!HoldsLease(entry.Id, workerId))
            {
                return Task.FromResult(false);
            }

            _pending.Remove(entry.Id);
            _completed++;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> FailAsync(OutboxEntry entry, string workerId, DateTimeOffset? nextAttemptAt, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!HoldsLease(entry.Id, workerId, out var current))
            {
                return Task.FromResult(false);
            }

            if (nextAttemptAt is { } next)
            {
                _pending[entry.Id] = current with { NextAttemptAt = next, LastError = reason, LeaseOwner = null, LeaseUntil = null };
            }
            else
            {
                _pending.Remove(entry.Id);
                _deadLetters.Add(current with { LastError = reason, LeaseOwner = null, LeaseUntil = null });
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(new OutboxCounts(_pending.Count, _completed, _deadLetters.Count));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ListDeadLettersAsync(long? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var after = afterId ?? long.MinValue;
            return Task.FromResult<IReadOnlyList<OutboxEntry>>([.. _deadLetters.Where(e => e.Id > after).OrderBy(e => e.Id).Take(limit)]);
        }
    }

    /// <inheritdoc />
    public Task<int> RequeueAsync(IEnumerable<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        var wanted = ids.ToHashSet();
        lock (_gate)
        {
            var requeued = _deadLetters.Where(e => wanted.Contains(e.Id)).ToList();
            foreach (var entry in requeued)
            {
                _deadLetters.Remove(entry);
                _pending.Add(entry.Id, entry with { Attempts = 0, NextAttemptAt = now, LeaseOwner = null, LeaseUntil = null });
            }

            return Task.FromResult(requeued.Count);
        }
    }

    private bool HoldsLease(long id, string workerId) => HoldsLease(id, workerId, out _);

    /// <summary>
    /// Whether <paramref name="workerId"/> still holds the lease. A lease that expired but was not taken
    /// over is still held: only another worker's lease takes it away.
    /// </summary>
    private bool HoldsLease(long id, string workerId, out OutboxEntry current) =>
        _pending.TryGetValue(id, out current!) && string.Equals(current.LeaseOwner, workerId, StringComparison.Ordinal);

    private void Enqueue(OutboxMessage message)
    {
        if (!_idempotencyKeys.Add(message.IdempotencyKey))
        {
            return;
        }

        var id = ++_lastOutboxId;
        _pending.Add(id, new OutboxEntry(id, message, 0, message.CreatedAt, null));
    }
}
