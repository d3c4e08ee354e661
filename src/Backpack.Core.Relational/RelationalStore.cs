using System.Data.Common;
using System.Globalization;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Relational;

/// <summary>
/// The store logic shared by the SQLite and PostgreSQL stores: aggregates as JSON documents plus the key
/// columns queries use, optimistic concurrency, the outbox, audit, reports in SQL, and migrations. The
/// dialects supply connections, transactions, type bindings, a few SQL fragments and error translation.
/// </summary>
/// <remarks>
/// This file holds what the dialects supply, running a statement and translating provider errors, and the command
/// helpers; each concern has its own part: <c>.Migrations</c>, <c>.Frameworks</c> (frameworks, rubrics, schools),
/// <c>.Students</c> (students, rosters), <c>.Backpacks</c> (artifacts, evaluations, milestones, passport),
/// <c>.Write</c> (change sets), <c>.Audit</c> (audit trail, sync checkpoints), <c>.BulkLoad</c>, <c>.Outbox</c>,
/// <c>.Counts</c> (maintained report counts), <c>.Reports</c> and <c>.Purge</c>.
/// </remarks>
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

    /// <summary>
    /// Parses a connection string with the engine's own parser; an empty or malformed one is a store exception naming
    /// the engine (with an example), before anything is opened.
    /// </summary>
    protected static T ParseConnectionString<T>(string engine, string? connectionString, string example, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new BackpackStoreException($"The {engine} connection string is empty: set it, e.g. \"{example}\".", isTransient: false, innerException: null);
        }

        try
        {
            return parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new BackpackStoreException($"The {engine} connection string is not valid: {ex.Message}", isTransient: false, ex);
        }
    }

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

    // ---------------------------------------------------------------- logging

    [LoggerMessage(Level = LogLevel.Information, Message = "{Engine} store: applied schema migration {Version}.")]
    private static partial void LogMigrated(ILogger logger, string engine, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Concurrency conflict on {Kind} {Id} (expected version {Expected}); the change set was rolled back.")]
    private static partial void LogConflict(ILogger logger, string kind, string id, long expected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Engine} store failed while {Operation} (transient: {Transient}, error type {ErrorType}).")]
    private static partial void LogStoreError(ILogger logger, string engine, string operation, bool transient, string errorType);
}
