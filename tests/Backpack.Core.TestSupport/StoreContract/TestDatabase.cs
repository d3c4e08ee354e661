using Backpack.Core.Storage;
using Backpack.Core.Sync;


namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>A fresh, empty database of one engine, and what the contract tests need to poke at it.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    private readonly List<IDisposable> _stores = [];

    /// <summary>The schema version the library migrates to.</summary>
    public abstract int LatestVersion { get; }

    /// <summary>A SQL expression for "now" in the schema_version.applied_at column.</summary>
    public abstract string NowLiteral { get; }

    /// <summary>A new store over this database for <paramref name="districtId"/>.</summary>
    public IBackpackStore CreateStore(string districtId = "contract")
    {
        var store = NewStore(districtId);
        if (store is IDisposable disposable)
        {
            _stores.Add(disposable);
        }

        return store;
    }

    protected abstract IBackpackStore NewStore(string districtId);

    /// <summary>Migrates to exactly <paramref name="version"/> with the store's own migrator.</summary>
    public abstract Task MigrateToAsync(int version);

    /// <summary>The schema version the database records.</summary>
    public abstract Task<int> GetSchemaVersionAsync();

    /// <summary>Runs raw SQL.</summary>
    public abstract Task ExecuteAsync(string sql);

    /// <summary>Runs a raw scalar query.</summary>
    public abstract Task<long> ScalarAsync(string sql);

    /// <summary>
    /// The raw bytes an attacker with the disk would see, for the proof of deletion: SQLite's file and its WAL;
    /// PostgreSQL's <c>pg_dump</c>; <see langword="null"/> for a store without files (in memory).
    /// </summary>
    public virtual Task<byte[]?> RawBytesAsync() => Task.FromResult<byte[]?>(null);

    /// <summary>
    /// A student's maintained evidence counts as the store keeps them, and, on the SQL stores, their per-year
    /// placement and skill masks (<see cref="MaintainedState.Years"/> is <see langword="null"/> in memory).
    /// </summary>
    public abstract Task<MaintainedState> ReadMaintainedAsync(IBackpackStore store, StudentId student);

    /// <summary>How many of the store's maintained report cells differ from a regrouping of its per-student rows (0 in memory: none kept).</summary>
    public virtual Task<long> CountCellMismatchesAsync(IBackpackStore store) => Task.FromResult(0L);

    /// <summary>Sets how many parts the store splits its readiness report into; nothing for a store without parts (in memory).</summary>
    public virtual void SetReportPartitions(IBackpackStore store, int parts)
    {
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>One maintained count: per capture year, capture grade and skill.</summary>
public sealed record MaintainedCount(int Year, int Grade, Guid Skill, int Artifacts, int Reasoned, int Reflected, int ReasonedReflected);

/// <summary>One maintained year of a student: where they ended it, the skills met and with evidence that year (ids, sorted, comma-separated), and their groups (sorted, comma-separated).</summary>
public sealed record MaintainedYear(int Year, Guid School, int Grade, string Met, string WithEvidence, string Groups);

/// <summary>A student's maintained counts and years.</summary>
public sealed record MaintainedState(IReadOnlyList<MaintainedCount> Counts, IReadOnlyList<MaintainedYear>? Years);

/// <summary>Casts a store to its other roles.</summary>
public static class StoreRoles
{
    public static IOutboxStore Outbox(this IBackpackStore store) => (IOutboxStore)store;

    public static IBulkLoader Bulk(this IBackpackStore store) => (IBulkLoader)store;
}
