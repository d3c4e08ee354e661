using System.Data.Common;
using Backpack.Core.Relational;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Backpack.Core.PostgreSql;

/// <summary>The PostgreSQL dialect of the relational store.</summary>
internal sealed class PostgreSqlEngine : RelationalStore
{
    /// <summary>The advisory lock key that serializes migrations across processes ("BKPK" + 1).</summary>
    private const long MigrationLockKey = 0x424B_504B_0000_0001;

    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlEngine(PostgreSqlStoreOptions options, string districtId, TimeProvider clock, ILogger logger)
        : base(districtId, clock, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (Database, Host, _dataSource) = ParseConnectionString(
            "PostgreSQL",
            options.ConnectionString,
            "Host=db;Database=backpack;Username=backpack",
            cs =>
            {
                var builder = new NpgsqlDataSourceBuilder(cs);
                var settings = builder.ConnectionStringBuilder;
                return (settings.Database ?? settings.Username ?? "(default)", settings.Host ?? "(default host)", builder.Build());
            });
    }

    public string Database { get; }

    public string Host { get; }

    /// <summary>PostgreSQL's types; sequence numbers the database assigns; report rows covered by their primary key's index.</summary>
    private static readonly SqlTypes PostgreSqlTypes = new(
        Id: "uuid", Text: "text", Int: "integer", Long: "bigint", Bool: "boolean", False: "false", Json: "jsonb", Time: "timestamptz",
        Identity: "GENERATED ALWAYS AS IDENTITY", WithoutRowId: string.Empty, Include: columns => " INCLUDE (" + columns + ")");

    protected override SqlTypes Types => PostgreSqlTypes;

    protected override string Engine => "PostgreSQL";

    protected override string LeaseLockClause => " FOR UPDATE SKIP LOCKED";

    protected override string AuditInsertSql =>
        "INSERT INTO audit (district_id, at, actor_id, student_id, doc) VALUES (@p0, @p1, @p2, @p3, @p4)";

    protected override string OutboxInsertSql =>
        "INSERT INTO outbox (district_id, operation, idempotency_key, payload, created_at, attempts, next_attempt_at, dead_lettered) "
        + "VALUES (@p0, @p1, @p2, @p3, @p4, 0, @p4, false) ON CONFLICT (district_id, idempotency_key) DO NOTHING";

    protected override string GuidLiteral(Guid id) => "'" + id.ToString("D") + "'::uuid";

    protected override string DocText => "doc::text";

    protected override async Task AfterPurgeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Dead tuples keep a purged student's bytes in the heap until vacuumed: vacuum the tables a purge touches
        // (one statement: VACUUM cannot run in a transaction, and a batch of statements is one).
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "VACUUM students, enrollments, rosters, roster_members, artifacts, artifact_alignments, evidence_counts, student_years, student_groups, evaluations, evaluation_scores, milestones, audit, outbox, sync_checkpoints";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task AfterBulkLoadAsync(DbConnection connection)
    {
        // The report rows a bulk load wrote: vacuumed (visibility map set) and analyzed, so reports read them by an
        // index-only scan of the covering primary key in (school, grade) order. VACUUM runs outside any transaction.
        // After a failed load (which may have broken the connection) the load's own error is the one to report.
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "VACUUM (ANALYZE) student_years";
        cmd.CommandTimeout = 0;
        try
        {
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException) when (connection.State != System.Data.ConnectionState.Open)
        {
        }
    }

    protected override async Task AnalyzeAsync(DbConnection connection, DbTransaction tx, string tables, CancellationToken cancellationToken)
    {
        var cmd = Command(connection, tx, "ANALYZE " + tables, []);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task LockAsync(DbConnection connection, DbTransaction tx, long key, CancellationToken cancellationToken) =>
        await ExecAsync(connection, tx, "SELECT pg_advisory_xact_lock(@p0)", [(ColKind.Long, key)], cancellationToken).ConfigureAwait(false);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    protected override void Bind(DbCommand command, string name, ColKind kind, object? value) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter(name, TypeOf(kind)) { Value = ToDb(value) });

