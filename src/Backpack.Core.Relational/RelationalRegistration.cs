using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Relational;

/// <summary>What <c>UseSqlite</c> and <c>UsePostgreSql</c> share: one store singleton, built from its options and the district's.</summary>
internal static class RelationalRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TStore"/> as the store (see <see cref="BackpackServiceCollectionExtensions.UseStore{TStore}"/>)
    /// unless it is registered already (then the first call's store and settings win). The store is keyed by
    /// <see cref="BackpackOptions.DistrictId"/>, and its maintained report rows follow the district's evidence rule and
    /// transition grades.
    /// </summary>
    public static IBackpackBuilder UseRelationalStore<TStore, TOptions>(IBackpackBuilder builder, Action<TOptions> configure, Func<IServiceProvider, TOptions, string, TStore> create)
        where TStore : RelationalBackpackStore
        where TOptions : class
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(TStore)))
        {
            return builder;
        }

        builder.Services.AddOptions<TOptions>().Configure(configure);
        return builder.UseStore(sp =>
        {
            var backpack = sp.GetRequiredService<IOptions<BackpackOptions>>().Value;
            var store = create(sp, sp.GetRequiredService<IOptions<TOptions>>().Value, backpack.DistrictId);
            store.Engine.Basis = new ReportBasis(backpack.Transitions, backpack.EvidenceRule);
            return store;
        });
    }
}
