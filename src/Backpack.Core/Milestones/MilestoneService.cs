using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.DependencyInjection;
using Backpack.Core.Frameworks;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Milestones;

/// <summary>
/// Milestones: scheduling Defenses of Learning and other milestones, panels, showcases (frozen when held),
/// closing with the panel's combined outcome, and the readiness check that tells a teacher who is not
/// ready and why.
/// </summary>
public sealed class MilestoneService
{
    private readonly ServiceContext _context;

    internal MilestoneService(ServiceContext context) => _context = context;

    private IBackpackStore Store => _context.Store;

    private AccessGuard Guard => _context.Guard;

    /// <summary>Schedules a milestone for a student, in the school and grade of their enrollment on that day.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageMilestones"/>).</param>
    /// <param name="student">The student.</param>
    /// <param name="kind">The kind of milestone.</param>
    /// <param name="at">When it takes place.</param>
    /// <param name="rubric">The rubric version the panel scores with.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public async Task<Milestone> ScheduleAsync(Actor actor, StudentId student, MilestoneKind kind, DateTimeOffset at, Rubrics.RubricRef? rubric, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ManageMilestones) { Student = student };
        await Guard.DemandAsync(actor, request, "milestone.schedule", cancellationToken).ConfigureAwait(false);
        var s = await Store.GetStudentAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var e = s.EnrollmentOn(day) ?? s.LatestEnrollmentIn(_context.Options.SchoolYearOf(day))
            ?? throw new BackpackValidationException("$.at", "milestone.student.enrolled", $"Student {student} is not enrolled on {day:yyyy-MM-dd}.");
        if (kind == MilestoneKind.DefenseOfLearning && !_context.Options.Transitions.IsTransition(e.Grade))
        {
            throw new BackpackValidationException("$.kind", "milestone.defense.transition-grade", $"A Defense of Learning is held at a transition grade ({string.Join(", ", _context.Options.Transitions.Grades)}); the student is in grade {e.Grade}.");
        }

