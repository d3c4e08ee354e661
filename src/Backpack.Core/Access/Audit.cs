namespace Backpack.Core.Access;

/// <summary>
/// One entry of the audit trail: who did what to whose data, when, and whether it was allowed. Ids only:
/// never names, emails or student text.
/// </summary>
/// <param name="At">When.</param>
/// <param name="ActorId">Who (<see cref="Actor.AuditId"/>).</param>
/// <param name="Action">What, e.g. <c>backpack.read</c>, <c>panel.grant</c>, <c>access.denied</c>.</param>
/// <param name="StudentId">Whose data, if a student's.</param>
/// <param name="ResourceId">Which item (artifact, milestone, file), if any.</param>
/// <param name="Allowed">Whether it was allowed.</param>
public sealed record AuditRecord(DateTimeOffset At, string ActorId, string Action, StudentId? StudentId, string? ResourceId, bool Allowed)
{
    /// <summary>More detail (ids and rule names only).</summary>
    public string? Detail { get; init; }
}

/// <summary>Which audit records to read.</summary>
public sealed record AuditQuery
{
    /// <summary>Only this student's.</summary>
    public StudentId? StudentId { get; init; }

    /// <summary>Only this actor's.</summary>
    public string? ActorId { get; init; }

    /// <summary>Only at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>At most this many (default 1,000).</summary>
    public int Limit { get; init; } = 1_000;
}
