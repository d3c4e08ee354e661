using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Rubrics;

namespace Backpack.Core.Milestones;

/// <summary>The kinds of milestone a district runs.</summary>
public enum MilestoneKind
{
    /// <summary>A Defense of Learning in front of a panel, at a transition grade.</summary>
    DefenseOfLearning,

    /// <summary>A shorter yearly defense.</summary>
    MiniDefense,

    /// <summary>A conference the student leads with family and teacher.</summary>
    StudentLedConference,

    /// <summary>A public exhibition of the student's work.</summary>
    ExhibitionOfLearning,
}

/// <summary>Where a milestone stands.</summary>
public enum MilestoneStatus
{
    /// <summary>Planned; the showcase can still change.</summary>
    Scheduled,

    /// <summary>It happened: the showcase is frozen; the panel may still score.</summary>
    Held,

    /// <summary>Outcome recorded; panel access has ended.</summary>
    Closed,

    /// <summary>Called off.</summary>
    Cancelled,
}

/// <summary>The kind of member a panelist is.</summary>
public enum PanelRole
{
    /// <summary>A teacher or staff member.</summary>
    Educator,

    /// <summary>A community partner (e.g. a local employer).</summary>
    CommunityPartner,

    /// <summary>A family member.</summary>
    FamilyMember,
}

/// <summary>A member of a defense panel.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="Role">The kind of member.</param>
public sealed record Panelist(PersonId PersonId, PanelRole Role);

/// <summary>The artifacts chosen to show one skill, in the order the student presents them.</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="Artifacts">The artifacts, in order.</param>
public sealed record ShowcaseEntry(SkillId SkillId, ValueList<ArtifactId> Artifacts);

/// <summary>The outcome of one criterion of the milestone's rubric.</summary>
/// <param name="CriterionId">The criterion.</param>
/// <param name="LevelId">The level reached.</param>
public sealed record CriterionOutcome(CriterionId CriterionId, LevelId LevelId);