    private static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => t.ToUniversalTime(),
        _ => value,
    };

    private static NpgsqlDbType TypeOf(ColKind kind) => kind switch
    {
        ColKind.Id => NpgsqlDbType.Uuid,
        ColKind.Int => NpgsqlDbType.Integer,
        ColKind.Long => NpgsqlDbType.Bigint,
        ColKind.Bool => NpgsqlDbType.Boolean,
        ColKind.Time => NpgsqlDbType.TimestampTz,
        ColKind.Json => NpgsqlDbType.Jsonb,
        _ => NpgsqlDbType.Text,
    };

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    protected override bool IsProviderException(Exception exception) => exception is NpgsqlException;

    protected override BackpackStoreException Translate(Exception exception, string operation)
    {
        if (exception is PostgresException pg)
        {
            var state = pg.SqlState;
            var (why, transient) = state switch
            {
                "40001" => ("a concurrent transaction conflicted (serialization failure)", true),
                "40P01" => ("a deadlock with a concurrent transaction was detected", true),
                "57014" => ("the statement timed out or was cancelled", true),
                "28000" or "28P01" => ($"the server rejected the credentials for database '{Database}': check the user name and password", false),
                "3D000" => ($"the database '{Database}' does not exist on {Host}: create it or fix the connection string", false),
                "42501" => ("the database user lacks a privilege the store needs", false),
                "23505" => ("a row conflicts with one already stored (a duplicate id?)", false),
                _ when state.StartsWith("42", StringComparison.Ordinal) => ("the database schema does not match what this library expects", false),
                _ when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal)
                    => ("the server is unavailable, overloaded or shutting down; retry later", true),
                _ => ("the server reported an error", pg.IsTransient),
            };
            return new BackpackStoreException($"PostgreSQL store failed while {operation}: {why} (SQLSTATE {state}: {pg.MessageText}).", transient, exception);
        }

        var npgsql = (NpgsqlException)exception;
        return new BackpackStoreException(
            npgsql.IsTransient
                ? $"PostgreSQL store failed while {operation}: could not reach the server {Host}; retry later ({npgsql.Message})."
                : $"PostgreSQL store failed while {operation}: {npgsql.Message}.",
            npgsql.IsTransient,
            exception);
    }

    protected override async Task<bool> SchemaVersionTableExistsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var cmd = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        await using (cmd.ConfigureAwait(false))
        {
            return (bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    protected override Task LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        AdvisoryAsync(connection, "SELECT pg_advisory_lock(@p0)", cancellationToken);

    protected override Task UnlockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        AdvisoryAsync(connection, "SELECT pg_advisory_unlock(@p0)", cancellationToken);

    private static async Task AdvisoryAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        var cmd = new NpgsqlCommand(sql, (NpgsqlConnection)connection);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.Parameters.Add(new NpgsqlParameter("p0", NpgsqlDbType.Bigint) { Value = MigrationLockKey });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task BulkLoadCoreAsync(DbConnection connection, DbTransaction transaction, IAsyncEnumerable<AggregateRows> rows, CancellationToken cancellationToken)
    {
        // Main rows stream into their table's COPY as they are produced (serialized), so the server parses and
        // indexes one batch while the next documents are serialized; side rows are buffered and copied last.
        var c = (NpgsqlConnection)connection;
        var sides = new Dictionary<TableDef, List<object?[]>>();
        NpgsqlBinaryImporter? writer = null;
        TableDef? current = null;
        try
        {
            await foreach (var item in rows.ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!ReferenceEquals(item.Table, current))
                {
                    await CompleteAsync().ConfigureAwait(false);
                    current = item.Table;
                    writer = await BeginCopyAsync(c, current, cancellationToken).ConfigureAwait(false);
                }

                await WriteRowAsync(writer!, current, item.Values, cancellationToken).ConfigureAwait(false);
                foreach (var side in item.Sides)
                {
                    if (!sides.TryGetValue(side.Table, out var list))
                    {
                        sides[side.Table] = list = [];
                    }

                    list.AddRange(side.Rows);
                }
            }

            await CompleteAsync().ConfigureAwait(false);
            foreach (var table in Schema.SideTables)
            {
                if (!sides.TryGetValue(table, out var list) || list.Count == 0)
                {
                    continue;
                }

                writer = await BeginCopyAsync(c, table, cancellationToken).ConfigureAwait(false);
                foreach (var values in list)
                {
                    await WriteRowAsync(writer, table, values, cancellationToken).ConfigureAwait(false);
                }

                await CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        async Task CompleteAsync()
        {
            if (writer is not null)
            {
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                await writer.DisposeAsync().ConfigureAwait(false);
                writer = null;
            }
        }
    }

    private static Task<NpgsqlBinaryImporter> BeginCopyAsync(NpgsqlConnection connection, TableDef table, CancellationToken cancellationToken) =>
        connection.BeginBinaryImportAsync($"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);

    private async Task WriteRowAsync(NpgsqlBinaryImporter writer, TableDef table, object?[] values, CancellationToken cancellationToken)
    {
        await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await writer.WriteAsync(DistrictId, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < values.Length; i++)
        {
            // Written by CLR type when it is the column's own type (no per-value type lookup); otherwise converted
            // to the column's type by Npgsql.
            var kind = table.Columns[i + 1].Kind;
            var task = (values[i], kind) switch
            {
                (null, _) => writer.WriteNullAsync(cancellationToken),
                (Guid g, ColKind.Id) => writer.WriteAsync(g, cancellationToken),
                (int n, ColKind.Int) => writer.WriteAsync(n, cancellationToken),
                (long n, ColKind.Long) => writer.WriteAsync(n, cancellationToken),
                (bool b, ColKind.Bool) => writer.WriteAsync(b, cancellationToken),
                (string s, ColKind.Text) => writer.WriteAsync(s, cancellationToken),
                (string s, ColKind.Json) => writer.WriteAsync(s, NpgsqlDbType.Jsonb, cancellationToken),
                (DateTimeOffset t, _) => writer.WriteAsync(t.ToUniversalTime(), TypeOf(kind), cancellationToken),
                (var other, _) => writer.WriteAsync(other, TypeOf(kind), cancellationToken),
            };
            await task.ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dataSource.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }
}
