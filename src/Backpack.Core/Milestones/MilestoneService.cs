using Backpack.Core.Access;
using Backpack.Core.Artifacts;
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
    private readonly CommandPath _path;

    internal MilestoneService(CommandPath path) => _path = path;

    private IBackpackStore Store => _path.Store;

    /// <summary>
    /// Schedules a milestone for a student, in the school and grade of their enrollment on that day (in the
    /// district's time zone). One milestone per student, kind and time (<see cref="Milestone.IdFor"/>): scheduling the
    /// same again returns the one already saved, so a retry after a crash or a plan published twice never duplicates.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ScheduleMilestone"/>).</param>
    /// <param name="student">The student.</param>
    /// <param name="kind">The kind of milestone.</param>
    /// <param name="at">When it takes place.</param>
    /// <param name="rubric">The rubric version the panel scores with.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public Task<Milestone> ScheduleAsync(Actor actor, StudentId student, MilestoneKind kind, DateTimeOffset at, Rubrics.RubricRef? rubric, CancellationToken cancellationToken = default) =>
        _path.RunAsync(actor, new AccessRequest(BackpackOperation.ScheduleMilestone) { Student = student }, "milestone.schedule", async c =>
        {
            var s = await Store.GetStudentAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
            var day = c.Options.TodayAt(at);
            var e = s.EnrollmentOn(day) ?? s.LatestEnrollmentIn(c.Options.SchoolYearOf(day))
                ?? throw new BackpackValidationException("$.at", "milestone.student.enrolled", $"Student {student} is not enrolled on {day:yyyy-MM-dd}.");
            if (kind == MilestoneKind.DefenseOfLearning && !c.Options.Transitions.IsTransition(e.Grade))
            {
                throw new BackpackValidationException("$.kind", "milestone.defense.transition-grade", $"A Defense of Learning is held at a transition grade ({string.Join(", ", c.Options.Transitions.Grades)}); the student is in grade {e.Grade}.");
            }

            var id = Milestone.IdFor(student, kind, at);
            c.Resource = id.ToString();
            if (await Store.GetMilestoneAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            var milestone = new Milestone(id, student, kind, new CaptureContext(e.Year, e.Grade, e.SchoolId), at, MilestoneStatus.Scheduled) { Rubric = rubric };
            return c.Put(null, milestone);
        }, cancellationToken);

    /// <summary>Sets the panel. Each panelist added is a grant and each removed a revocation; both are audited.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.SetPanel"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="panel">The panelists.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public Task<Milestone> SetPanelAsync(Actor actor, MilestoneId milestone, IEnumerable<Panelist> panel, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, milestone, BackpackOperation.SetPanel, "milestone.panel", (current, c) =>
        {
            var changed = current.WithPanel(panel);
            foreach (var added in changed.Panel.Where(p => !current.Panel.Any(x => x.PersonId == p.PersonId)))
            {
                c.Audit("panel.grant", current.StudentId, milestone.ToString(), $"panelist {added.PersonId} ({added.Role})");
            }

            foreach (var removed in current.Panel.Where(p => !changed.Panel.Any(x => x.PersonId == p.PersonId)))
            {
                c.Audit("panel.revoke", current.StudentId, milestone.ToString(), $"panelist {removed.PersonId}");
            }

            return Task.FromResult(changed);
        }, cancellationToken);

    /// <summary>
    /// Sets the showcase: artifacts per skill, in order. Every artifact must be the student's and collected;
    /// showcased artifacts move to <see cref="CurationState.Showcased"/>. Panel access opens once a showcase is set.
    /// </summary>
    /// <param name="actor">The student or a current teacher (<see cref="BackpackOperation.SetShowcase"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="entries">Artifacts per skill.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public Task<Milestone> SetShowcaseAsync(Actor actor, MilestoneId milestone, IEnumerable<ShowcaseEntry> entries, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, milestone, BackpackOperation.SetShowcase, "milestone.showcase", async (current, c) =>
        {
            var changed = current.WithShowcase(entries);
            var artifacts = (await Store.ListArtifactsAsync(current.StudentId, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Id);
            var problems = new List<ValidationProblem>();
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
                        artifacts[id] = c.Put(a, a.MoveTo(CurationState.Showcased));
                    }
                }
            }

            return problems.Count > 0 ? throw new BackpackValidationException(problems) : changed;
        }, cancellationToken);

    /// <summary>
    /// Marks the milestone held: the showcase is frozen from now on, and the snapshot panelists and guardians see
    /// is taken now (title, link, reasoning, the reflection version current now). Panel access ends
    /// <c>PanelAccessDays</c> after this, or at close or cancellation.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.HoldMilestone"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public Task<Milestone> HoldAsync(Actor actor, MilestoneId milestone, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, milestone, BackpackOperation.HoldMilestone, "milestone.hold", async (current, c) =>
        {
            var artifacts = (await Store.ListArtifactsAsync(current.StudentId, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Id);
            return current.Hold(c.Now, ShowcaseView.Snapshot(current.Showcase, artifacts));
        }, cancellationToken);

    /// <summary>Closes the milestone with the outcome combined from the panel's evaluations; panel access ends.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.CloseMilestone"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public Task<Milestone> CloseAsync(Actor actor, MilestoneId milestone, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, milestone, BackpackOperation.CloseMilestone, "milestone.close", async (current, c) =>
        {
            Milestone closed;
            if (current.Status == MilestoneStatus.Scheduled)
            {
                var artifacts = (await Store.ListArtifactsAsync(current.StudentId, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Id);
                current = current.Hold(c.Now, ShowcaseView.Snapshot(current.Showcase, artifacts));
            }

            if (current.Rubric is { } r)
            {
                var rubric = await Store.GetRubricAsync(r, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", r.ToString());
                var evaluations = await Store.ListEvaluationsAsync(current.StudentId, cancellationToken).ConfigureAwait(false);
                closed = current.CloseWithPanelScores(rubric, evaluations, c.Options.ScoreCombination, c.Now, c.Options.PanelQuorum);
            }
            else
            {
                closed = current.Close([], c.Now);
            }

            RevokePanel(c, current, "milestone closed");
            return closed;
        }, cancellationToken);

    /// <summary>Cancels the milestone; panel access ends.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.CloseMilestone"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved milestone.</returns>
    public Task<Milestone> CancelAsync(Actor actor, MilestoneId milestone, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, milestone, BackpackOperation.CloseMilestone, "milestone.cancel", (current, c) =>
        {
            var cancelled = current.Cancel(c.Now);
            RevokePanel(c, current, "milestone cancelled");
            return Task.FromResult(cancelled);
        }, cancellationToken);

    /// <summary>
    /// Checks students against the district's evidence rule on <paramref name="on"/> (today by default): for each
    /// student enrolled that day, every skill active that year that applies to the band of their grade needs the
    /// rule's evidence from that band; each gap says what is missing (<see cref="ReadinessShortfall"/>). One result
    /// per student, in the order given: a student not enrolled that day is <see cref="ReadinessOutcome.NotEnrolled"/>,
    /// and one the actor may not check is <see cref="ReadinessOutcome.Denied"/> (audited) without failing the rest.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.CheckReadiness"/>, decided per student).</param>
    /// <param name="framework">The framework (its current version is used).</param>
    /// <param name="students">The students to check (e.g. from <see cref="RosterService.ListStudentsAsync"/>).</param>
    /// <param name="on">The date, or <see langword="null"/> for today in the district's time zone.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>One result per student, in the order given.</returns>
    public async Task<IReadOnlyList<ReadinessResult>> CheckReadinessAsync(Actor actor, FrameworkId framework, IEnumerable<StudentId> students, DateOnly? on = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(students);
        var results = new List<ReadinessResult>();
        FrameworkContent? content = null;
        foreach (var id in students)
        {
            try
            {
                results.Add(await _path.ReadAsync(actor, new AccessRequest(BackpackOperation.CheckReadiness) { Student = id }, "readiness.check", async c =>
                {
                    if (content is null)
                    {
                        var f = await Store.GetFrameworkAsync(framework, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", framework.ToString());
                        content = f.Current?.Content ?? throw new BackpackValidationException("$.framework", "framework.published", $"Framework {framework} has no published version yet.");
                    }

                    var day = on ?? c.Today;
                    var student = await Store.GetStudentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", id.ToString());
                    if (student.EnrollmentOn(day) is not { } enrollment)
                    {
                        return new ReadinessResult(id, ValueList<ReadinessGap>.Empty) { Outcome = ReadinessOutcome.NotEnrolled };
                    }

                    var artifacts = await Store.ListArtifactsAsync(id, cancellationToken).ConfigureAwait(false);
                    return ReadinessCheck.Check(id, content, enrollment.Year, c.Options.Transitions.BandOf(enrollment.Grade), artifacts, c.Options.EvidenceRule);
                }, cancellationToken).ConfigureAwait(false));
            }
            catch (BackpackAccessDeniedException)
            {
                results.Add(new ReadinessResult(id, ValueList<ReadinessGap>.Empty) { Outcome = ReadinessOutcome.Denied });
            }
        }

        return results;
    }

    private static void RevokePanel(Command c, Milestone m, string why)
    {
        foreach (var p in m.Panel)
        {
            c.Audit("panel.revoke", m.StudentId, m.Id.ToString(), $"panelist {p.PersonId}: {why}");
        }
    }

    private Task<Milestone> ChangeAsync(Actor actor, MilestoneId id, BackpackOperation operation, string action, Func<Milestone, Command, Task<Milestone>> change, CancellationToken ct) =>
        _path.RunAsync(actor, new AccessRequest(operation) { Milestone = id }, action, async c =>
        {
            var current = await Store.GetMilestoneAsync(id, ct).ConfigureAwait(false) ?? throw new BackpackNotFoundException("milestone", id.ToString());
            c.Resource = id.ToString();
            c.Student = current.StudentId;
            var changed = await change(current, c).ConfigureAwait(false);
            return c.Put(current, changed);
        }, ct);
}
