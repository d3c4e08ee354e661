using System.Globalization;
using Backpack.Core.Storage;
using Backpack.Core.TestSupport.StoreContract;
using Npgsql;

namespace Backpack.Core.PostgreSql.Tests;

/// <summary>A fresh database (CREATE DATABASE with a random name) on the server named by BACKPACK_TEST_POSTGRES, dropped afterwards.</summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    private PostgreSqlTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public override int LatestVersion => PostgreSqlBackpackStore.LatestSchemaVersion;

    public override string NowLiteral => "now()";

    private static string Server => PostgresEnvironment.ConnectionString
        ?? throw new InvalidOperationException(PostgresEnvironment.SkipReason);

    public static async Task<PostgreSqlTestDatabase> CreateAsync()
    {
        var name = "bp_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }

        return new PostgreSqlTestDatabase(name, new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString);
    }

    protected override IBackpackStore NewStore(string districtId) =>
        new PostgreSqlBackpackStore(new PostgreSqlStoreOptions { ConnectionString = ConnectionString }, districtId);

    public override async Task MigrateToAsync(int version)
    {
        await using var store = new PostgreSqlBackpackStore(new PostgreSqlStoreOptions { ConnectionString = ConnectionString }, "migrator");
        await store.Engine.MigrateToAsync(version, default);
    }

    public override async Task<int> GetSchemaVersionAsync()
    {
        await using var store = new PostgreSqlBackpackStore(new PostgreSqlStoreOptions { ConnectionString = ConnectionString }, "migrator");
        return await store.GetSchemaVersionAsync();
    }

    /// <summary>A plain <c>pg_dump</c> of the database (what a backup of it would hold).</summary>
    public override async Task<byte[]?> RawBytesAsync()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        var pgDump = File.Exists("/usr/lib/postgresql/15/bin/pg_dump") ? "/usr/lib/postgresql/15/bin/pg_dump" : "pg_dump";
        var start = new System.Diagnostics.ProcessStartInfo(pgDump)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, "--no-password", b.Database! })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        await copy;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_dump failed: {await errors}");
        return output.ToArray();
    }

    public override Task<long> CountCellMismatchesAsync(IBackpackStore store) => ((PostgreSqlBackpackStore)store).Engine.CountCellMismatchesAsync(default);

    public override async Task<MaintainedState> ReadMaintainedAsync(IBackpackStore store, StudentId student)
    {
        var (counts, years) = await ((PostgreSqlBackpackStore)store).Engine.ReadMaintainedAsync(student.Value, default);
        return new MaintainedState(
            counts.Select(c => new MaintainedCount(c.Year, c.Grade, c.Skill, c.Artifacts, c.Reasoned, c.Reflected, c.ReasonedReflected)).ToArray(),
            years.Select(y => new MaintainedYear(y.Year, y.School, y.Grade, string.Join(",", y.Met), string.Join(",", y.WithEvidence), string.Join(",", y.Groups))).ToArray());
    }

    public override async Task ExecuteAsync(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    public override void SetReportPartitions(IBackpackStore store, int parts) => ((PostgreSqlBackpackStore)store).Engine.ReportPartitions = parts;

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", c);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>The store contract, migrations included, on a real PostgreSQL server.</summary>
[StoreServer(PostgresEnvironment.Variable, PostgresEnvironment.SkipReason)]
public sealed class PostgreSqlStoreContractTests : RelationalStoreContractTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
