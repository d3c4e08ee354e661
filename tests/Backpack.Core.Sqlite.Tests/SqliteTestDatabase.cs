using Backpack.Core.Storage;
using Backpack.Core.TestSupport.StoreContract;
using Microsoft.Data.Sqlite;

namespace Backpack.Core.Sqlite.Tests;

/// <summary>A real SQLite file in a fresh temporary folder.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    public SqliteTestDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("backpack-sqlite-").FullName;
        Path = System.IO.Path.Combine(Folder, "backpack.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public override int LatestVersion => SqliteBackpackStore.LatestSchemaVersion;

    public override string NowLiteral => "0";

    protected override IBackpackStore NewStore(string districtId) =>
        new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = ConnectionString }, districtId);

    public override async Task MigrateToAsync(int version)
    {
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = ConnectionString }, "migrator");
        await store.Engine.MigrateToAsync(version, default);
    }

    public override async Task<int> GetSchemaVersionAsync()
    {
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = ConnectionString }, "migrator");
        return await store.GetSchemaVersionAsync();
    }

    public override async Task<byte[]?> RawBytesAsync()
    {
        using var all = new MemoryStream();
        foreach (var file in new[] { Path, Path + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await stream.CopyToAsync(all);
        }

        return all.ToArray();
    }

    public override Task<long> CountCellMismatchesAsync(IBackpackStore store) => ((SqliteBackpackStore)store).Engine.CountCellMismatchesAsync(default);

    public override async Task<MaintainedState> ReadMaintainedAsync(IBackpackStore store, StudentId student)
    {
        var (counts, years) = await ((SqliteBackpackStore)store).Engine.ReadMaintainedAsync(student.Value, default);
        return new MaintainedState(
            counts.Select(c => new MaintainedCount(c.Year, c.Grade, c.Skill, c.Artifacts, c.Reasoned, c.Reflected, c.ReasonedReflected)).ToArray(),
            years.Select(y => new MaintainedYear(y.Year, y.School, y.Grade, string.Join(",", y.Met), string.Join(",", y.WithEvidence), string.Join(",", y.Groups))).ToArray());
    }

    public override async Task ExecuteAsync(string sql)
    {
        await using var c = new SqliteConnection(ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public override void SetReportPartitions(IBackpackStore store, int parts) => ((SqliteBackpackStore)store).Engine.ReportPartitions = parts;

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var c = new SqliteConnection(ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}

/// <summary>The store contract, migrations included, on SQLite files (nothing external: always runs).</summary>
public sealed class SqliteStoreContractTests : RelationalStoreContractTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
