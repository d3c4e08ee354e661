using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Relational;

/// <summary>
/// The store logic shared by the SQLite and PostgreSQL stores: aggregates as JSON documents plus the key
/// columns queries use, optimistic concurrency, the outbox, audit, reports in SQL, and migrations. The
/// dialects supply connections, transactions, type bindings, a few SQL fragments and error translation.
/// </summary>
internal abstract partial class RelationalStore : IDisposable
{
    private readonly SemaphoreSlim _migrationGate = new(1, 1);

    // Report parts running at once across all reports of this store, so concurrent reports share the processors
    // (and the connection pool) instead of each opening one connection per part.
    private readonly SemaphoreSlim _reportGate = new(DefaultReportPartitions, DefaultReportPartitions);
    private readonly Dictionary<string, (string Insert, string Update, string Version)> _mainSql = [];
    private readonly Dictionary<string, (string Delete, string Insert)> _sideSql = [];
    private volatile bool _migrated;

    protected RelationalStore(string districtId, TimeProvider clock, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(districtId);
        DistrictId = districtId;
        Clock = clock;
        Logger = logger;
        foreach (var t in Schema.MainTables)
        {
            var cols = t.Columns;
            var ps = string.Join(", ", cols.Select((_, i) => P(i)));
            var sets = string.Join(", ", cols.Skip(2).Select((c, i) => $"{c.Name} = {P(i + 2)}"));
            _mainSql[t.Name] = (
                $"INSERT INTO {t.Name} ({t.ColumnList}) VALUES ({ps}) ON CONFLICT DO NOTHING",
                $"UPDATE {t.Name} SET {sets} WHERE district_id = {P(0)} AND id = {P(1)} AND version = {P(cols.Length)}",
                t == Schema.Rubrics
                    ? $"SELECT MAX(version) FROM {t.Name} WHERE district_id = {P(0)} AND id = {P(1)}"
                    : $"SELECT version FROM {t.Name} WHERE district_id = {P(0)} AND id = {P(1)}");
        }

        foreach (var t in Schema.SideTables)
        {
            _sideSql[t.Name] = (
                $"DELETE FROM {t.Name} WHERE district_id = {P(0)} AND {t.Columns[1].Name} = {P(1)}",
                $"INSERT INTO {t.Name} ({t.ColumnList}) VALUES ({string.Join(", ", t.Columns.Select((_, i) => P(i)))})");
        }
    }

    public string DistrictId { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the engine's connections, asynchronously where its pool can (<see cref="DisposeAsyncCore"/>), then as <see cref="Dispose()"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        Dispose();
    }

