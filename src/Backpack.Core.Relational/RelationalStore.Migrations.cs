using System.Data.Common;
using System.Globalization;
using Backpack.Core.Storage;

namespace Backpack.Core.Relational;

/// <content>Migrations: the schema brought to the latest version once per store, one transaction per migration, under the engine's lock; a database newer than the library is refused untouched.</content>
internal abstract partial class RelationalStore
{
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
}
