using System.Data.Common;
using System.Globalization;
using Backpack.Core.Storage;

namespace Backpack.Core.Relational;

/// <content>Writes: a change set in one transaction, every aggregate's version checked, its key columns, side rows and maintained counts written with it.</content>
internal abstract partial class RelationalStore
{
    public Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return RunAsync(
            "saving changes",
            async c =>
            {
                var tx = await BeginWriteAsync(c, cancellationToken).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    var evidence = new EvidenceDelta();
                    foreach (var item in Schema.RowsOf(changes))
                    {
                        await WriteAggregateAsync(c, tx, item, cancellationToken, evidence).ConfigureAwait(false);
                    }

                    await ApplyEvidenceAsync(c, tx, evidence, cancellationToken).ConfigureAwait(false);

                    foreach (var checkpoint in changes.Checkpoints)
                    {
                        await WriteCheckpointAsync(c, tx, checkpoint, cancellationToken).ConfigureAwait(false);
                    }

                    foreach (var record in changes.Audit)
                    {
                        await ExecAsync(c, tx, AuditInsertSql, Args(Schema.AuditValues(record), ColKind.Time, ColKind.Text, ColKind.Id, ColKind.Json), cancellationToken).ConfigureAwait(false);
                    }

                    foreach (var m in changes.Outbox)
                    {
                        await ExecAsync(
                            c,
                            tx,
                            OutboxInsertSql,
                            [D, (ColKind.Text, m.Operation), (ColKind.Text, m.IdempotencyKey), (ColKind.Text, m.Payload), (ColKind.Time, m.CreatedAt)],
                            cancellationToken).ConfigureAwait(false);
                    }

                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
            },
            cancellationToken);
    }

    private (ColKind, object?)[] Args(object?[] values, params ColKind[] kinds)
    {
        var args = new (ColKind, object?)[values.Length + 1];
        args[0] = D;
        for (var i = 0; i < values.Length; i++)
        {
            args[i + 1] = (kinds[i], values[i]);
        }

        return args;
    }

    private (ColKind, object?)[] RowArgs(TableDef table, object?[] values, int extra = 0)
    {
        var args = new (ColKind, object?)[values.Length + 1 + extra];
        args[0] = D;
        for (var i = 0; i < values.Length; i++)
        {
            args[i + 1] = (table.Columns[i + 1].Kind, values[i]);
        }

        return args;
    }

    /// <summary>
    /// Writes one aggregate's rows. With <paramref name="evidence"/>, an artifact's old alignment rows (returned by their
    /// delete) and new ones are added to it as differences of the evidence counts, and a student or an artifact's owner
    /// is marked for its <c>student_years</c> to be recomputed.
    /// </summary>
    private async Task WriteAggregateAsync(DbConnection c, DbTransaction tx, AggregateRows item, CancellationToken cancellationToken, EvidenceDelta? evidence = null)
    {
        var sql = _mainSql[item.Table.Name];
        int n;
        if (item.ExpectedVersion == 0 || item.InsertOnly)
        {
            n = await ExecAsync(c, tx, sql.Insert, RowArgs(item.Table, item.Values), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var args = RowArgs(item.Table, item.Values, 1);
            args[^1] = (ColKind.Long, item.ExpectedVersion);
            n = await ExecAsync(c, tx, sql.Update, args, cancellationToken).ConfigureAwait(false);
        }

        if (n != 1)
        {
            var cmd = Command(c, tx, sql.Version, [D, Id(item.Id)]);
            long? actual;
            await using (cmd.ConfigureAwait(false))
            {
                var v = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                actual = v is null or DBNull ? null : Convert.ToInt64(v, CultureInfo.InvariantCulture);
            }

            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            LogConflict(Logger, item.Kind, item.DisplayId, item.ExpectedVersion);
            throw new BackpackConcurrencyException(item.Kind, item.DisplayId, item.ExpectedVersion, actual);
        }

        if (evidence is not null && item.Table == Schema.Students)
        {
            evidence.Students.Add(item.Id);
        }

        foreach (var side in item.Sides)
        {
            var s = _sideSql[side.Table.Name];
            var alignments = evidence is not null && side.Table == Schema.ArtifactAlignments;
            if (item.ExpectedVersion != 0 && alignments)
            {
                // The old alignments leave the counts: the delete returns them.
                var cmd = Command(c, tx, s.Delete + " RETURNING student_id, year, grade, skill_id, has_reasoning, state, reflection_count", [D, Id(item.Id)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            evidence!.Add(reader.GetGuid(0), Int(reader, 1), Int(reader, 2), reader.GetGuid(3), Convert.ToBoolean(reader.GetValue(4), CultureInfo.InvariantCulture), Int(reader, 5), Int(reader, 6), -1);
                        }
                    }
                }
            }
            else if (item.ExpectedVersion != 0)
            {
                await ExecAsync(c, tx, s.Delete, [D, Id(item.Id)], cancellationToken).ConfigureAwait(false);
            }

            foreach (var row in side.Rows)
            {
                await ExecAsync(c, tx, s.Insert, RowArgs(side.Table, row), cancellationToken).ConfigureAwait(false);
                if (alignments)
                {
                    // [artifact_id, skill_id, student_id, has_reasoning, year, grade, state, reflection_count]
                    evidence!.Add((Guid)row[2]!, (int)row[4]!, (int)row[5]!, (Guid)row[1]!, (bool)row[3]!, (int)row[6]!, (int)row[7]!, +1);
                }
            }

            if (alignments && item.Table == Schema.Artifacts)
            {
                // An artifact without alignments still names its owner (it may have moved from another student).
                evidence!.Students.Add((Guid)item.Values[2]!);
            }
        }
    }
}
