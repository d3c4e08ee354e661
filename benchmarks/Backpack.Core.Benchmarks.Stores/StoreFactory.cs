using Backpack.Core.PostgreSql;
using Backpack.Core.Sqlite;
using Backpack.Core.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>Fresh stores for benchmarks: a SQLite file in a temp folder, or a new database on the PostgreSQL server named by BACKPACK_TEST_POSTGRES.</summary>
public static class StoreFactory
{
    public const string Sqlite = "SQLite";
    public const string PostgreSql = "PostgreSQL";

    private static readonly List<Action> Cleanups = [];
    private static readonly Dictionary<IBackpackStore, string> ConnectionStrings = [];

    /// <summary>The connection string of a store made here (for raw queries in probes).</summary>
    public static string ConnectionString(IBackpackStore store) => ConnectionStrings[store];

    /// <summary>The engines available here: SQLite always, PostgreSQL when BACKPACK_TEST_POSTGRES is set.</summary>
    public static IEnumerable<string> Engines =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("BACKPACK_TEST_POSTGRES")) ? [Sqlite] : [Sqlite, PostgreSql];

    public static IBackpackStore Create(string engine)
    {
        if (engine == Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("backpack-bench-").FullName;
            var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = $"Data Source={Path.Combine(folder, "bench.db")}" }, "bench");
            ConnectionStrings[store] = $"Data Source={Path.Combine(folder, "bench.db")}";
            store.MigrateAsync().GetAwaiter().GetResult();
            Cleanups.Add(() =>
            {
                store.Dispose();
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, true);
            });
            return store;
        }

        var server = Environment.GetEnvironmentVariable("BACKPACK_TEST_POSTGRES")!;
        var name = "bp_bench_" + Guid.NewGuid().ToString("N")[..12];
        Admin(server, $"CREATE DATABASE {name}");
        var pg = new PostgreSqlBackpackStore(new PostgreSqlStoreOptions { ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString }, "bench");
        ConnectionStrings[pg] = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        pg.MigrateAsync().GetAwaiter().GetResult();
        Cleanups.Add(() =>
        {
            pg.Dispose();
            NpgsqlConnection.ClearAllPools();
            Admin(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
        return pg;
    }

    public static void CleanupAll()
    {
        foreach (var c in Cleanups)
        {
            c();
        }

        Cleanups.Clear();
        ConnectionStrings.Clear();
    }

    private static void Admin(string server, string sql)
    {
        using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
