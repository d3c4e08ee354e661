using System.Data.Common;
using Backpack.Core.Access;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Relational;

/// <content>Retention: listing exited students and purging one student in one transaction.</content>
internal abstract partial class RelationalStore
{
    /// <summary>The SQL expression for a <c>doc</c> column as text (for a search by id inside documents).</summary>
    protected virtual string DocText => "doc";

    /// <summary>Runs after a purge committed, outside its transaction: reclaims the freed space so no old bytes stay in the files.</summary>
    protected virtual Task AfterPurgeAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<Student>> ListExitedStudentsAsync(DateOnly exitedOnOrBefore, CancellationToken cancellationToken)
    {
        // The exit date lives in the document: a scan, filtered by the domain rule (a job's read, not a request's).
        var all = await ListDocsAsync<Student>("listing exited students", "SELECT doc FROM students WHERE district_id = @p0", [D], cancellationToken).ConfigureAwait(false);
        return all.Where(s => s.ExitedOn() is { } exit && exit <= exitedOnOrBefore).OrderBy(s => s.Id).ToArray();
    }

    public Task<StudentPurgeResult> PurgeStudentAsync(StudentId student, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RunAsync(
            "purging a student",
            async c =>
            {
                var id = Id(student.Value);
                var like = (ColKind.Text, (object?)("%" + student.Value.ToString("D") + "%"));
                StudentPurgeResult result;
                var tx = await BeginWriteAsync(c, cancellationToken).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    async Task<int> Delete(string sql) => await ExecAsync(c, tx, sql, [D, id], cancellationToken).ConfigureAwait(false);
                    await Delete("DELETE FROM artifact_alignments WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    await Delete("DELETE FROM evidence_counts WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    await LockAsync(c, tx, LockKey(CellsLock), cancellationToken).ConfigureAwait(false);
                    await UpdateCellsAsync(c, tx, InList([student.Value]), -1, cancellationToken).ConfigureAwait(false);
                    await Delete("DELETE FROM student_years WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    await Delete("DELETE FROM student_groups WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    var artifacts = await Delete("DELETE FROM artifacts WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    await Delete("DELETE FROM evaluation_scores WHERE district_id = @p0 AND evaluation_id IN (SELECT id FROM evaluations WHERE district_id = @p0 AND student_id = @p1)").ConfigureAwait(false);
                    var evaluations = await Delete("DELETE FROM evaluations WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    var milestones = await Delete("DELETE FROM milestones WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    var enrollments = await Delete("DELETE FROM enrollments WHERE district_id = @p0 AND student_id = @p1").ConfigureAwait(false);
                    var removed = await Delete("DELETE FROM students WHERE district_id = @p0 AND id = @p1").ConfigureAwait(false) > 0;

                    // Rosters name the student in their members and departures: rewrite each without them.
                    var rosters = await QueryDocsAsync<Roster>(c, tx, $"SELECT doc FROM rosters WHERE district_id = @p0 AND {DocText} LIKE @p1", [D, like], cancellationToken).ConfigureAwait(false);
                    foreach (var r in rosters)
                    {
                        var without = r with
                        {
                            Students = r.Students.Where(s => s != student).ToValueList(),
                            Departures = r.Departures.Where(d => d.StudentId != student).ToValueList(),
                        };
                        await WriteAggregateAsync(c, tx, Schema.Rows(without), cancellationToken).ConfigureAwait(false);
                    }

                    var checkpoints = await ExecAsync(c, tx, "DELETE FROM sync_checkpoints WHERE district_id = @p0 AND (key LIKE @p1 OR value LIKE @p1)", [D, like], cancellationToken).ConfigureAwait(false);
                    var outbox = await ExecAsync(c, tx, "DELETE FROM outbox WHERE district_id = @p0 AND (idempotency_key LIKE @p1 OR payload LIKE @p1) AND operation NOT LIKE @p2", [D, like, (ColKind.Text, (object?)("%" + Sync.OutboxOperations.KeptOnPurgeSuffix))], cancellationToken).ConfigureAwait(false);

                    // Audit rows keep ids, actions and times; their detail goes.
                    var redacted = 0;
                    var audit = await QuerySeqDocsAsync(c, tx, "SELECT seq, doc FROM audit WHERE district_id = @p0 AND student_id = @p1", [D, id], cancellationToken).ConfigureAwait(false);
                    foreach (var (seq, doc) in audit)
                    {
                        var a = BackpackJson.Deserialize<AuditRecord>(doc);
                        if (a.Detail is not null)
                        {
                            await ExecAsync(c, tx, "UPDATE audit SET doc = @p1 WHERE district_id = @p0 AND seq = @p2", [D, (ColKind.Json, BackpackJson.Serialize(a with { Detail = null })), (ColKind.Long, seq)], cancellationToken).ConfigureAwait(false);
                            redacted++;
                        }
                    }

                    await ExecAsync(c, tx, AuditInsertSql, Args(Schema.AuditValues(record), ColKind.Time, ColKind.Text, ColKind.Id, ColKind.Json), cancellationToken).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    result = new StudentPurgeResult(student, removed, enrollments, artifacts, evaluations, milestones, rosters.Count, checkpoints, outbox, redacted);
                }

                await AfterPurgeAsync(c, cancellationToken).ConfigureAwait(false);
                return result;
            },
            cancellationToken);
    }

    private async Task<List<(long Seq, string Doc)>> QuerySeqDocsAsync(DbConnection connection, DbTransaction transaction, string sql, (ColKind Kind, object? Value)[] args, CancellationToken cancellationToken)
    {
        var cmd = Command(connection, transaction, sql, args);
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var list = new List<(long, string)>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add((reader.GetInt64(0), reader.GetString(1)));
                }

                return list;
            }
        }
    }
}