        if (rubric is { } r && await Store.GetRubricAsync(r, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new BackpackNotFoundException("rubric", r.ToString());
        }

        var milestone = new Milestone(MilestoneId.New(), student, kind, new CaptureContext(e.Year, e.Grade, e.SchoolId), at, MilestoneStatus.Scheduled) { Rubric = rubric };
        return await SaveAsync(actor, null, milestone, request, "milestone.schedule", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the panel. Each panelist added is a grant and each removed a revocation; both are audited.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageMilestones"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="panel">The panelists.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public async Task<Milestone> SetPanelAsync(Actor actor, MilestoneId milestone, IEnumerable<Panelist> panel, CancellationToken cancellationToken = default)
    {
        var (current, request) = await DemandAsync(actor, milestone, AccessRight.ManageMilestones, "milestone.panel", cancellationToken).ConfigureAwait(false);
        var changed = current.WithPanel(panel);
        var changes = new ChangeSet();
        foreach (var added in changed.Panel.Where(p => !current.Panel.Any(c => c.PersonId == p.PersonId)))
        {
            changes.Put(Guard.Record(actor, "panel.grant", request, true, $"panelist {added.PersonId} ({added.Role})", milestone.ToString()));
        }

        foreach (var removed in current.Panel.Where(p => !changed.Panel.Any(c => c.PersonId == p.PersonId)))
        {
            changes.Put(Guard.Record(actor, "panel.revoke", request, true, $"panelist {removed.PersonId}", milestone.ToString()));
        }

        return await SaveAsync(actor, current, changed, request, "milestone.panel", cancellationToken, changes).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the showcase: artifacts per skill, in order. Every artifact must be the student's and collected;
    /// showcased artifacts move to <see cref="CurationState.Showcased"/>.
    /// </summary>
    /// <param name="actor">The student or their teacher (needs <see cref="AccessRight.WriteStudentWork"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="entries">Artifacts per skill.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public async Task<Milestone> SetShowcaseAsync(Actor actor, MilestoneId milestone, IEnumerable<ShowcaseEntry> entries, CancellationToken cancellationToken = default)
    {
        var (current, request) = await DemandAsync(actor, milestone, AccessRight.WriteStudentWork, "milestone.showcase", cancellationToken).ConfigureAwait(false);
        var changed = current.WithShowcase(entries);
        var artifacts = (await Store.ListArtifactsAsync(current.StudentId, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Id);
        var problems = new List<ValidationProblem>();
        var changes = new ChangeSet();
        for (var i = 0; i < changed.Showcase.Count; i++)
        {
            for (var j = 0; j < changed.Showcase[i].Artifacts.Count; j++)
            {
                var id = changed.Showcase[i].Artifacts[j];
                if (!artifacts.TryGetValue(id, out var a))
                {
                    problems.Add(new($"$.showcase[{i}].artifacts[{j}]", "showcase.artifact.own", $"Artifact {id} is not in the student's backpack."));
                }
                else if (!a.IsCollected)
                {
                    problems.Add(new($"$.showcase[{i}].artifacts[{j}]", "showcase.artifact.collected", $"Artifact {id} is {a.State}; only collected artifacts can be showcased."));
                }
                else if (a.State == CurationState.Collected)
                {
                    artifacts[id] = a.MoveTo(CurationState.Showcased);
                    changes.Put(artifacts[id]);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        return await SaveAsync(actor, current, changed, request, "milestone.showcase", cancellationToken, changes).ConfigureAwait(false);
    }

    /// <summary>Marks the milestone held: the showcase is frozen from now on.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageMilestones"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public async Task<Milestone> HoldAsync(Actor actor, MilestoneId milestone, CancellationToken cancellationToken = default)
    {
        var (current, request) = await DemandAsync(actor, milestone, AccessRight.ManageMilestones, "milestone.hold", cancellationToken).ConfigureAwait(false);
        return await SaveAsync(actor, current, current.Hold(_context.Clock.GetUtcNow()), request, "milestone.hold", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the milestone with the outcome combined from the panel's evaluations; panel access ends.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ManageMilestones"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public async Task<Milestone> CloseAsync(Actor actor, MilestoneId milestone, CancellationToken cancellationToken = default)
    {
        var (current, request) = await DemandAsync(actor, milestone, AccessRight.ManageMilestones, "milestone.close", cancellationToken).ConfigureAwait(false);
        var now = _context.Clock.GetUtcNow();
        Milestone closed;
        if (current.Rubric is { } r)
        {
            var rubric = await Store.GetRubricAsync(r, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", r.ToString());
            var evaluations = await Store.ListEvaluationsAsync(current.StudentId, cancellationToken).ConfigureAwait(false);
            closed = current.CloseWithPanelScores(rubric, evaluations, _context.Options.ScoreCombination, now);
        }
        else
        {
            closed = current.Close([], now);
        }

        var changes = new ChangeSet();
        foreach (var p in current.Panel)
        {
            changes.Put(Guard.Record(actor, "panel.revoke", request, true, $"panelist {p.PersonId}: milestone closed", milestone.ToString()));
        }

        return await SaveAsync(actor, current, closed, request, "milestone.close", cancellationToken, changes).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks students against the district's evidence rule for a framework version: every active skill of
    /// the student's school year needs the rule's evidence from the student's grade band. Tells a teacher
    /// which students are not ready and why.
    /// </summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ReadStudentWork"/> for each student).</param>
    /// <param name="framework">The framework (its current version is used).</param>
    /// <param name="students">The students to check.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>One result per student, in the order given.</returns>
    public async Task<IReadOnlyList<ReadinessResult>> CheckReadinessAsync(Actor actor, FrameworkId framework, IEnumerable<StudentId> students, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(students);
        var f = await Store.GetFrameworkAsync(framework, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", framework.ToString());
        var content = f.Current?.Content ?? throw new BackpackValidationException("$.framework", "framework.published", $"Framework {framework} has no published version yet.");
        var year = _context.Options.SchoolYearOf(_context.Today);
        var results = new List<ReadinessResult>();
        var changes = new ChangeSet();
        foreach (var id in students)
        {
            var request = new AccessRequest(AccessRight.ReadStudentWork) { Student = id };
            await Guard.DemandAsync(actor, request, "readiness.check", cancellationToken).ConfigureAwait(false);
            var student = await Store.GetStudentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", id.ToString());
            var grade = (student.EnrollmentOn(_context.Today) ?? student.LatestEnrollmentIn(year))?.Grade;
            var artifacts = await Store.ListArtifactsAsync(id, cancellationToken).ConfigureAwait(false);
            var band = grade is { } g ? _context.Options.Transitions.BandOf(g) : GradeBand.All;
            results.Add(ReadinessCheck.Check(id, content, year, band, artifacts, _context.Options.EvidenceRule));
            changes.Put(Guard.Record(actor, "readiness.check", request, true));
        }

        await Store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        return results;
    }

    private async Task<(Milestone, AccessRequest)> DemandAsync(Actor actor, MilestoneId id, AccessRight right, string action, CancellationToken ct)
    {
        var m = await Store.GetMilestoneAsync(id, ct).ConfigureAwait(false) ?? throw new BackpackNotFoundException("milestone", id.ToString());
        var request = new AccessRequest(right) { Student = m.StudentId, Milestone = id };
        await Guard.DemandAsync(actor, request, action, ct).ConfigureAwait(false);
        return (m, request);
    }

    private async Task<Milestone> SaveAsync(Actor actor, Milestone? before, Milestone after, AccessRequest request, string action, CancellationToken ct, ChangeSet? changes = null)
    {
        changes ??= new ChangeSet();
        changes.Put(after).Put(Guard.Record(actor, action, request, true, resource: after.Id.ToString()));
        foreach (var p in _context.Planners)
        {
            p.OnMilestoneSaved(before, after, changes);
        }

        await Store.SaveAsync(changes, ct).ConfigureAwait(false);
        return after with { Version = after.Version + 1 };
    }
}
