using Backpack.Core;
using Backpack.Core.Artifacts;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Frameworks;
using Backpack.Core.Lifecycle;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the passport service.</summary>
public static class PassportBackpackBuilderExtensions
{
    /// <summary>Adds <see cref="PassportService"/> (scoped, like the services it calls). Safe to call twice.</summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder AddPassport(this IBackpackBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped(sp => new PassportService(
            sp.GetRequiredService<BackpackService>(),
            sp.GetRequiredService<FrameworkService>(),
            sp.GetRequiredService<IOptions<BackpackOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// Adds <see cref="PassportService"/> and has every handoff (<see cref="HandoffService"/>) issue the student's passport
    /// into its archive: <c>clr.json</c> (the signed CLR 2.0) and <c>ob-1.json</c>, <c>ob-2.json</c>... (the signed Open Badges
    /// 3.0 credentials it embeds), signed as of the handoff's start so a re-run writes the same files. Safe to call twice
    /// (the first settings win).
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="handoff">The issuer, framework and options for handoffs (called once per scope; load the key from your secret store here).</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder AddPassport(this IBackpackBuilder builder, Func<IServiceProvider, PassportHandoffSettings> handoff)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        builder.AddPassport();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IHandoffContributor, PassportHandoffContributor>(sp => new PassportHandoffContributor(sp.GetRequiredService<PassportService>(), handoff(sp))));
        return builder;
    }
}
