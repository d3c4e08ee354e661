using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Backpack.Core.TestSupport.StoreContract;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Backpack.Core.PostgreSql.Tests;

/// <summary>What only the PostgreSQL store does: server errors, DI, several stores sharing one outbox.</summary>
[StoreServer(PostgresEnvironment.Variable, PostgresEnvironment.SkipReason)]
public sealed class PostgreSqlStoreTests
{
    private static string Server => PostgresEnvironment.ConnectionString!;

    [StoreFact]
    public async Task AnyCall_NoServerListening_ThrowsTransient()
    {
        var cs = new NpgsqlConnectionStringBuilder(Server) { Port = 1, Timeout = 3 }.ConnectionString;
        await using var store = new PostgreSqlBackpackStore(new PostgreSqlStoreOptions { ConnectionString = cs }, "d1");

        var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.ListSchoolsAsync());

        Assert.True(ex.IsTransient);
        Assert.Contains("could not reach", ex.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task AnyCall_DatabaseMissing_ThrowsNonTransientNamingIt()
    {
        var cs = new NpgsqlConnectionStringBuilder(Server) { Database = "bp_missing_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;
        await using var store = new PostgreSqlBackpackStore(new PostgreSqlStoreOptions { ConnectionString = cs }, "d1");

        var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.ListSchoolsAsync());

        Assert.False(ex.IsTransient);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadConnectionString_ThrowsStoreException()
    {
        var ex = Assert.Throws<BackpackStoreException>(() => new PostgreSqlBackpackStore(new PostgreSqlStoreOptions { ConnectionString = "Hots=nowhere;Nonsense" }, "d1"));
        Assert.False(ex.IsTransient);
        Assert.Contains("connection string", ex.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task UsePostgreSql_TwoStoresOnOneDatabase_ShareDataAndOutbox()
    {
        await using var db = await PostgreSqlTestDatabase.CreateAsync();
        var school = TestData.School();
        await using var first = Provider();
        await using var second = Provider();
        var a = first.GetRequiredService<IBackpackStore>();
        var b = second.GetRequiredService<IBackpackStore>();
        Assert.Same(a, first.GetRequiredService<IOutboxStore>());
        Assert.IsType<PostgreSqlBackpackStore>(a);

        await Task.WhenAll(a.Outbox() is PostgreSqlBackpackStore pa ? pa.MigrateAsync() : Task.CompletedTask, ((PostgreSqlBackpackStore)b).MigrateAsync());
        await a.SaveAsync(TestData.Set(school, new OutboxMessage("op", "k1", "{}", TestData.T0), new OutboxMessage("op", "k2", "{}", TestData.T0)));

        Assert.Single(await b.ListSchoolsAsync());
        var leasedA = await a.Outbox().LeaseAsync("a", 1, TimeSpan.FromMinutes(1), TestData.T0);
        var leasedB = await b.Outbox().LeaseAsync("b", 5, TimeSpan.FromMinutes(1), TestData.T0);
        Assert.Single(leasedA);
        Assert.Single(leasedB);
        Assert.NotEqual(leasedA[0].Id, leasedB[0].Id);

        ServiceProvider Provider()
        {
            var services = new ServiceCollection();
            services.AddBackpack(o => o.DistrictId = "jeffco").UsePostgreSql(db.ConnectionString);
            return services.BuildServiceProvider();
        }
    }
}
