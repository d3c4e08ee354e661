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

/// <summary>Where a panel's access to a milestone stands.</summary>
public enum PanelAccess
{
    /// <summary>Scheduled, showcase not set yet: nothing to see.</summary>
    Waiting,

    /// <summary>Scheduled with a showcase: the panel may read it.</summary>
    Open,

    /// <summary>Held, within the district's panel access days: the panel reads and scores.</summary>
    Held,

    /// <summary>Closed, cancelled, or held longer ago than the panel access days.</summary>
    Ended,
}

/// <summary>One artifact as a showcase presents it to a panel or a guardian: no feedback, no grades, no other reflections.</summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="Title">Its title.</param>
/// <param name="Link">Where it lives: a Drive file id or link (<see cref="ShowcaseSource"/>).</param>
/// <param name="Reasoning">The student's reasoning for the showcase skill, if any. Student text: never logged.</param>
/// <param name="Reflection">The reflection version current when the milestone was held (or now, before). Student text: never logged.</param>
public sealed record ShowcaseItem(ArtifactId ArtifactId, string Title, ShowcaseSource Link, string? Reasoning, Reflection? Reflection);

/// <summary>Where a showcased artifact lives, without Classroom grades or submission details.</summary>
/// <param name="DriveFileId">The Drive file, when the artifact is a Drive file or a Classroom attachment in Drive.</param>
/// <param name="Url">The link, when the artifact is a web link.</param>
public sealed record ShowcaseSource(string? DriveFileId, Uri? Url)
{
    /// <summary>The source of <paramref name="artifact"/>, with nothing but the file or link.</summary>
    /// <param name="artifact">The artifact.</param>
    /// <returns>The source.</returns>
    public static ShowcaseSource Of(Artifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return artifact.Source switch
        {
            DriveFileSource d => new(d.FileId, null),
            WebLinkSource w => new(null, w.Url),
            ClassroomSubmissionSource c => new(c.DriveFileId, c.DriveFileId is null && Uri.TryCreate(c.AttachmentKey, UriKind.Absolute, out var u) ? u : null),
            _ => new(null, null),
        };
    }
}

/// <summary>The artifacts shown for one skill, in order.</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="Items">The artifacts as shown.</param>
public sealed record ShowcaseSkill(SkillId SkillId, ValueList<ShowcaseItem> Items);

/// <summary>
/// A milestone's showcase as panelists and guardians see it: per skill, each artifact's title, link, the
/// student's reasoning and the reflection version current when the milestone was held. After the milestone is
/// held it is the snapshot frozen then; later edits do not change it.
/// </summary>
/// <param name="MilestoneId">The milestone.</param>
/// <param name="StudentId">Whose.</param>
/// <param name="Kind">The kind of milestone.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="FrozenAt">When the snapshot was taken (the milestone was held), or <see langword="null"/> for a live view before.</param>
/// <param name="Skills">The showcase per skill.</param>
public sealed record ShowcaseView(MilestoneId MilestoneId, StudentId StudentId, MilestoneKind Kind, MilestoneStatus Status, DateTimeOffset? FrozenAt, ValueList<ShowcaseSkill> Skills)
{
    /// <summary>Builds the view of <paramref name="entries"/> from the artifacts as they are.</summary>
    /// <param name="entries">The showcase entries.</param>
    /// <param name="artifacts">The student's artifacts.</param>
    /// <returns>The skills as shown (artifacts no longer in the backpack are left out).</returns>
    public static ValueList<ShowcaseSkill> Snapshot(IEnumerable<ShowcaseEntry> entries, IReadOnlyDictionary<ArtifactId, Artifact> artifacts)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(artifacts);
        return entries.Select(e => new ShowcaseSkill(
            e.SkillId,
            e.Artifacts.Where(artifacts.ContainsKey).Select(id => artifacts[id]).Select(a => new ShowcaseItem(
                a.Id, a.Title, ShowcaseSource.Of(a), a.Alignments.FirstOrDefault(x => x.SkillId == e.SkillId)?.Reasoning, a.CurrentReflection)).ToValueList())).ToValueList();
    }
}

/// <summary>The outcome of one criterion of the milestone's rubric.</summary>
/// <param name="CriterionId">The criterion.</param>
/// <param name="LevelId">The level reached (the panel's combined level).</param>
public sealed record CriterionOutcome(CriterionId CriterionId, LevelId LevelId)
{
    /// <summary>How many panel members scored the criterion.</summary>
    public int Evaluators { get; init; }

