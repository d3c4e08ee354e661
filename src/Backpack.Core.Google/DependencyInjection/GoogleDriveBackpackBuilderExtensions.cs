using Backpack.Core;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Drive.Http;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Google Drive adapter on a Backpack builder.</summary>
public static class GoogleDriveBackpackBuilderExtensions
{
    /// <summary>
    /// Adds the Google Drive adapter: options (validated at start-up), the Drive client with retries and quota
    /// pacing, the side-effect planner that writes Drive operations to the outbox, their outbox handlers, and
    /// <see cref="DriveReconciler"/>. The host registers an <see cref="IBackpackDirectory"/> (emails of people
    /// by id) and, optionally, an <see cref="IMissingArtifactHandler"/>. Safe to call twice.
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="configure">Sets the adapter's options.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder AddGoogleDrive(this IBackpackBuilder builder, Action<GoogleDriveOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<GoogleDriveOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleDriveOptions>, GoogleDriveOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DriveConnections>();
        services.TryAddSingleton(sp => new DriveClient(sp.GetRequiredService<DriveConnections>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddTransient(sp => new DriveBackpackOrganizer(
            sp.GetRequiredService<DriveClient>(),
            sp.GetRequiredService<IBackpackStore>(),
            sp.GetRequiredService<IBackpackDirectory>(),
            sp.GetRequiredService<IOptions<GoogleDriveOptions>>(),
            sp.GetRequiredService<IOptions<BackpackOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<DriveBackpackOrganizer>>(),
            sp.GetService<IMissingArtifactHandler>()));
        services.TryAddTransient(sp => new DriveReconciler(
            sp.GetRequiredService<DriveClient>(),
            sp.GetRequiredService<IBackpackStore>(),
            sp.GetRequiredService<DriveBackpackOrganizer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IMissingArtifactHandler>(),
            sp.GetService<ILogger<DriveReconciler>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISideEffectPlanner, DriveSideEffectPlanner>(sp => new DriveSideEffectPlanner(sp.GetRequiredService<TimeProvider>())));
        if (!services.Any(d => d.ServiceType == typeof(DriveOutboxMarker)))
        {
            services.AddSingleton<DriveOutboxMarker>();
            foreach (var operation in DriveOperations.All)
            {
                services.AddTransient<IOutboxHandler>(sp => new DriveOutboxHandler(operation, sp.GetRequiredService<DriveBackpackOrganizer>()));
            }
        }

        return builder;
    }

    private sealed class DriveOutboxMarker;
}
