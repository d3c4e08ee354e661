using Backpack.Core;
using Backpack.Core.Sqlite;
using Backpack.Core.Relational;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite store.</summary>
public static class SqliteBackpackBuilderExtensions
{
    /// <summary>
    /// Uses a SQLite file as the store (<see cref="IBackpackStore"/>, <see cref="IOutboxStore"/> and
    /// <see cref="IBulkLoader"/>, one singleton). The file is created on first use and migrated
    /// automatically; rows are keyed by <see cref="BackpackOptions.DistrictId"/>. Safe to call twice: the first
    /// call's store and settings win.
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=backpack.db</c>.</param>
    /// <param name="configure">Further settings.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder UseSqlite(this IBackpackBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return RelationalRegistration.UseRelationalStore<SqliteBackpackStore, SqliteStoreOptions>(
            builder,
            o =>
            {
                o.ConnectionString = connectionString;
                configure?.Invoke(o);
            },
            (sp, options, districtId) => new SqliteBackpackStore(options, districtId, sp.GetService<TimeProvider>(), sp.GetService<ILogger<SqliteBackpackStore>>()));
    }
}
