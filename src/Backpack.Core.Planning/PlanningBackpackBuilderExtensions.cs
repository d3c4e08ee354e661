using Backpack.Core;
using Backpack.Core.Planning;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers defense season planning.</summary>
public static class PlanningBackpackBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="SeasonPlanner"/> (a singleton) and <see cref="SeasonPlanPublisher"/> (scoped, like the
    /// services it calls). Registrations are <c>TryAdd</c>: safe to call twice.
    /// </summary>
    /// <param name="builder">The Backpack builder.</param>
    /// <param name="options">The planner's options; the defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IBackpackBuilder AddSeasonPlanning(this IBackpackBuilder builder, SeasonPlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(_ => new SeasonPlanner(options));
        builder.Services.TryAddScoped<SeasonPlanPublisher>();
        return builder;
    }
}
