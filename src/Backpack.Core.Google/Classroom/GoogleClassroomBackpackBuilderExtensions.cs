using Backpack.Core;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Google Classroom adapter to Backpack.</summary>
public static class GoogleClassroomBackpackBuilderExtensions
{
    /// <summary>
    /// Adds Classroom sync (<see cref="ClassroomSync"/>): rosters, transfers and turned-in work flow into the backpacks.
    /// Options are validated when the host starts. Safe to call twice: the second call only adds its configuration.
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="configure">Sets the adapter's options (credential, course-to-school mapping, skill tags...).</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder AddGoogleClassroom(this IBackpackBuilder builder, Action<GoogleClassroomOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<GoogleClassroomOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleClassroomOptions>, GoogleClassroomOptionsValidator>());
        services.TryAddSingleton(sp => new ClassroomConnection(sp.GetRequiredService<IOptions<GoogleClassroomOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddScoped(sp => new ClassroomSync(
            sp.GetRequiredService<IBackpackStore>(),
            sp.GetRequiredService<ClassroomConnection>(),
            sp.GetRequiredService<IOptions<BackpackOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Backpack.Core.Access.CommandPath>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<ClassroomSync>()));
        return builder;
    }
}