    /// <summary>Closes what can be closed asynchronously (PostgreSQL: the connection pool); <see cref="Dispose(bool)"/> runs after it.</summary>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _migrationGate.Dispose();
            _reportGate.Dispose();
        }
    }

    protected TimeProvider Clock { get; }

    protected ILogger Logger { get; }

    /// <summary>The engine's column types and storage clauses, in which the migrations are written.</summary>
    protected abstract SqlTypes Types { get; }

    private static int LatestVersion => RelationalMigrations.LatestVersion;

    /// <summary>The engine's name in messages.</summary>
    protected abstract string Engine { get; }

    /// <summary>" FOR UPDATE SKIP LOCKED" where the engine has row locks.</summary>
    protected abstract string LeaseLockClause { get; }

    protected abstract string AuditInsertSql { get; }

    protected abstract string OutboxInsertSql { get; }

    /// <summary>A GUID literal of the dialect (for inline report constants).</summary>
    protected abstract string GuidLiteral(Guid id);

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a write transaction (SQLite: <c>BEGIN IMMEDIATE</c>).</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    protected abstract void Bind(DbCommand command, string name, ColKind kind, object? value);

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Whether the exception comes from the provider (and must be translated).</summary>
    protected abstract bool IsProviderException(Exception exception);

    /// <summary>Translates a provider exception into a store exception saying what failed and whether retrying can help.</summary>
    protected abstract BackpackStoreException Translate(Exception exception, string operation);

    /// <summary>Serializes migrations between processes: a session-level lock taken before the migration transactions begin (so each sees what an earlier holder committed).</summary>
    protected abstract Task LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Releases the lock taken by <see cref="LockForMigrationAsync"/>.</summary>
    protected abstract Task UnlockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Runs before the first migration transaction, after the version check (SQLite: WAL mode).</summary>
    protected virtual Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs on the bulk load's connection before its transaction begins (SQLite: relaxed durability for the load).</summary>
    protected virtual Task BeforeBulkLoadAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs on the bulk load's connection after its transaction ended, committed or not (undoes <see cref="BeforeBulkLoadAsync"/>).</summary>
    protected virtual Task AfterBulkLoadAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Whether <see cref="BulkLoadCoreAsync"/> receives documents as UTF-8 JSON bytes (<see cref="byte"/> arrays) instead of strings.</summary>
    protected virtual bool BulkJsonAsUtf8 => false;

    /// <summary>Writes a whole data set as new rows, in one transaction.</summary>
    /// <remarks>The rows are built (documents serialized) on another thread, ahead of the consumer.</remarks>
    protected abstract Task BulkLoadCoreAsync(DbConnection connection, DbTransaction transaction, IAsyncEnumerable<AggregateRows> rows, CancellationToken cancellationToken);

    protected static string P(int i) => "@p" + i.ToString(CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- running, errors, migrations

    protected async Task<T> RunAsync<T>(string operation, Func<DbConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await body(connection).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsProviderException(ex))
        {
            var translated = Translate(ex, operation);
            LogStoreError(Logger, Engine, operation, translated.IsTransient, ex.GetType().Name);
            throw translated;
        }
    }

    /// <summary>Applies pending migrations once per store instance (under a lock), before the first use.</summary>
    public async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await MigrateToAsync(null, cancellationToken).ConfigureAwait(false);
                await EnsureReportBasisAsync(cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migrationGate.Release();
        }
    }

    /// <summary>Reads the schema version: 0 for an empty database.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsProviderException(ex))
        {
            throw Translate(ex, "reading the schema version");
        }
    }

    protected abstract Task<bool> SchemaVersionTableExistsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    private async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (!await SchemaVersionTableExistsAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var cmd = connection.CreateCommand();
        await using (cmd.ConfigureAwait(false))
        {
            cmd.Transaction = transaction;
            cmd.CommandText = "SELECT MAX(version) FROM schema_version";
            var v = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return v is null or DBNull ? 0 : Convert.ToInt32(v, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Migrates to <paramref name="target"/> (the latest when <see langword="null"/>), one transaction per
    /// migration, recorded in <c>schema_version</c>. Refuses a database whose schema is newer than this
    /// library, touching nothing.
    /// </summary>
    public async Task<int> MigrateToAsync(int? target, CancellationToken cancellationToken)
    {
        var goal = target ?? LatestVersion;
        if (goal < 0 || goal > LatestVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(target), goal, $"Schema versions run from 0 to {LatestVersion}.");
        }

        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var current = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
                EnsureNotNewer(current);
                if (current >= goal)
                {
                    return current;
                }

                await PrepareDatabaseAsync(connection, cancellationToken).ConfigureAwait(false);
                await LockForMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
                try
                {
                    foreach (var m in RelationalMigrations.All.Where(m => m.Version <= goal))
                    {
                        await ApplyAsync(connection, m, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await UnlockForMigrationAsync(connection, CancellationToken.None).ConfigureAwait(false);
                }

                return goal;
            }
        }
        catch (Exception ex) when (IsProviderException(ex))
        {
            throw Translate(ex, "migrating the schema");
        }
    }

    private async Task ApplyAsync(DbConnection connection, Migration m, CancellationToken cancellationToken)
    {
        var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            var current = await ReadVersionAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            EnsureNotNewer(current);
            if (current >= m.Version)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var statement in m.Sql(Types).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await ExecAsync(connection, tx, statement, [], cancellationToken).ConfigureAwait(false);
            }

            await ExecAsync(
                connection,
                tx,
                "INSERT INTO schema_version (version, description, applied_at) VALUES (@p0, @p1, @p2)",
                [(ColKind.Int, m.Version), (ColKind.Text, m.Description), (ColKind.Time, Clock.GetUtcNow())],
                cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogMigrated(Logger, Engine, m.Version);
        }
    }

    private void EnsureNotNewer(int current)
    {
        if (current > LatestVersion)
        {
            throw new BackpackStoreException(
                $"The {Engine} database is at schema version {current}, newer than the {LatestVersion} this version of Backpack.Core supports. It was left untouched: upgrade the Backpack.Core packages (or point at another database).",
                isTransient: false,
                innerException: null);
        }
    }

    // ---------------------------------------------------------------- command helpers

    protected DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, ReadOnlySpan<(ColKind Kind, object? Value)> args)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            Bind(cmd, P(i), args[i].Kind, args[i].Value);
        }

        return cmd;
    }

    protected async Task<int> ExecAsync(DbConnection connection, DbTransaction? transaction, string sql, (ColKind Kind, object? Value)[] args, CancellationToken cancellationToken)
    {
        var cmd = Command(connection, transaction, sql, args);
        await using (cmd.ConfigureAwait(false))
        {
            return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<List<T>> QueryDocsAsync<T>(DbConnection connection, string sql, (ColKind Kind, object? Value)[] args, CancellationToken cancellationToken) =>
        QueryDocsAsync<T>(connection, null, sql, args, cancellationToken);

    private async Task<List<T>> QueryDocsAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, (ColKind Kind, object? Value)[] args, CancellationToken cancellationToken)
    {
        var cmd = Command(connection, transaction, sql, args);
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var list = new List<T>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(BackpackJson.Deserialize<T>(reader.GetString(0)));
                }

                return list;
            }
        }
    }

    private (ColKind, object?) D => (ColKind.Text, DistrictId);

    private static (ColKind, object?) Id(Guid id) => (ColKind.Id, id);

    private Task<T?> GetDocAsync<T>(string operation, string sql, (ColKind, object?)[] args, CancellationToken cancellationToken)
        where T : class =>
        RunAsync(operation, async c => (await QueryDocsAsync<T>(c, sql, args, cancellationToken).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    private Task<IReadOnlyList<T>> ListDocsAsync<T>(string operation, string sql, (ColKind, object?)[] args, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<T>>(operation, async c => await QueryDocsAsync<T>(c, sql, args, cancellationToken).ConfigureAwait(false), cancellationToken);

    // ---------------------------------------------------------------- reads

    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken) =>
        GetDocAsync<SkillsFramework>("reading a framework", "SELECT doc FROM frameworks WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken) =>
        ListDocsAsync<SkillsFramework>("listing frameworks", "SELECT doc FROM frameworks WHERE district_id = @p0 ORDER BY id", [D], cancellationToken);

    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken) =>
        GetDocAsync<Rubric>("reading a rubric", "SELECT doc FROM rubrics WHERE district_id = @p0 AND id = @p1 AND version = @p2", [D, Id(rubric.Id.Value), (ColKind.Long, (long)rubric.Version)], cancellationToken);

    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken) =>
        GetDocAsync<Rubric>("reading a rubric", "SELECT doc FROM rubrics WHERE district_id = @p0 AND id = @p1 ORDER BY version DESC LIMIT 1", [D, Id(id.Value)], cancellationToken);

    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken) =>
        ListDocsAsync<School>("listing schools", "SELECT doc FROM schools WHERE district_id = @p0 ORDER BY id", [D], cancellationToken);

    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken) =>
        GetDocAsync<Student>("reading a student", "SELECT doc FROM students WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var column = kind switch
        {
            StudentIdentityKind.DistrictStudentId => "district_student_id",
            StudentIdentityKind.GoogleUserId => "google_user_id",
            StudentIdentityKind.OneRosterSourcedId => "oneroster_sourced_id",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identity kind."),
        };
        return GetDocAsync<Student>("finding a student", $"SELECT doc FROM students WHERE district_id = @p0 AND {column} = @p1 ORDER BY id LIMIT 1", [D, (ColKind.Text, value)], cancellationToken);
    }

    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken) =>
        GetDocAsync<Roster>("reading a roster", "SELECT doc FROM rosters WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken) =>
        ListRostersAsync(teacher.Value, Schema.TeacherRole, year, cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken) =>
        ListRostersAsync(student.Value, Schema.StudentRole, year, cancellationToken);

    private Task<IReadOnlyList<Roster>> ListRostersAsync(Guid member, int role, SchoolYear year, CancellationToken cancellationToken) =>
        ListDocsAsync<Roster>(
            "listing rosters",
            // CROSS JOIN fixes the join order on SQLite (members first, by their index); PostgreSQL plans it as an inner join.
            "SELECT r.doc FROM roster_members m CROSS JOIN rosters r "
            + "WHERE m.district_id = @p0 AND m.member_id = @p1 AND m.role = @p2 AND m.year = @p3 AND r.district_id = m.district_id AND r.id = m.roster_id ORDER BY r.id",
            [D, Id(member), (ColKind.Int, role), (ColKind.Int, year.StartYear)],
            cancellationToken);

    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken) =>
        GetDocAsync<Artifact>("reading an artifact", "SELECT doc FROM artifacts WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public async Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Artifact>("listing artifacts", "SELECT doc FROM artifacts WHERE district_id = @p0 AND student_id = @p1", [D, Id(student.Value)], cancellationToken).ConfigureAwait(false));

    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken) =>
        GetDocAsync<Evaluation>("reading an evaluation", "SELECT doc FROM evaluations WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public async Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Evaluation>("listing evaluations", "SELECT doc FROM evaluations WHERE district_id = @p0 AND student_id = @p1", [D, Id(student.Value)], cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<Evaluation>> ListEvaluationsOfRubricAsync(RubricRef rubric, SchoolYear year, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Evaluation>(
            "listing evaluations",
            "SELECT doc FROM evaluations WHERE district_id = @p0 AND rubric_id = @p1 AND rubric_version = @p2 AND year = @p3",
            [D, Id(rubric.Id.Value), (ColKind.Int, rubric.Version), (ColKind.Int, year.StartYear)],
            cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<Student>> ListStudentsAsync(SchoolId school, DateOnly day, CancellationToken cancellationToken)
    {
        // Enrollments of the school up to the date narrow the search; the domain rule (EnrollmentOn) decides.
        var candidates = await ListDocsAsync<Student>(
            "listing students",
            "SELECT doc FROM students WHERE district_id = @p0 AND id IN (SELECT student_id FROM enrollments WHERE district_id = @p0 AND school_id = @p1 AND entry_day <= @p2)",
            [D, Id(school.Value), (ColKind.Int, day.DayNumber)],
            cancellationToken).ConfigureAwait(false);
        return candidates.Where(s => s.EnrollmentOn(day)?.SchoolId == school).OrderBy(s => s.Id).ToArray();
    }

    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken) =>
        GetDocAsync<Milestone>("reading a milestone", "SELECT doc FROM milestones WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public async Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken) =>
        Order(await ListDocsAsync<Milestone>("listing milestones", "SELECT doc FROM milestones WHERE district_id = @p0 AND student_id = @p1", [D, Id(student.Value)], cancellationToken).ConfigureAwait(false));

    private static ValueList<Artifact> Order(IEnumerable<Artifact> items) => items.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToValueList();

    private static ValueList<Evaluation> Order(IEnumerable<Evaluation> items) => items.OrderBy(a => a.ScoredAt).ThenBy(a => a.Id).ToValueList();

    private static ValueList<Milestone> Order(IEnumerable<Milestone> items) => items.OrderBy(a => a.ScheduledAt).ThenBy(a => a.Id).ToValueList();

    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken) =>
        RunAsync(
            "loading a passport",
            async c =>
            {
                const string sql =
                    "SELECT 0, doc FROM students WHERE district_id = @p0 AND id = @p1 "
                    + "UNION ALL SELECT 1, doc FROM artifacts WHERE district_id = @p0 AND student_id = @p1 "
                    + "UNION ALL SELECT 2, doc FROM evaluations WHERE district_id = @p0 AND student_id = @p1 "
                    + "UNION ALL SELECT 3, doc FROM milestones WHERE district_id = @p0 AND student_id = @p1";
                var cmd = Command(c, null, sql, [D, Id(student.Value)]);
                await using (cmd.ConfigureAwait(false))
                {
                    var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        Student? s = null;
                        var artifacts = new List<Artifact>();
                        var evaluations = new List<Evaluation>();
                        var milestones = new List<Milestone>();
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var json = reader.GetString(1);
                            switch (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture))
                            {
                                case 0: s = BackpackJson.Deserialize<Student>(json); break;
                                case 1: artifacts.Add(BackpackJson.Deserialize<Artifact>(json)); break;
                                case 2: evaluations.Add(BackpackJson.Deserialize<Evaluation>(json)); break;
                                default: milestones.Add(BackpackJson.Deserialize<Milestone>(json)); break;
                            }
                        }

                        return s is null ? null : new StudentPassport(s, Order(artifacts), Order(evaluations), Order(milestones));
                    }
                }
            },
            cancellationToken);

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

    // ---------------------------------------------------------------- writes

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

    public Task LoadAsync(DistrictDataSet data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        return RunAsync(
            "bulk loading a district",
            async c =>
            {
                await BeforeBulkLoadAsync(c, cancellationToken).ConfigureAwait(false);
                try
                {
                    var tx = await BeginWriteAsync(c, cancellationToken).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        await BulkLoadCoreAsync(c, tx, BuiltAheadAsync(Schema.RowsOf(data, BulkJsonAsUtf8), cancellationToken), cancellationToken).ConfigureAwait(false);
                        await RecountAllAsync(c, tx, cancellationToken).ConfigureAwait(false);
                        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                }
                finally
                {
                    await AfterBulkLoadAsync(c).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// The rows, built (serialized) on a thread-pool thread a bounded number of items ahead of the consumer, so
    /// serialization overlaps the database's work. A builder error surfaces on the consumer; a consumer leaving
    /// early (a failed insert, cancellation) stops the builder before this returns.
    /// </summary>
    private static async IAsyncEnumerable<AggregateRows> BuiltAheadAsync(IEnumerable<AggregateRows> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<AggregateRows>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var builder = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var item in rows)
                    {
                        await channel.Writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.Complete();
                }
#pragma warning disable CA1031 // Any builder failure is handed to the consumer, which rethrows it.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await builder.ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- outbox

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

    // ---------------------------------------------------------------- logging

    [LoggerMessage(Level = LogLevel.Information, Message = "{Engine} store: applied schema migration {Version}.")]
    private static partial void LogMigrated(ILogger logger, string engine, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Concurrency conflict on {Kind} {Id} (expected version {Expected}); the change set was rolled back.")]
    private static partial void LogConflict(ILogger logger, string kind, string id, long expected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Engine} store failed while {Operation} (transient: {Transient}, error type {ErrorType}).")]
    private static partial void LogStoreError(ILogger logger, string engine, string operation, bool transient, string errorType);
}
