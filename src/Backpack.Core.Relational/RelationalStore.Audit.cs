using System.Data.Common;
using System.Globalization;
using System.Text;
using Backpack.Core.Access;
using Backpack.Core.Sync;

namespace Backpack.Core.Relational;

/// <content>The audit trail (read; records are written with their change set) and the sync checkpoints (optimistic versions).</content>
internal abstract partial class RelationalStore
{
    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT doc FROM audit WHERE district_id = @p0");
        var args = new List<(ColKind, object?)> { D };
        if (query.StudentId is { } s)
        {
            args.Add(Id(s.Value));
            sql.Append(CultureInfo.InvariantCulture, $" AND student_id = {P(args.Count - 1)}");
        }

        if (query.ActorId is { } a)
        {
            args.Add((ColKind.Text, a));
            sql.Append(CultureInfo.InvariantCulture, $" AND actor_id = {P(args.Count - 1)}");
        }

        if (query.From is { } f)
        {
            args.Add((ColKind.Time, f));
            sql.Append(CultureInfo.InvariantCulture, $" AND at >= {P(args.Count - 1)}");
        }

        args.Add((ColKind.Long, (long)Math.Max(0, query.Limit)));
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY at, seq LIMIT {P(args.Count - 1)}");
        return ListDocsAsync<AuditRecord>("reading the audit trail", sql.ToString(), [.. args], cancellationToken);
    }

    private async Task WriteCheckpointAsync(DbConnection c, DbTransaction tx, SyncCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var n = checkpoint.Version == 0
            ? await ExecAsync(c, tx, "INSERT INTO sync_checkpoints (district_id, key, version, value) VALUES (@p0, @p1, 1, @p2) ON CONFLICT DO NOTHING", [D, (ColKind.Text, checkpoint.Key), (ColKind.Text, checkpoint.Value)], cancellationToken).ConfigureAwait(false)
            : await ExecAsync(c, tx, "UPDATE sync_checkpoints SET version = version + 1, value = @p2 WHERE district_id = @p0 AND key = @p1 AND version = @p3", [D, (ColKind.Text, checkpoint.Key), (ColKind.Text, checkpoint.Value), (ColKind.Long, checkpoint.Version)], cancellationToken).ConfigureAwait(false);
        if (n != 1)
        {
            var cmd = Command(c, tx, "SELECT version FROM sync_checkpoints WHERE district_id = @p0 AND key = @p1", [D, (ColKind.Text, checkpoint.Key)]);
            long? actual;
            await using (cmd.ConfigureAwait(false))
            {
                var v = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                actual = v is null or DBNull ? null : Convert.ToInt64(v, CultureInfo.InvariantCulture);
            }

            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            LogConflict(Logger, "checkpoint", checkpoint.Key, checkpoint.Version);
            throw new BackpackConcurrencyException("checkpoint", checkpoint.Key, checkpoint.Version, actual);
        }
    }

    public Task<SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RunAsync("reading a sync checkpoint", async c => (await QueryCheckpointsAsync(c, "SELECT key, value, version FROM sync_checkpoints WHERE district_id = @p0 AND key = @p1", key, cancellationToken).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);
    }

    public Task<IReadOnlyList<SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return RunAsync<IReadOnlyList<SyncCheckpoint>>(
            "listing sync checkpoints",
            async c =>
            {
                var list = await QueryCheckpointsAsync(c, "SELECT key, value, version FROM sync_checkpoints WHERE district_id = @p0 AND substr(key, 1, length(@p1)) = @p1", prefix, cancellationToken).ConfigureAwait(false);
                list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                return list;
            },
            cancellationToken);
    }

    private async Task<List<SyncCheckpoint>> QueryCheckpointsAsync(DbConnection c, string sql, string key, CancellationToken cancellationToken)
    {
        var cmd = Command(c, null, sql, [D, (ColKind.Text, key)]);
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var list = new List<SyncCheckpoint>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new SyncCheckpoint(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }

                return list;
            }
        }
    }
}
