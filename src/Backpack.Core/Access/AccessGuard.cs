using Backpack.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Access;

/// <summary>Consults the policy for every service operation, audits denials and reads, and throws on denial.</summary>
internal sealed partial class AccessGuard(IAccessPolicy policy, IBackpackStore store, TimeProvider clock, ILogger<AccessGuard> logger)
{
    public TimeProvider Clock { get; } = clock;

    /// <summary>Decides; on denial writes an audit record and throws <see cref="BackpackAccessDeniedException"/>.</summary>
    public async Task<AccessDecision> DemandAsync(Actor actor, AccessRequest request, string action, CancellationToken ct)
    {
        var decision = await policy.DecideAsync(actor, request, ct).ConfigureAwait(false);
        if (!decision.IsAllowed)
        {
            LogDenied(logger, actor.Role, request.Right, action);
            await store.SaveAsync(new ChangeSet().Put(Record(actor, action, request, allowed: false, decision.Reason)), ct).ConfigureAwait(false);
            throw new BackpackAccessDeniedException(decision);
        }

        return decision;
    }

    public AuditRecord Record(Actor actor, string action, AccessRequest request, bool allowed, string? detail = null, string? resource = null) =>
        new(Clock.GetUtcNow(), actor.AuditId, action, request.Student, resource ?? request.Milestone?.ToString(), allowed) { Detail = detail };

    [LoggerMessage(Level = LogLevel.Information, Message = "Access denied: {Role} asked for {Right} in {Action}.")]
    private static partial void LogDenied(ILogger logger, ActorRole role, AccessRight right, string action);
}