/// <summary>
/// A milestone in a student's journey: a Defense of Learning, Mini-Defense, Student-Led Conference or
/// Exhibition. The showcase is frozen when the milestone is held, so the evidence panels scored cannot
/// change afterwards.
/// </summary>
/// <param name="Id">The milestone id.</param>
/// <param name="StudentId">Whose milestone.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Context">The student's school, grade and year.</param>
/// <param name="ScheduledAt">When it takes place.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Version">The stored version; 0 before the first save.</param>
public sealed record Milestone(
    MilestoneId Id,
    StudentId StudentId,
    MilestoneKind Kind,
    CaptureContext Context,
    DateTimeOffset ScheduledAt,
    MilestoneStatus Status,
    long Version = 0) : IVersioned
{
    /// <summary>The rubric version the panel scores with.</summary>
    public RubricRef? Rubric { get; init; }

    /// <summary>The panel.</summary>
    public ValueList<Panelist> Panel { get; init; } = ValueList<Panelist>.Empty;

    /// <summary>The showcase: artifacts per skill, in order.</summary>
    public ValueList<ShowcaseEntry> Showcase { get; init; } = ValueList<ShowcaseEntry>.Empty;

    /// <summary>When the showcase was frozen (when the milestone was held).</summary>
    public DateTimeOffset? ShowcaseFrozenAt { get; init; }

    /// <summary>When the milestone was closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The outcome per criterion, recorded when closed.</summary>
    public ValueList<CriterionOutcome> Outcome { get; init; } = ValueList<CriterionOutcome>.Empty;

    /// <summary>Whether the showcase can no longer change.</summary>
    public bool IsShowcaseFrozen => ShowcaseFrozenAt is not null;

    /// <summary>Whether the panel still has access (scheduled or held, not closed or cancelled).</summary>
    public bool IsOpenToPanel => Status is MilestoneStatus.Scheduled or MilestoneStatus.Held;

    /// <summary>Every artifact in the showcase, in order, without repeats.</summary>
    public IReadOnlyList<ArtifactId> ShowcasedArtifacts => Showcase.SelectMany(e => e.Artifacts).Distinct().ToArray();

    /// <summary>Sets the showcase.</summary>
    /// <param name="entries">Artifacts per skill, in order.</param>
    /// <returns>The changed milestone.</returns>
    /// <exception cref="BackpackValidationException">The showcase is frozen.</exception>
    public Milestone WithShowcase(IEnumerable<ShowcaseEntry> entries)
    {
        EnsureNotFrozen();
        return this with { Showcase = entries.ToValueList() };
    }

    /// <summary>Sets the panel.</summary>
    /// <param name="panel">The panelists.</param>
    /// <returns>The changed milestone.</returns>
    public Milestone WithPanel(IEnumerable<Panelist> panel)
    {
        if (!IsOpenToPanel)
        {
            throw new BackpackValidationException("$.panel", "milestone.panel.open", $"The panel of a {Status} milestone cannot change.");
        }

        return this with { Panel = panel.DistinctBy(p => p.PersonId).ToValueList() };
    }

    /// <summary>Marks the milestone held and freezes the showcase.</summary>
    /// <param name="at">When.</param>
    /// <returns>The changed milestone.</returns>
    public Milestone Hold(DateTimeOffset at) => Status switch
    {
        MilestoneStatus.Scheduled => this with { Status = MilestoneStatus.Held, ShowcaseFrozenAt = at },
        MilestoneStatus.Held => this,
        _ => throw new BackpackValidationException("$.status", "milestone.status.transition", $"A {Status} milestone cannot be held."),
    };

    /// <summary>Records the outcome and closes the milestone; panel access ends.</summary>
    /// <param name="outcome">The outcome per criterion.</param>
    /// <param name="at">When.</param>
    /// <returns>The changed milestone.</returns>
    public Milestone Close(IEnumerable<CriterionOutcome> outcome, DateTimeOffset at)
    {
        var held = Status == MilestoneStatus.Scheduled ? Hold(at) : this;
        if (held.Status != MilestoneStatus.Held)
        {
            throw new BackpackValidationException("$.status", "milestone.status.transition", $"A {Status} milestone cannot be closed.");
        }

        return held with { Status = MilestoneStatus.Closed, ClosedAt = at, Outcome = outcome.ToValueList() };
    }

    /// <summary>Closes the milestone with the outcome combined from the panel's evaluations.</summary>
    /// <param name="rubric">The milestone's rubric.</param>
    /// <param name="evaluations">The panel's evaluations of this milestone.</param>
    /// <param name="rule">How levels combine.</param>
    /// <param name="at">When.</param>
    /// <returns>The closed milestone.</returns>
    public Milestone CloseWithPanelScores(Rubric rubric, IEnumerable<Evaluation> evaluations, ScoreCombination rule, DateTimeOffset at)
    {
        var results = EvaluationCombiner.Combine(rubric, evaluations.Where(e => e.MilestoneId == Id), rule);
        return Close(results.Select(r => new CriterionOutcome(r.CriterionId, r.Level.Id)), at);
    }

    /// <summary>Cancels the milestone; panel access ends.</summary>
    /// <param name="at">When.</param>
    /// <returns>The changed milestone.</returns>
    public Milestone Cancel(DateTimeOffset at) => Status == MilestoneStatus.Closed
        ? throw new BackpackValidationException("$.status", "milestone.status.transition", "A closed milestone cannot be cancelled.")
        : this with { Status = MilestoneStatus.Cancelled, ClosedAt = at };

    private void EnsureNotFrozen()
    {
        if (IsShowcaseFrozen)
        {
            throw new BackpackValidationException("$.showcase", "milestone.showcase.frozen", "The showcase was frozen when the milestone was held; evidence cannot change afterwards.");
        }
    }
}
