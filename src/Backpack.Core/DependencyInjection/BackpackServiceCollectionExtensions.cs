using Backpack.Core;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Lifecycle;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What stores and adapters hang on: <c>services.AddBackpack(...).UseSqlite(...)</c>.</summary>
public interface IBackpackBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}

/// <summary>Registers Backpack.Core.</summary>
public static class BackpackServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Backpack engine: options (validated at start-up), the clock (<see cref="TimeProvider.System"/>
    /// unless one is registered), the default access policy, the application services, and the
    /// <see cref="OutboxWorker"/> (resolvable once a store implementing <see cref="IOutboxStore"/> is added). Loggers
    /// come from the host's <c>ILoggerFactory</c> when logging is added (before or after this call); Backpack
    /// registers no logging services itself. Safe to call
    /// twice: the second call adds nothing but its options configuration. A store must be added on the
    /// returned builder (<c>UseSqlite</c>, <c>UsePostgreSql</c>, or <c>UseInMemoryStore</c> for tests).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the district's options.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder AddBackpack(this IServiceCollection services, Action<BackpackOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BackpackOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(BackpackMarker)))
        {
            return new BackpackBuilder(services);
        }

        services.AddSingleton<BackpackMarker>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackpackOptions>, BackpackOptionsValidator>());
        services.AddOptions<OutboxOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(BackpackLogging.CreateOutboxWorker);
        services.TryAddScoped<IAccessPolicy, DefaultAccessPolicy>();
        services.TryAddScoped(BackpackLogging.Create<CommandPath>);
        services.TryAddScoped(sp => new FrameworkService(sp.GetRequiredService<CommandPath>(), BackpackLogging.CreateLogger<FrameworkService>(sp)));
        services.TryAddScoped(sp => new RosterService(sp.GetRequiredService<CommandPath>()));
        services.TryAddScoped(sp => new BackpackService(sp.GetRequiredService<CommandPath>(), BackpackLogging.CreateLogger<BackpackService>(sp)));
        services.TryAddScoped(sp => new MilestoneService(sp.GetRequiredService<CommandPath>()));
        services.TryAddScoped(sp => new ReportService(sp.GetRequiredService<CommandPath>()));
        services.TryAddScoped(sp => new StudentRecordService(sp.GetRequiredService<CommandPath>()));
        services.TryAddScoped(sp => new RetentionService(sp.GetRequiredService<CommandPath>()));
        services.TryAddScoped(sp => new HandoffService(sp.GetRequiredService<CommandPath>(), sp.GetServices<IHandoffContributor>()));
        return new BackpackBuilder(services);
    }

    /// <summary>
    /// Uses <typeparamref name="TStore"/> (one singleton made by <paramref name="create"/>) as the store: it is
    /// registered as itself, as <see cref="IBackpackStore"/>, and as <see cref="IOutboxStore"/> and
    /// <see cref="IBulkLoader"/> when it implements them. Registrations are <c>TryAdd</c>: a store
    /// registered earlier wins. Store packages (<c>UseSqlite</c>, <c>UsePostgreSql</c>, <c>UseInMemoryStore</c>) call this.
    /// </summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="create">Makes the store.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder UseStore<TStore>(this IBackpackBuilder builder, Func<IServiceProvider, TStore> create)
        where TStore : class, IBackpackStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        var services = builder.Services;
        services.TryAddSingleton(create);
        services.TryAddSingleton<IBackpackStore>(sp => sp.GetRequiredService<TStore>());
        if (typeof(IOutboxStore).IsAssignableFrom(typeof(TStore)))
        {
            services.TryAddSingleton(sp => (IOutboxStore)sp.GetRequiredService<TStore>());
        }

        if (typeof(IBulkLoader).IsAssignableFrom(typeof(TStore)))
        {
            services.TryAddSingleton(sp => (IBulkLoader)sp.GetRequiredService<TStore>());
        }

        return builder;
    }

    private sealed class BackpackMarker;

    private sealed class BackpackBuilder(IServiceCollection services) : IBackpackBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
