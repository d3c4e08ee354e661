using Backpack.Core.Access;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Options;

namespace Backpack.Core.DependencyInjection;

/// <summary>What every application service needs: the store, the access guard, the clock, the district's settings and the side-effect planners.</summary>
internal sealed class ServiceContext(IBackpackStore store, AccessGuard guard, TimeProvider clock, IOptions<BackpackOptions> options, IEnumerable<ISideEffectPlanner> planners)
{
    public IBackpackStore Store { get; } = store;

    public AccessGuard Guard { get; } = guard;

    public TimeProvider Clock { get; } = clock;

    public BackpackOptions Options { get; } = options.Value;

    public IReadOnlyList<ISideEffectPlanner> Planners { get; } = planners.ToArray();

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
}
