using Backpack.Core.Relational;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backpack.Core.Sqlite;

/// <summary>
/// The embedded Backpack store on a SQLite file: aggregates as JSON documents plus indexed key columns,
/// optimistic concurrency, the transactional outbox, batched bulk load and reports computed in SQL (see
/// <see cref="RelationalBackpackStore"/>). The schema is migrated on first use (or explicitly with
/// <see cref="RelationalBackpackStore.MigrateAsync"/>); WAL mode lets readers run while one writer commits.
/// Disposing it closes the pooled connections to the file, so it can be moved or deleted.
/// </summary>
public sealed class SqliteBackpackStore : RelationalBackpackStore
{
    /// <summary>Creates the store. Nothing is opened until the first call.</summary>
    /// <param name="options">The connection string and busy timeout.</param>
    /// <param name="districtId">The district whose data this store reads and writes (the key of every row).</param>
    /// <param name="clock">The clock (for migration records); <see cref="TimeProvider.System"/> if <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="BackpackStoreException">The connection string is empty or malformed.</exception>
    public SqliteBackpackStore(SqliteStoreOptions options, string districtId, TimeProvider? clock = null, ILogger<SqliteBackpackStore>? logger = null)
        : base(new SqliteEngine(options, districtId, clock ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance))
    {
    }
}
