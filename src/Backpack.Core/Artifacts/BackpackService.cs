using Backpack.Core.Access;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Artifacts;

/// <summary>
/// A student's backpack: adding artifacts, aligning them to skills with reasoning, reflecting, curating,
/// teacher feedback and scoring, and reading it (audited). Every operation asks the access policy first.
/// </summary>
public sealed partial class BackpackService
{
    private readonly CommandPath _path;
    private readonly ILogger _logger;

    internal BackpackService(CommandPath path, ILogger<BackpackService> logger)
    {
        _path = path;
        _logger = logger;
    }

    private IBackpackStore Store => _path.Store;

    /// <summary>
    /// Adds an artifact to a student's backpack. Added by the student it is collected; added by a teacher
    /// (or Classroom sync) it is only suggested: nothing is published for the student without the student.
    /// Where and when it was made (school, grade, year) comes from the student's enrollment on
    /// <paramref name="madeOn"/> (today by default, in the district's time zone), never from the caller.
    /// The same work is one artifact (<see cref="Artifact.IdFor"/>): adding a source the backpack already holds
    /// returns that artifact unchanged, so a retry after a crash or a timeout never makes a duplicate (two adds at
    /// the same moment: one wins, the other gets <see cref="BackpackConcurrencyException"/>).
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.AddArtifact"/>: the student, a current teacher, the coursework job).</param>
    /// <param name="student">Whose backpack.</param>
    /// <param name="title">The title.</param>
    /// <param name="source">Where the work lives.</param>
    /// <param name="madeOn">The day the work was made, or <see langword="null"/> for today.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> AddArtifactAsync(Actor actor, StudentId student, string title, ArtifactSource source, DateOnly? madeOn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var request = new AccessRequest(BackpackOperation.AddArtifact) { Student = student };
        return _path.RunAsync(actor, request, "artifact.add", async c =>
        {
            var rules = _path.Options.ArtifactRules;
            if (string.IsNullOrWhiteSpace(title) || title.Length > rules.MaxTitleLength)
            {
                throw new BackpackValidationException("$.title", "artifact.title.length", $"An artifact title needs 1 to {rules.MaxTitleLength} characters.");
            }

            var day = madeOn ?? c.Today;
            if (day > c.Today)
            {
                throw new BackpackValidationException("$.madeOn", "artifact.made-on.past", $"The work cannot be made after today ({c.Today:yyyy-MM-dd}).");
            }

            var s = await Store.GetStudentAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
            var e = s.EnrollmentOn(day) ?? throw new BackpackValidationException("$.madeOn", "artifact.made-on.enrolled", $"Student {student} was not enrolled on {day:yyyy-MM-dd}.");
            var captured = new CaptureContext(e.Year, e.Grade, e.SchoolId);

            var id = Artifact.IdFor(student, source);
            c.Resource = id.ToString();
            if (await Store.GetArtifactAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            var state = actor.Role == ActorRole.Student ? CurationState.Collected : CurationState.Suggested;
            var artifact = new Artifact(id, student, title, source, captured, state, c.Now);
            return c.Put(null, artifact);
        }, cancellationToken);
    }

    /// <summary>Aligns an artifact to a skill with the student's reasoning. Only the student aligns their work; the skill must be active in the district's published framework in the artifact's year.</summary>
    /// <param name="actor">The student (<see cref="BackpackOperation.AlignArtifact"/>).</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="skill">The skill.</param>
    /// <param name="reasoning">Why the artifact shows the skill.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> AlignAsync(Actor actor, ArtifactId artifact, SkillId skill, string? reasoning, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, artifact, BackpackOperation.AlignArtifact, "artifact.align", (a, _) => a.AlignTo(skill, reasoning, _path.Options.ArtifactRules), cancellationToken);

    /// <summary>Adds a new version of the student's reflection on an artifact.</summary>
    /// <param name="actor">The student (<see cref="BackpackOperation.Reflect"/>).</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="text">The reflection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> ReflectAsync(Actor actor, ArtifactId artifact, string text, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, artifact, BackpackOperation.Reflect, "artifact.reflect", (a, c) => a.Reflect(text, c.Now, _path.Options.ArtifactRules), cancellationToken);

