using Backpack.Core.Relational;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backpack.Core.PostgreSql;

/// <summary>
/// The district-scale Backpack store on PostgreSQL: aggregates as JSONB documents plus indexed key columns,
/// every key led by the district id, optimistic concurrency, a transactional outbox that several workers on
/// several machines share through <c>FOR UPDATE SKIP LOCKED</c> leases, binary COPY bulk load and reports
/// computed in SQL (see <see cref="RelationalBackpackStore"/>). The schema is migrated on first use (or explicitly
/// with <see cref="RelationalBackpackStore.MigrateAsync"/>) under an advisory lock. Disposing it closes the
/// connection pool.
/// </summary>
public sealed class PostgreSqlBackpackStore : RelationalBackpackStore
{
    /// <summary>Creates the store. Nothing is opened until the first call.</summary>
    /// <param name="options">The connection string.</param>
    /// <param name="districtId">The district whose data this store reads and writes (the key of every row).</param>
    /// <param name="clock">The clock (for migration records); <see cref="TimeProvider.System"/> if <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="BackpackStoreException">The connection string is empty or malformed.</exception>
    public PostgreSqlBackpackStore(PostgreSqlStoreOptions options, string districtId, TimeProvider? clock = null, ILogger<PostgreSqlBackpackStore>? logger = null)
        : base(new PostgreSqlEngine(options, districtId, clock ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance))
    {
    }
}
