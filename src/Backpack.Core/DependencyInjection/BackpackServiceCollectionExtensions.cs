using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Backpack.Core.DependencyInjection;

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
    /// unless one is registered), the default access policy, and the application services. Safe to call
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
        services.AddOptions<OutboxOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.TryAddScoped<IAccessPolicy, DefaultAccessPolicy>();
        services.TryAddScoped<AccessGuard>();
        services.TryAddScoped<ServiceContext>();
        services.TryAddScoped(sp => new FrameworkService(sp.GetRequiredService<ServiceContext>(), sp.GetRequiredService<ILogger<FrameworkService>>()));
        services.TryAddScoped(sp => new RosterService(sp.GetRequiredService<ServiceContext>()));
        services.TryAddScoped(sp => new BackpackService(sp.GetRequiredService<ServiceContext>(), sp.GetRequiredService<ILogger<BackpackService>>()));
        services.TryAddScoped(sp => new MilestoneService(sp.GetRequiredService<ServiceContext>()));
        services.TryAddScoped(sp => new ReportService(sp.GetRequiredService<ServiceContext>()));
        return new BackpackBuilder(services);
    }

    private sealed class BackpackMarker;

    private sealed class BackpackBuilder(IServiceCollection services) : IBackpackBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