    /// <summary>Moves an artifact to another curation state (collect a suggestion, archive...). Only the student curates.</summary>
    /// <param name="actor">The student (<see cref="BackpackOperation.CurateArtifact"/>).</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> CurateAsync(Actor actor, ArtifactId artifact, CurationState state, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, artifact, BackpackOperation.CurateArtifact, "artifact.curate", (a, _) => a.MoveTo(state), cancellationToken);

    /// <summary>Gives teacher feedback on an artifact.</summary>
    /// <param name="actor">A current teacher (<see cref="BackpackOperation.GiveFeedback"/>).</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="text">The feedback.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> GiveFeedbackAsync(Actor actor, ArtifactId artifact, string text, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, artifact, BackpackOperation.GiveFeedback, "artifact.feedback", (a, c) => a.GiveFeedback(
            c.Actor.PersonId ?? throw new BackpackValidationException("$.actor", "feedback.actor.person", "Feedback comes from a person."), text, c.Now, _path.Options.ArtifactRules), cancellationToken);

    /// <summary>
    /// Scores an artifact against a rubric version, one level per criterion, by name or id
    /// (<c>new CriterionLevel("Evidence of growth", "Ready")</c>). One vote per evaluator per subject and
    /// criterion: scoring again replaces the evaluator's earlier level for the criteria given (kept in
    /// <see cref="Evaluation.History"/>). The school, grade and year come from the student's enrollment today.
    /// </summary>
    /// <param name="actor">A current teacher (<see cref="BackpackOperation.ScoreArtifact"/>).</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="scores">The levels, per criterion.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The evaluator's evaluation of the artifact, as saved.</returns>
    public Task<Evaluation> ScoreArtifactAsync(Actor actor, ArtifactId artifact, RubricRef rubric, IEnumerable<CriterionLevel> scores, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return _path.RunAsync(actor, new AccessRequest(BackpackOperation.ScoreArtifact) { Artifact = artifact }, "evaluation.score", async c =>
        {
            var a = await Store.GetArtifactAsync(artifact, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("artifact", artifact.ToString());
            var student = await Store.GetStudentAsync(a.StudentId, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", a.StudentId.ToString());
            var e = student.EnrollmentOn(c.Today) ?? throw new BackpackValidationException("$.artifact", "evaluation.student.enrolled", $"Student {a.StudentId} is not enrolled today.");
            var context = new CaptureContext(e.Year, e.Grade, e.SchoolId);
            return await ScoreAsync(c, a.StudentId, artifact.Value, rubric, context, scores, x => x with { ArtifactId = artifact }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Scores a milestone (a defense) with its rubric as a member of its panel, while it is held; one level per
    /// criterion, by name or id. One vote per panelist and criterion: scoring again replaces the earlier level.
    /// The context is the milestone's (the student's enrollment on its date).
    /// </summary>
    /// <param name="actor">A panelist of the milestone (<see cref="BackpackOperation.ScoreMilestone"/>).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="scores">The levels, per criterion.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The panelist's evaluation of the milestone, as saved.</returns>
    public Task<Evaluation> ScoreMilestoneAsync(Actor actor, MilestoneId milestone, IEnumerable<CriterionLevel> scores, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return _path.RunAsync(actor, new AccessRequest(BackpackOperation.ScoreMilestone) { Milestone = milestone }, "evaluation.score", async c =>
        {
            var m = await Store.GetMilestoneAsync(milestone, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("milestone", milestone.ToString());
            var rubric = m.Rubric ?? throw new BackpackValidationException("$.milestone", "evaluation.milestone.rubric", $"Milestone {milestone} has no rubric to score with.");
            return await ScoreAsync(c, m.StudentId, milestone.Value, rubric, m.Context, scores, x => x with { MilestoneId = milestone }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private async Task<Evaluation> ScoreAsync(Command c, StudentId student, Guid subject, RubricRef rubricRef, CaptureContext context, IEnumerable<CriterionLevel> given, Func<Evaluation, Evaluation> withSubject, CancellationToken ct)
    {
        var rubric = await Store.GetRubricAsync(rubricRef, ct).ConfigureAwait(false)
            ?? throw new BackpackValidationException("$.rubric", "reference.rubric.exists", $"Rubric {rubricRef} is not a rubric version of the district.");
        var evaluator = c.Actor.PersonId ?? throw new BackpackValidationException("$.actor", "evaluation.actor.person", "Scores come from a teacher or a panelist.");
        var problems = new List<ValidationProblem>();
        var scores = given.Select((s, i) => s.Resolve(rubric, $"$.scores[{i}]", problems)).OfType<CriterionScore>().ToValueList();
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        var role = c.Actor.Role == ActorRole.Panelist ? EvaluatorRole.Panelist : EvaluatorRole.Teacher;
        var id = Evaluation.IdFor(evaluator, subject, rubricRef.Id);
        var existing = await Store.GetEvaluationAsync(id, ct).ConfigureAwait(false);
        var scored = existing is not null && existing.Rubric == rubricRef
            ? existing.Rescore(scores, c.Now) with { Role = role, Context = context }
            : withSubject(new Evaluation(id, student, rubricRef, evaluator, role, scores, c.Now, context, existing?.Version ?? 0)
            {
                History = existing is null ? ValueList<EvaluationRevision>.Empty : existing.History.Add(new EvaluationRevision(existing.ScoredAt, existing.Scores)),
            });
        problems.AddRange(scored.Validate(rubric));
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        c.Resource = id.ToString();
        c.Student = student;
        var saved = c.Put(scored);
        LogScored(_logger, id, role);
        return saved;
    }

    /// <summary>Reads a student's whole backpack (passport): the full records. Audited.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadBackpack"/>: the student, a current teacher, an administrator of the student's school).</param>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The passport.</returns>
    public Task<StudentPassport> GetBackpackAsync(Actor actor, StudentId student, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadBackpack) { Student = student }, "backpack.read", async _ =>
            await Store.LoadPassportAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString()), cancellationToken);

    /// <summary>
    /// Reads a milestone's showcase view: per skill, each artifact's title, link, the student's reasoning and
    /// reflection. Once the milestone is held this is the snapshot frozen then (later edits do not show);
    /// before, it is built from the artifacts as they are. No feedback, grades or other reflection versions:
    /// those are in the full records (<see cref="GetBackpackAsync"/>). Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadShowcase"/>: the student, their current teachers, their school's administrators, a guardian, a panelist while panel access is open).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The showcase view.</returns>
    public Task<ShowcaseView> GetShowcaseAsync(Actor actor, MilestoneId milestone, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadShowcase) { Milestone = milestone }, "showcase.read", async c =>
        {
            var m = await Store.GetMilestoneAsync(milestone, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("milestone", milestone.ToString());
            c.Student = m.StudentId;
            var skills = m.IsShowcaseFrozen
                ? m.Snapshot
                : ShowcaseView.Snapshot(m.Showcase, (await Store.ListArtifactsAsync(m.StudentId, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Id));
            return new ShowcaseView(m.Id, m.StudentId, m.Kind, m.Status, m.ShowcaseFrozenAt, skills);
        }, cancellationToken);

    private Task<Artifact> ChangeAsync(Actor actor, ArtifactId id, BackpackOperation operation, string action, Func<Artifact, Command, Artifact> change, CancellationToken ct) =>
        _path.RunAsync(actor, new AccessRequest(operation) { Artifact = id }, action, async c =>
        {
            var current = await Store.GetArtifactAsync(id, ct).ConfigureAwait(false) ?? throw new BackpackNotFoundException("artifact", id.ToString());
            if (current.Source is ExternalCredentialSource)
            {
                throw new BackpackValidationException("$.artifact", "artifact.external.read-only", $"Artifact {id} is a credential from another issuer: it is kept as it was issued.");
            }

            c.Resource = id.ToString();
            c.Student = current.StudentId;
            var saved = c.Put(current, change(current, c));
            LogArtifactSaved(_logger, id, action);
            return saved;
        }, ct);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Artifact {ArtifactId} saved ({Action}).")]
    private static partial void LogArtifactSaved(ILogger logger, ArtifactId artifactId, string action);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Evaluation {EvaluationId} saved by a {Role}.")]
    private static partial void LogScored(ILogger logger, EvaluationId evaluationId, EvaluatorRole role);
}