    /// <summary>Whether at least the district's quorum of panel members scored it.</summary>
    public bool QuorumMet { get; init; }
}

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
    /// <summary>
    /// The id of <paramref name="student"/>'s milestone of <paramref name="kind"/> at <paramref name="at"/>: name-based
    /// (RFC 9562 version 8 over SHA-256), so scheduling the same milestone again finds the first.
    /// </summary>
    /// <param name="student">The student.</param>
    /// <param name="kind">The kind of milestone.</param>
    /// <param name="at">When it takes place (the instant; the offset does not matter).</param>
    /// <returns>The milestone id.</returns>
    public static MilestoneId IdFor(StudentId student, MilestoneKind kind, DateTimeOffset at)
    {
        return MilestoneId.From(NameBasedId.Create($"backpack:milestone:{student.Value:N}:{kind}:{at.UtcTicks}"));
    }

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

    /// <summary>The rubric's criteria no panel member scored, recorded when closed.</summary>
    public ValueList<CriterionId> UnscoredCriteria { get; init; } = ValueList<CriterionId>.Empty;

    /// <summary>The showcase as shown to panel and guardians, frozen when the milestone was held (empty before).</summary>
    public ValueList<ShowcaseSkill> Snapshot { get; init; } = ValueList<ShowcaseSkill>.Empty;

    /// <summary>Whether the showcase can no longer change.</summary>
    public bool IsShowcaseFrozen => ShowcaseFrozenAt is not null;

    /// <summary>Whether the panel can still change (scheduled or held, not closed or cancelled).</summary>
    public bool IsOpenToPanel => Status is MilestoneStatus.Scheduled or MilestoneStatus.Held;

    /// <summary>
    /// The panel's access at <paramref name="now"/>: it opens when the showcase is set and ends at close,
    /// cancellation, or <paramref name="panelAccessDays"/> after the milestone was held, whichever comes first.
    /// </summary>
    /// <param name="now">The time.</param>
    /// <param name="panelAccessDays">The district's panel access days.</param>
    /// <returns>The access.</returns>
    public PanelAccess PanelAccessAt(DateTimeOffset now, int panelAccessDays) => Status switch
    {
        MilestoneStatus.Scheduled => Showcase.Count == 0 ? PanelAccess.Waiting : PanelAccess.Open,
        MilestoneStatus.Held when PanelAccessEndsAt(panelAccessDays) is { } end && now < end => PanelAccess.Held,
        _ => PanelAccess.Ended,
    };

    /// <summary>When panel access ends for a held milestone (held + <paramref name="panelAccessDays"/>), or <see langword="null"/> before it is held.</summary>
    /// <param name="panelAccessDays">The district's panel access days.</param>
    /// <returns>The end, or <see langword="null"/>.</returns>
    public DateTimeOffset? PanelAccessEndsAt(int panelAccessDays) =>
        Status == MilestoneStatus.Closed || Status == MilestoneStatus.Cancelled ? ClosedAt : ShowcaseFrozenAt?.AddDays(panelAccessDays);

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
    public Milestone Hold(DateTimeOffset at) => Hold(at, ValueList<ShowcaseSkill>.Empty);

    /// <summary>Marks the milestone held, freezes the showcase and keeps <paramref name="snapshot"/> as what the panel sees.</summary>
    /// <param name="at">When.</param>
    /// <param name="snapshot">The showcase as shown, taken now.</param>
    /// <returns>The changed milestone.</returns>
    public Milestone Hold(DateTimeOffset at, ValueList<ShowcaseSkill> snapshot) => Status switch
    {
        MilestoneStatus.Scheduled => this with { Status = MilestoneStatus.Held, ShowcaseFrozenAt = at, Snapshot = snapshot },
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

    /// <summary>
    /// Closes the milestone with the outcome combined from its panel's scores: only evaluations of this milestone
    /// by members of its panel now, in the panelist role, given while it was held (from the hold to
    /// <paramref name="at"/>). Each criterion records how many scored it and whether the quorum was met;
    /// criteria nobody scored are listed in <see cref="UnscoredCriteria"/>.
    /// </summary>
    /// <param name="rubric">The milestone's rubric.</param>
    /// <param name="evaluations">Evaluations of the student (others are ignored).</param>
    /// <param name="rule">How levels combine.</param>
    /// <param name="at">When.</param>
    /// <param name="quorum">The district's quorum: scorers needed per criterion (default 2).</param>
    /// <returns>The closed milestone.</returns>
    public Milestone CloseWithPanelScores(Rubric rubric, IEnumerable<Evaluation> evaluations, ScoreCombination rule, DateTimeOffset at, int quorum = 2)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        var held = Status == MilestoneStatus.Scheduled ? Hold(at) : this;
        var results = EvaluationCombiner.Combine(rubric, held.PanelScores(evaluations, at), rule);
        var closed = held.Close(results.Select(r => new CriterionOutcome(r.CriterionId, r.Level.Id) { Evaluators = r.Evaluators, QuorumMet = r.Evaluators >= quorum }), at);
        return closed with { UnscoredCriteria = rubric.Criteria.OrderBy(c => c.Position).Select(c => c.Id).Where(c => !results.Any(r => r.CriterionId == c)).ToValueList() };
    }

    /// <summary>The evaluations that count toward the outcome: this milestone's, by current panel members as panelists, given while held (up to <paramref name="until"/>).</summary>
    /// <param name="evaluations">Evaluations of the student.</param>
    /// <param name="until">The end of the scoring window (the close).</param>
    /// <returns>The panel's evaluations.</returns>
    public IEnumerable<Evaluation> PanelScores(IEnumerable<Evaluation> evaluations, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        return evaluations.Where(e => e.MilestoneId == Id
            && e.Role == EvaluatorRole.Panelist
            && Panel.Any(p => p.PersonId == e.EvaluatorId)
            && ShowcaseFrozenAt is { } from && e.ScoredAt >= from && e.ScoredAt <= until);
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
