using System.Data.Common;
using System.Globalization;
using Backpack.Core.Relational;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace Backpack.Core.Sqlite;

/// <summary>The SQLite dialect of the relational store.</summary>
internal sealed class SqliteEngine : RelationalStore
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteEngine(SqliteStoreOptions options, string districtId, TimeProvider clock, ILogger logger)
        : base(districtId, clock, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = ParseConnectionString("SQLite", options.ConnectionString, "Data Source=backpack.db", cs => new SqliteConnectionStringBuilder(cs));

        var timeout = Math.Max(0, (int)options.BusyTimeout.TotalMilliseconds);
        builder.Pooling = true;
        builder.DefaultTimeout = Math.Max(1, (timeout + 999) / 1000);
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        _pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {timeout}; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;");
    }

    public string DataSource { get; }

    /// <summary>SQLite's storage classes (ids as text, instants as UTC ticks, booleans as 0/1); report rows clustered on their key.</summary>
    private static readonly SqlTypes SqliteTypes = new(
        Id: "TEXT", Text: "TEXT", Int: "INTEGER", Long: "INTEGER", Bool: "INTEGER", False: "0", Json: "TEXT", Time: "INTEGER",
        Identity: "NOT NULL", WithoutRowId: " WITHOUT ROWID", Include: _ => string.Empty);

    protected override SqlTypes Types => SqliteTypes;

    protected override string Engine => "SQLite";

    protected override string LeaseLockClause => string.Empty;

    protected override string AuditInsertSql =>
        "INSERT INTO audit (district_id, seq, at, actor_id, student_id, doc) SELECT @p0, COALESCE(MAX(seq), 0) + 1, @p1, @p2, @p3, @p4 FROM audit WHERE district_id = @p0";

    protected override string OutboxInsertSql =>
        "INSERT INTO outbox (district_id, id, operation, idempotency_key, payload, created_at, attempts, next_attempt_at, dead_lettered) "
        + "SELECT @p0, COALESCE(MAX(id), 0) + 1, @p1, @p2, @p3, @p4, 0, @p4, 0 FROM outbox WHERE district_id = @p0 ON CONFLICT DO NOTHING";

    protected override string GuidLiteral(Guid id) => "'" + id.ToString("D") + "'";

    public SqliteConnection CreateConnection() => new(_connectionString);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            using var c = CreateConnection();
            SqliteConnection.ClearPool(c);
        }

        base.Dispose(disposing);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var c = CreateConnection();
        try
        {
            await c.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var cmd = c.CreateCommand();
            cmd.CommandText = _pragmas;
            cmd.ExecuteNonQuery();
            return c;
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    protected override void Bind(DbCommand command, string name, ColKind kind, object? value) =>
        ((SqliteCommand)command).Parameters.Add(new SqliteParameter(name, ToDb(kind, value)));

    internal static object ToDb(ColKind kind, object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D"),
        DateTimeOffset t => t.UtcTicks,
        bool b => b ? 1L : 0L,
        _ => value,
    };

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    protected override bool IsProviderException(Exception exception) => exception is SqliteException;

    protected override BackpackStoreException Translate(Exception exception, string operation)
    {
        var ex = (SqliteException)exception;
        var code = ex.SqliteErrorCode & 0xFF;
        var (why, transient) = code switch
        {
            5 or 6 => ("the database file is locked by another connection or process; retry later", true),
            10 => ("a disk I/O error occurred", true),
            11 or 26 => ($"the file '{DataSource}' is corrupt or is not a SQLite database; it was not changed: restore it from a backup or point at another file", false),
            14 => ($"the file '{DataSource}' cannot be opened: check that the folder exists and is writable", false),
            8 => ("the database is read-only", false),
            13 => ("the disk is full", false),
            19 => ("a row conflicts with one already stored (a duplicate id?)", false),
            23 => ("access to the database was denied", false),
            1 => ("the database schema does not match what this library expects", false),
            _ => ("an unexpected SQLite error occurred", false),
        };
        return new BackpackStoreException($"SQLite store failed while {operation}: {why} (SQLite error {ex.SqliteErrorCode}: {ex.Message}).", transient, ex);
    }

    protected override async Task<bool> SchemaVersionTableExistsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        using var cmd = (SqliteCommand)connection.CreateCommand();
        cmd.Transaction = (SqliteTransaction?)transaction;
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    protected override Task LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask; // Each migration's BEGIN IMMEDIATE excludes every other writer, and re-reads the version inside.

    protected override Task UnlockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // 16 KiB pages for a new file (a no-op on a file that already has pages). Rows carry JSON documents of
        // 0.5-1 KiB, and a district load is one large transaction: with 16 KiB pages it has a quarter of the pages
        // to split, log to the WAL and checkpoint, and loads ~30% faster than with 8 KiB pages (4 KiB: ~45%),
        // while a one-item save writes bigger pages and takes ~30% longer (~0.14 -> ~0.19 ms per item, one
        // transaction each). Reading a student's passport costs the same. Measured in benchmarks/README-stores.md.
        await ExecAsync(connection, null, "PRAGMA page_size = 16384", [], cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, null, "PRAGMA journal_mode = WAL", [], cancellationToken).ConfigureAwait(false);
    }

    protected override Task BeforeBulkLoadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Only for the load, on its own (pooled) connection; AfterBulkLoadAsync restores the defaults: a page cache
        // big enough for the load's pages, and a helper thread for sorting when indexes are built. Durability
        // stays as for every other write (synchronous = NORMAL: the WAL is synced before each checkpoint), so a
        // power loss during or after the load can at worst roll the whole load back, never corrupt the file.
        return ExecAsync(connection, null, "PRAGMA cache_size = -131072; PRAGMA threads = 2", [], cancellationToken);
    }

    protected override Task AfterBulkLoadAsync(DbConnection connection) =>
        ExecAsync(connection, null, "PRAGMA cache_size = -2000; PRAGMA threads = 0", [], CancellationToken.None);

    protected override async Task AfterPurgeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // secure_delete (on every connection) zeroes what deletes free; VACUUM rebuilds the file without free
        // pages; the TRUNCATE checkpoint copies the WAL into the file and empties it, so neither file keeps a purged
        // student's bytes. VACUUM runs outside any transaction.
        string[] statements = ["PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"];
        foreach (var sql in statements)
        {
            await ExecAsync(connection, null, sql, [], cancellationToken).ConfigureAwait(false);
        }
    }

    // Bound as text straight from the UTF-8 bytes: no UTF-16 string, no re-encoding when binding.
    protected override bool BulkJsonAsUtf8 => true;

    protected override async Task BulkLoadCoreAsync(DbConnection connection, DbTransaction transaction, IAsyncEnumerable<AggregateRows> rows, CancellationToken cancellationToken)
    {
        // One prepared statement per table, reused for every row with its parameters rebound by position: the
        // SQLite C API directly (on the connection's handle, inside its transaction), which skips the per-execute
        // cost of a DbCommand (parameter lookup by name, a data reader per row).
        var sqlite = (SqliteConnection)connection;
        var db = sqlite.Handle!;
        var deferred = DropIndexesOfEmptyTables(sqlite, (SqliteTransaction)transaction);
        var statements = new Dictionary<TableDef, sqlite3_stmt>();
        try
        {
            await foreach (var item in rows.ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Insert(item.Table, item.Values);
                foreach (var side in item.Sides)
                {
                    foreach (var row in side.Rows)
                    {
                        Insert(side.Table, row);
                    }
                }
            }
        }
        finally
        {
            foreach (var stmt in statements.Values)
            {
                stmt.Dispose();
            }
        }

        foreach (var createIndex in deferred)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Execute(sqlite, (SqliteTransaction)transaction, createIndex);
        }

        void Insert(TableDef table, object?[] values)
        {
            if (!statements.TryGetValue(table, out var stmt))
            {
                var sql = $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
                Check(raw.sqlite3_prepare_v2(db, sql, out stmt));
                statements[table] = stmt;
            }

            Check(raw.sqlite3_bind_text(stmt, 1, DistrictId));
            for (var i = 0; i < values.Length; i++)
            {
                Check(BindRaw(stmt, i + 2, values[i]));
            }

            var rc = raw.sqlite3_step(stmt);
            raw.sqlite3_reset(stmt);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }
        }

        void Check(int rc)
        {
            if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }
    }

    /// <summary>
    /// Drops the non-unique indexes of every loaded table that holds no rows yet (in any district) and returns
    /// the statements that build them again. Building an index once from the loaded rows (a sort) costs less than
    /// maintaining it row by row; it all happens inside the load's transaction, so a failed load rolls the drop
    /// back with the rows, and other connections never see a table without its indexes. Unique indexes stay:
    /// they reject duplicates as the rows arrive.
    /// </summary>
    private static List<string> DropIndexesOfEmptyTables(SqliteConnection connection, SqliteTransaction transaction)
    {
        var indexes = new List<(string Name, string Sql)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = transaction;
            foreach (var table in Schema.MainTables.Concat(Schema.SideTables))
            {
                cmd.CommandText = $"SELECT EXISTS (SELECT 1 FROM {table.Name})";
                if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) != 0)
                {
                    continue;
                }

                // sql is NULL for the automatic indexes behind PRIMARY KEY and UNIQUE constraints.
                cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name";
                cmd.Parameters.Clear();
                cmd.Parameters.AddWithValue("$table", table.Name);
                using (var reader = cmd.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        indexes.Add((reader.GetString(0), reader.GetString(1)));
                    }
                }

                cmd.Parameters.Clear();
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(connection, transaction, $"DROP INDEX \"{name}\"");
        }

        return indexes.ConvertAll(i => i.Sql);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static int BindRaw(sqlite3_stmt stmt, int index, object? value)
    {
        switch (value)
        {
            case null:
                return raw.sqlite3_bind_null(stmt, index);
            case Guid g:
                Span<byte> text = stackalloc byte[36];
                g.TryFormat(text, out var written, "D");
                return raw.sqlite3_bind_text(stmt, index, text[..written]);
            case string s:
                return raw.sqlite3_bind_text(stmt, index, s);
            case byte[] utf8Json:
                return raw.sqlite3_bind_text(stmt, index, (ReadOnlySpan<byte>)utf8Json);
            case int n:
                return raw.sqlite3_bind_int64(stmt, index, n);
            case long n:
                return raw.sqlite3_bind_int64(stmt, index, n);
            case bool b:
                return raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0);
            case DateTimeOffset t:
                return raw.sqlite3_bind_int64(stmt, index, t.UtcTicks);
            default:
                throw new InvalidOperationException($"Unsupported bulk-load value type {value.GetType()}.");
        }
    }
}
