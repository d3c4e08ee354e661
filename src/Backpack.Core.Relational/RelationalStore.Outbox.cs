using System.Data.Common;
using System.Globalization;
using Backpack.Core.Sync;

namespace Backpack.Core.Relational;

/// <content>The transactional outbox: leases, completion, failures with retry or dead letter, counts and requeue.</content>
internal abstract partial class RelationalStore
{
    private const string OutboxColumns = "id, operation, idempotency_key, payload, created_at, attempts, next_attempt_at, last_error, lease_owner, lease_until";

    public Task<IReadOnlyList<OutboxEntry>> LeaseAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<OutboxEntry>>([]);
        }

        return RunAsync<IReadOnlyList<OutboxEntry>>(
            "leasing outbox entries",
            async c =>
            {
                var sql =
                    "UPDATE outbox SET lease_owner = @p1, lease_until = @p2, attempts = attempts + 1 "
                    + "WHERE district_id = @p0 AND id IN (SELECT id FROM outbox WHERE district_id = @p0 AND completed_at IS NULL AND dead_lettered = @p5 "
                    + "AND next_attempt_at <= @p3 AND (lease_until IS NULL OR lease_until <= @p3) ORDER BY next_attempt_at, id LIMIT @p4" + LeaseLockClause + ") "
                    + "RETURNING " + OutboxColumns;
                var tx = await BeginWriteAsync(c, cancellationToken).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    var list = new List<OutboxEntry>();
                    var cmd = Command(c, tx, sql, [D, (ColKind.Text, workerId), (ColKind.Time, now + leaseDuration), (ColKind.Time, now), (ColKind.Long, (long)max), (ColKind.Bool, false)]);
                    await using (cmd.ConfigureAwait(false))
                    {
                        var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                list.Add(ReadEntry(reader));
                            }
                        }
                    }

                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    list.Sort((a, b) => a.NextAttemptAt != b.NextAttemptAt ? a.NextAttemptAt.CompareTo(b.NextAttemptAt) : a.Id.CompareTo(b.Id));
                    return list;
                }
            },
            cancellationToken);
    }

    private OutboxEntry ReadEntry(DbDataReader r) =>
        new(
            r.GetInt64(0),
            new OutboxMessage(r.GetString(1), r.GetString(2), r.GetString(3), ReadTime(r, 4)),
            Convert.ToInt32(r.GetValue(5), CultureInfo.InvariantCulture),
            ReadTime(r, 6),
            r.IsDBNull(7) ? null : r.GetString(7))
        {
            LeaseOwner = r.IsDBNull(8) ? null : r.GetString(8),
            LeaseUntil = r.IsDBNull(9) ? null : ReadTime(r, 9),
        };

    public Task<bool> CompleteAsync(OutboxEntry entry, string workerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return RunAsync(
            "completing an outbox entry",
            async c => await ExecAsync(
                c,
                null,
                "UPDATE outbox SET completed_at = @p4, lease_owner = NULL, lease_until = NULL "
                + "WHERE district_id = @p0 AND id = @p1 AND lease_owner = @p2 AND attempts = @p3 AND completed_at IS NULL",
                [D, (ColKind.Long, entry.Id), (ColKind.Text, workerId), (ColKind.Int, entry.Attempts), (ColKind.Time, now)],
                cancellationToken).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    public Task<bool> FailAsync(OutboxEntry entry, string workerId, DateTimeOffset? nextAttemptAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(reason);
        var error = reason.Length > 2000 ? reason[..2000] : reason;
        var sql = nextAttemptAt is null
            ? "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, last_error = @p4, dead_lettered = @p5 "
              + "WHERE district_id = @p0 AND id = @p1 AND lease_owner = @p2 AND attempts = @p3 AND completed_at IS NULL"
            : "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, last_error = @p4, next_attempt_at = @p5 "
              + "WHERE district_id = @p0 AND id = @p1 AND lease_owner = @p2 AND attempts = @p3 AND completed_at IS NULL";
        (ColKind, object?) last = nextAttemptAt is { } next ? (ColKind.Time, next) : (ColKind.Bool, true);
        return RunAsync(
            "failing an outbox entry",
            async c => await ExecAsync(c, null, sql, [D, (ColKind.Long, entry.Id), (ColKind.Text, workerId), (ColKind.Int, entry.Attempts), (ColKind.Text, error), last], cancellationToken).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken) =>
        RunAsync(
            "counting outbox entries",
            async c =>
            {
                var cmd = Command(
                    c,
                    null,
                    "SELECT COALESCE(SUM(CASE WHEN completed_at IS NULL AND dead_lettered = @p1 THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN completed_at IS NULL AND dead_lettered = @p2 THEN 1 ELSE 0 END), 0) FROM outbox WHERE district_id = @p0",
                    [D, (ColKind.Bool, false), (ColKind.Bool, true)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        return new OutboxCounts(
                            Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                            Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                            Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture));
                    }
                }
            },
            cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListDeadLettersAsync(long? afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return RunAsync<IReadOnlyList<OutboxEntry>>(
            "listing dead-lettered outbox entries",
            async c =>
            {
                var cmd = Command(
                    c,
                    null,
                    "SELECT " + OutboxColumns + " FROM outbox WHERE district_id = @p0 AND dead_lettered = @p1 AND completed_at IS NULL AND id > @p2 ORDER BY id LIMIT @p3",
                    [D, (ColKind.Bool, true), (ColKind.Long, afterId ?? long.MinValue), (ColKind.Long, (long)limit)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var list = new List<OutboxEntry>();
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            list.Add(ReadEntry(reader));
                        }
                    }

                    return list;
                }
            },
            cancellationToken);
    }

    public Task<int> RequeueAsync(IEnumerable<long> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return Task.FromResult(0);
        }

        return RunAsync(
            "requeueing dead-lettered outbox entries",
            async c =>
            {
                var tx = await BeginWriteAsync(c, cancellationToken).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    var requeued = 0;
                    foreach (var chunk in distinct.Chunk(500))
                    {
                        var args = new List<(ColKind Kind, object? Value)> { D, (ColKind.Bool, false), (ColKind.Time, now), (ColKind.Bool, true) };
                        args.AddRange(chunk.Select(id => (ColKind.Long, (object?)id)));
                        var sql =
                            "UPDATE outbox SET dead_lettered = @p1, attempts = 0, next_attempt_at = @p2, lease_owner = NULL, lease_until = NULL "
                            + "WHERE district_id = @p0 AND dead_lettered = @p3 AND completed_at IS NULL AND id IN ("
                            + string.Join(", ", Enumerable.Range(4, chunk.Length).Select(P)) + ")";
                        requeued += await ExecAsync(c, tx, sql, [.. args], cancellationToken).ConfigureAwait(false);
                    }

                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return requeued;
                }
            },
            cancellationToken);
    }
}
