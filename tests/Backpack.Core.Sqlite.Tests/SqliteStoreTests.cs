using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Backpack.Core.TestSupport.StoreContract;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Backpack.Core.Sqlite.Tests;

/// <summary>What only the SQLite store does: files, WAL, locks, corruption, DI.</summary>
public sealed class SqliteStoreTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task MigrateAsync_NewFile_CreatesFileInWalMode()
    {
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = _db.ConnectionString }, "d1");

        await store.MigrateAsync();

        Assert.True(File.Exists(_db.Path));
        await using var c = new SqliteConnection(_db.ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
        cmd.CommandText = "PRAGMA page_size";
        Assert.Equal(16384L, (long)(await cmd.ExecuteScalarAsync())!);
        Assert.Equal(SqliteBackpackStore.LatestSchemaVersion, await store.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task AnyCall_CorruptFile_ThrowsNonTransientAndLeavesFileUntouched()
    {
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)((i * 31) + 7)).ToArray();
        await File.WriteAllBytesAsync(_db.Path, garbage);
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = _db.ConnectionString }, "d1");

        var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.ListSchoolsAsync());
        await Assert.ThrowsAsync<BackpackStoreException>(() => store.SaveAsync(TestData.Set(TestData.School())));

        Assert.False(ex.IsTransient);
        Assert.Contains("corrupt or is not a SQLite database", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(ex.InnerException);
        SqliteConnection.ClearAllPools();
        Assert.Equal(garbage, await File.ReadAllBytesAsync(_db.Path));
    }

    [Fact]
    public async Task SaveAsync_FileLockedByAnotherWriter_ThrowsTransientAndSucceedsAfterRelease()
    {
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = _db.ConnectionString, BusyTimeout = TimeSpan.FromMilliseconds(200) }, "d1");
        await store.MigrateAsync();
        var school = TestData.School();
        await using (var locker = new SqliteConnection(_db.ConnectionString))
        {
            await locker.OpenAsync();
            await using var tx = locker.BeginTransaction(deferred: false);

            var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.SaveAsync(TestData.Set(school)));

            Assert.True(ex.IsTransient);
            Assert.Contains("locked", ex.Message, StringComparison.Ordinal);
            Assert.Empty(await store.ListSchoolsAsync()); // WAL: readers are not blocked by the writer
        }

        await store.SaveAsync(TestData.Set(school));
        Assert.Single(await store.ListSchoolsAsync());
    }

    [Fact]
    public async Task AnyCall_FolderMissing_ThrowsNonTransientNamingTheFile()
    {
        var path = Path.Combine(_db.Folder, "no-such-folder", "backpack.db");
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = $"Data Source={path}" }, "d1");

        var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.ListSchoolsAsync());

        Assert.False(ex.IsTransient);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Sorce=x.db")]
    public void Constructor_BadConnectionString_ThrowsStoreException(string connectionString)
    {
        var ex = Assert.Throws<BackpackStoreException>(() => new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = connectionString }, "d1"));
        Assert.False(ex.IsTransient);
        Assert.Contains("connection string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSqlite_TwoRuns_CreatesFileThenReusesIt()
    {
        var school = TestData.School();
        await using (var first = Provider())
        {
            var store = first.GetRequiredService<IBackpackStore>();
            Assert.Same(store, first.GetRequiredService<IOutboxStore>());
            Assert.Same(store, first.GetRequiredService<IBulkLoader>());
            Assert.IsType<SqliteBackpackStore>(store);
            await store.SaveAsync(TestData.Set(school));
        }

        Assert.True(File.Exists(_db.Path));
        await using var second = Provider();
        Assert.Equal(school with { Version = 1 }, Assert.Single(await second.GetRequiredService<IBackpackStore>().ListSchoolsAsync()));

        ServiceProvider Provider()
        {
            var services = new ServiceCollection();
            services.AddBackpack(o => o.DistrictId = "jeffco").UseSqlite(_db.ConnectionString).UseSqlite("Data Source=ignored.db");
            return services.BuildServiceProvider();
        }
    }

    [Fact]
    public async Task LoadAsync_EmptyDatabase_RebuildsEveryIndexAndQueriesUseThem()
    {
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = _db.ConnectionString }, "d1");
        await store.MigrateAsync();
        var before = await IndexesAsync();
        var district = SmallDistrict.Generate(seed: 5, students: 20);

        await ((IBulkLoader)store).LoadAsync(district.Data);

        Assert.Equal(before, await IndexesAsync());
        Assert.Equal("ok", await ScalarTextAsync("PRAGMA integrity_check"));
        Assert.Contains("ix_artifacts_student", await ScalarTextAsync($"EXPLAIN QUERY PLAN SELECT doc FROM artifacts WHERE district_id = 'd1' AND student_id = '{district.Data.Students[0].Id.Value:D}'", column: 3), StringComparison.Ordinal);
        var student = district.Data.Students[0];
        Assert.Equal(district.Data.Artifacts.Count(a => a.StudentId == student.Id), (await store.ListArtifactsAsync(student.Id)).Count);
    }

    [Fact]
    public async Task LoadAsync_FailsAfterIndexesDropped_RollsBackRowsAndIndexes()
    {
        using var store = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = _db.ConnectionString }, "d1");
        await store.MigrateAsync();
        var before = await IndexesAsync();
        var district = SmallDistrict.Generate(seed: 6, students: 10);
        var data = district.Data with { Artifacts = [.. district.Data.Artifacts, district.Data.Artifacts[^1]] };

        var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => ((IBulkLoader)store).LoadAsync(data));

        Assert.False(ex.IsTransient);
        Assert.Equal(before, await IndexesAsync());
        Assert.Equal(0, await _db.ScalarAsync("SELECT COUNT(*) FROM students"));
        Assert.Equal(0, await _db.ScalarAsync("SELECT COUNT(*) FROM artifacts"));
    }

    [Fact]
    public async Task LoadAsync_SecondDistrictIntoSameFile_KeepsIndexesAndBothDistricts()
    {
        using var first = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = _db.ConnectionString }, "d1");
        using var second = new SqliteBackpackStore(new SqliteStoreOptions { ConnectionString = _db.ConnectionString }, "d2");
        await first.MigrateAsync();
        var before = await IndexesAsync();
        var a = SmallDistrict.Generate(seed: 8, students: 10);
        var b = SmallDistrict.Generate(seed: 9, students: 12);

        await ((IBulkLoader)first).LoadAsync(a.Data);
        await ((IBulkLoader)second).LoadAsync(b.Data);

        Assert.Equal(before, await IndexesAsync());
        Assert.Equal(a.Data.Artifacts.Count + b.Data.Artifacts.Count, await _db.ScalarAsync("SELECT COUNT(*) FROM artifacts"));
        Assert.Equal(b.Data.Artifacts.Count(x => x.StudentId == b.Data.Students[0].Id), (await second.ListArtifactsAsync(b.Data.Students[0].Id)).Count);
    }

    private async Task<List<string>> IndexesAsync()
    {
        var list = await TextRowsAsync("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
        Assert.NotEmpty(list);
        return list;
    }

    private async Task<string> ScalarTextAsync(string sql, int column = 0) => string.Join('\n', await TextRowsAsync(sql, column));

    private async Task<List<string>> TextRowsAsync(string sql, int column = 0)
    {
        await using var c = new SqliteConnection(_db.ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(column));
        }

        return list;
    }
}
