using Backpack.Core.Access;
using Backpack.Core.DependencyInjection;
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
    private readonly ServiceContext _context;
    private readonly ILogger _logger;

    internal BackpackService(ServiceContext context, ILogger<BackpackService> logger)
    {
        _context = context;
        _logger = logger;
    }

    private IBackpackStore Store => _context.Store;

    private AccessGuard Guard => _context.Guard;

    /// <summary>
    /// Adds an artifact to a student's backpack. Added by the student it is collected; added by a teacher
    /// (or Classroom sync) it is only suggested: nothing is published for the student without the student.
    /// The capture context defaults to the student's enrollment today.
    /// </summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.WriteStudentWork"/>).</param>
    /// <param name="student">Whose backpack.</param>
    /// <param name="title">The title.</param>
    /// <param name="source">Where the work lives.</param>
    /// <param name="captured">When and where it was made, or <see langword="null"/> for today's enrollment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public async Task<Artifact> AddArtifactAsync(Actor actor, StudentId student, string title, ArtifactSource source, CaptureContext? captured = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(source);
        var request = new AccessRequest(AccessRight.WriteStudentWork) { Student = student };
        await Guard.DemandAsync(actor, request, "artifact.add", cancellationToken).ConfigureAwait(false);
        var rules = _context.Options.ArtifactRules;
        if (string.IsNullOrWhiteSpace(title) || title.Length > rules.MaxTitleLength)
        {
            throw new BackpackValidationException("$.title", "artifact.title.length", $"An artifact title needs 1 to {rules.MaxTitleLength} characters.");
        }

        if (captured is null)
        {
            var s = await Store.GetStudentAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
            var e = s.EnrollmentOn(_context.Today) ?? throw new BackpackValidationException("$.captured", "artifact.captured.enrollment", $"Student {student} is not enrolled today; say when and where the work was made.");
            captured = new CaptureContext(e.Year, e.Grade, e.SchoolId);
        }

        var state = actor.Role == ActorRole.Student ? CurationState.Collected : CurationState.Suggested;
        var artifact = new Artifact(ArtifactId.New(), student, title, source, captured, state, _context.Clock.GetUtcNow());
        return await SaveAsync(actor, null, artifact, request, "artifact.add", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aligns an artifact to a skill with the student's reasoning. Only the student writes their reasoning.</summary>
    /// <param name="actor">The student.</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="skill">The skill.</param>
    /// <param name="reasoning">Why the artifact shows the skill.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> AlignAsync(Actor actor, ArtifactId artifact, SkillId skill, string? reasoning, CancellationToken cancellationToken = default) =>
        ChangeAsStudentAsync(actor, artifact, "artifact.align", a => a.AlignTo(skill, reasoning, _context.Options.ArtifactRules), cancellationToken);

    /// <summary>Adds a new version of the student's reflection on an artifact.</summary>
    /// <param name="actor">The student.</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="text">The reflection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> ReflectAsync(Actor actor, ArtifactId artifact, string text, CancellationToken cancellationToken = default) =>
        ChangeAsStudentAsync(actor, artifact, "artifact.reflect", a => a.Reflect(text, _context.Clock.GetUtcNow(), _context.Options.ArtifactRules), cancellationToken);

    /// <summary>Moves an artifact to another curation state (collect a suggestion, archive...). Only the student curates.</summary>
    /// <param name="actor">The student.</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public Task<Artifact> CurateAsync(Actor actor, ArtifactId artifact, CurationState state, CancellationToken cancellationToken = default) =>
        ChangeAsStudentAsync(actor, artifact, "artifact.curate", a => a.MoveTo(state), cancellationToken);

    /// <summary>Gives teacher feedback on an artifact.</summary>
    /// <param name="actor">A teacher (needs <see cref="AccessRight.ScoreStudentWork"/>).</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="text">The feedback.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved artifact.</returns>
    public async Task<Artifact> GiveFeedbackAsync(Actor actor, ArtifactId artifact, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = await GetArtifactAsync(artifact, cancellationToken).ConfigureAwait(false);
        var request = new AccessRequest(AccessRight.ScoreStudentWork) { Student = current.StudentId };
        await Guard.DemandAsync(actor, request, "artifact.feedback", cancellationToken).ConfigureAwait(false);
        var teacher = actor.PersonId ?? throw new BackpackValidationException("$.actor", "feedback.actor.person", "Feedback comes from a person.");
        return await SaveAsync(actor, current, current.GiveFeedback(teacher, text, _context.Clock.GetUtcNow(), _context.Options.ArtifactRules), request, "artifact.feedback", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Scores an artifact or a milestone against a rubric version, one level per criterion. An evaluator
    /// scoring the same subject again replaces their evaluation (with optimistic concurrency).
    /// </summary>
    /// <param name="actor">A teacher, or a panelist of the milestone (needs <see cref="AccessRight.ScoreStudentWork"/>).</param>
    /// <param name="evaluation">The evaluation (subject, rubric, scores); its id, evaluator, role and time are set here.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved evaluation.</returns>
    public async Task<Evaluation> ScoreAsync(Actor actor, Evaluation evaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(evaluation);
        var request = new AccessRequest(AccessRight.ScoreStudentWork) { Student = evaluation.StudentId, Milestone = evaluation.MilestoneId };
        await Guard.DemandAsync(actor, request, "evaluation.score", cancellationToken).ConfigureAwait(false);
        var rubric = await Store.GetRubricAsync(evaluation.Rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", evaluation.Rubric.ToString());
        var evaluator = actor.PersonId ?? throw new BackpackValidationException("$.actor", "evaluation.actor.person", "Scores come from a teacher or a panelist.");
        var role = actor.Role == ActorRole.Panelist ? EvaluatorRole.Panelist : EvaluatorRole.Teacher;
        var scored = evaluation with { EvaluatorId = evaluator, Role = role, ScoredAt = _context.Clock.GetUtcNow() };
        var problems = scored.Validate(rubric);
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        await CheckSubjectAsync(scored, cancellationToken).ConfigureAwait(false);
        var changes = new ChangeSet().Put(scored).Put(Guard.Record(actor, "evaluation.score", request, true, resource: scored.Id.ToString()));
        await Store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        LogScored(_logger, scored.Id, role);
        return scored with { Version = scored.Version + 1 };
    }

    /// <summary>Reads a student's whole backpack (passport). Audited.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ReadStudentWork"/>).</param>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The passport.</returns>
    public async Task<StudentPassport> GetBackpackAsync(Actor actor, StudentId student, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ReadStudentWork) { Student = student };
        await Guard.DemandAsync(actor, request, "backpack.read", cancellationToken).ConfigureAwait(false);
        var passport = await Store.LoadPassportAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
        await Store.SaveAsync(new ChangeSet().Put(Guard.Record(actor, "backpack.read", request, true)), cancellationToken).ConfigureAwait(false);
        return passport;
    }

    /// <summary>Reads a milestone's showcase: the milestone and its artifacts in showcase order. Audited.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ReadShowcase"/>: the student, their teachers, a panelist while the panel is open, a guardian).</param>
    /// <param name="milestone">The milestone.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The milestone and its showcased artifacts.</returns>
    public async Task<(Milestone Milestone, IReadOnlyList<Artifact> Artifacts)> GetShowcaseAsync(Actor actor, MilestoneId milestone, CancellationToken cancellationToken = default)
    {
        var m = await Store.GetMilestoneAsync(milestone, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("milestone", milestone.ToString());
        var request = new AccessRequest(AccessRight.ReadShowcase) { Student = m.StudentId, Milestone = milestone };
        await Guard.DemandAsync(actor, request, "showcase.read", cancellationToken).ConfigureAwait(false);
        var all = await Store.ListArtifactsAsync(m.StudentId, cancellationToken).ConfigureAwait(false);
        var byId = all.ToDictionary(a => a.Id);
        var artifacts = m.ShowcasedArtifacts.Where(byId.ContainsKey).Select(id => byId[id]).ToArray();
        await Store.SaveAsync(new ChangeSet().Put(Guard.Record(actor, "showcase.read", request, true)), cancellationToken).ConfigureAwait(false);
        return (m, artifacts);
    }

    /// <summary>Gets an artifact without access checks (for internal use by services).</summary>
    private async Task<Artifact> GetArtifactAsync(ArtifactId id, CancellationToken ct) =>
        await Store.GetArtifactAsync(id, ct).ConfigureAwait(false) ?? throw new BackpackNotFoundException("artifact", id.ToString());

    private async Task<Artifact> ChangeAsStudentAsync(Actor actor, ArtifactId id, string action, Func<Artifact, Artifact> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = await GetArtifactAsync(id, ct).ConfigureAwait(false);
        var request = new AccessRequest(AccessRight.WriteStudentWork) { Student = current.StudentId };
        await Guard.DemandAsync(actor, request, action, ct).ConfigureAwait(false);
        if (actor.Role != ActorRole.Student)
        {
            var denied = new AccessDecision(false, $"{actor.Role} {request.Right}: only the student aligns, reflects on and curates their own work", actor, request);
            await Store.SaveAsync(new ChangeSet().Put(Guard.Record(actor, action, request, false, denied.Reason)), ct).ConfigureAwait(false);
            throw new BackpackAccessDeniedException(denied);
        }

        return await SaveAsync(actor, current, change(current), request, action, ct).ConfigureAwait(false);
    }

    private async Task<Artifact> SaveAsync(Actor actor, Artifact? before, Artifact after, AccessRequest request, string action, CancellationToken ct)
    {
        var changes = new ChangeSet().Put(after).Put(Guard.Record(actor, action, request, true, resource: after.Id.ToString()));
        foreach (var p in _context.Planners)
        {
            p.OnArtifactSaved(before, after, changes);
        }

        await Store.SaveAsync(changes, ct).ConfigureAwait(false);
        LogArtifactSaved(_logger, after.Id, action);
        return after with { Version = after.Version + 1 };
    }

    private async Task CheckSubjectAsync(Evaluation e, CancellationToken ct)
    {
        if (e.ArtifactId is { } a)
        {
            var artifact = await GetArtifactAsync(a, ct).ConfigureAwait(false);
            if (artifact.StudentId != e.StudentId)
            {
                throw new BackpackValidationException("$.artifactId", "evaluation.subject.student", $"Artifact {a} is not in student {e.StudentId}'s backpack.");
            }
        }
        else if (e.MilestoneId is { } m)
        {
            var milestone = await Store.GetMilestoneAsync(m, ct).ConfigureAwait(false) ?? throw new BackpackNotFoundException("milestone", m.ToString());
            if (milestone.StudentId != e.StudentId)
            {
                throw new BackpackValidationException("$.milestoneId", "evaluation.subject.student", $"Milestone {m} is not student {e.StudentId}'s.");
            }

            if (milestone.Rubric is { } r && r != e.Rubric)
            {
                throw new BackpackValidationException("$.rubric", "evaluation.rubric.milestone", $"Milestone {m} is scored with rubric {r}, not {e.Rubric}.");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Artifact {ArtifactId} saved ({Action}).")]
    private static partial void LogArtifactSaved(ILogger logger, ArtifactId artifactId, string action);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Evaluation {EvaluationId} saved by a {Role}.")]
    private static partial void LogScored(ILogger logger, EvaluationId evaluationId, EvaluatorRole role);
}
