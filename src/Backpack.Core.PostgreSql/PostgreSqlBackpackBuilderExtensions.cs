using Backpack.Core;
using Backpack.Core.PostgreSql;
using Backpack.Core.Relational;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgreSqlBackpackBuilderExtensions
{
    /// <summary>
    /// Uses a PostgreSQL database as the store (<see cref="IBackpackStore"/>, <see cref="IOutboxStore"/> and
    /// <see cref="IBulkLoader"/>, one singleton). The schema is migrated automatically on first use; rows are
    /// keyed by <see cref="BackpackOptions.DistrictId"/>, so several districts can share one database. Safe to
    /// call twice: the first call's store and settings win.
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Database=backpack;Username=backpack</c>.</param>
    /// <param name="configure">Further settings.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder UsePostgreSql(this IBackpackBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return RelationalRegistration.UseRelationalStore<PostgreSqlBackpackStore, PostgreSqlStoreOptions>(
            builder,
            o =>
            {
                o.ConnectionString = connectionString;
                configure?.Invoke(o);
            },
            (sp, options, districtId) => new PostgreSqlBackpackStore(options, districtId, sp.GetService<TimeProvider>(), sp.GetService<ILogger<PostgreSqlBackpackStore>>()));
    }
}
