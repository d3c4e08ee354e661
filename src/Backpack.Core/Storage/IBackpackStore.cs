using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Storage;

/// <summary>Which identity a student is looked up by.</summary>
public enum StudentIdentityKind
{
    /// <summary>The district's student number.</summary>
    DistrictStudentId,

    /// <summary>The Google Workspace user id.</summary>
    GoogleUserId,

    /// <summary>The OneRoster sourcedId.</summary>
    OneRosterSourcedId,
}

/// <summary>A student's whole passport: the student and everything in their backpack.</summary>
/// <param name="Student">The student.</param>
/// <param name="Artifacts">Every artifact.</param>
/// <param name="Evaluations">Every evaluation of their work and milestones.</param>
/// <param name="Milestones">Every milestone.</param>
public sealed record StudentPassport(Student Student, ValueList<Artifact> Artifacts, ValueList<Evaluation> Evaluations, ValueList<Milestone> Milestones);

/// <summary>
/// Where Backpack keeps its data. Implementations: in-memory (Backpack.Core.Testing), SQLite and
/// PostgreSQL; one contract test suite runs against each. Reads return what was committed; every write goes
/// through <see cref="SaveAsync"/>, atomically with optimistic concurrency. Provider exceptions are
/// translated into <see cref="BackpackStoreException"/>.
/// </summary>
public interface IBackpackStore
{
    /// <summary>Gets a framework.</summary>
    /// <param name="id">The framework id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The framework, or <see langword="null"/>.</returns>
    Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default);

    /// <summary>Lists every framework.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The frameworks.</returns>
    Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets one version of a rubric.</summary>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rubric, or <see langword="null"/>.</returns>
    Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default);

    /// <summary>Gets the latest version of a rubric.</summary>
    /// <param name="id">The rubric id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rubric, or <see langword="null"/>.</returns>
    Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default);

    /// <summary>Lists every school.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The schools.</returns>
    Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets a student.</summary>
    /// <param name="id">The student id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The student, or <see langword="null"/>.</returns>
    Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default);

    /// <summary>Finds a student by an external identity.</summary>
    /// <param name="kind">Which identity.</param>
    /// <param name="value">Its value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The student, or <see langword="null"/>.</returns>
    Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default);

    /// <summary>Gets a roster.</summary>
    /// <param name="id">The roster id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The roster, or <see langword="null"/>.</returns>
    Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default);

    /// <summary>Lists the rosters a teacher teaches in a school year.</summary>
    /// <param name="teacher">The teacher.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rosters.</returns>
    Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default);

    /// <summary>Lists the rosters a student is on in a school year.</summary>
    /// <param name="student">The student.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rosters.</returns>
    Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default);

    /// <summary>Gets an artifact.</summary>
    /// <param name="id">The artifact id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The artifact, or <see langword="null"/>.</returns>
    Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default);

    /// <summary>Lists a student's artifacts.</summary>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The artifacts, oldest first.</returns>
    Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default);

    /// <summary>Gets an evaluation.</summary>
    /// <param name="id">The evaluation id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The evaluation, or <see langword="null"/>.</returns>
    Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default);

    /// <summary>Lists the evaluations of a student's work and milestones.</summary>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The evaluations.</returns>
    Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default);

    /// <summary>Lists the evaluations against one rubric version in one school year (for agreement and moderation).</summary>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="year">The school year of the evaluations' context.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The evaluations, ordered by id.</returns>
    Task<IReadOnlyList<Evaluation>> ListEvaluationsOfRubricAsync(RubricRef rubric, SchoolYear year, CancellationToken cancellationToken = default);

    /// <summary>Lists the students enrolled at <paramref name="school"/> on <paramref name="day"/> (their enrollment that day is there).</summary>
    /// <param name="school">The school.</param>
    /// <param name="day">The date.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The students, ordered by id.</returns>
    Task<IReadOnlyList<Student>> ListStudentsAsync(SchoolId school, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Gets a milestone.</summary>
    /// <param name="id">The milestone id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The milestone, or <see langword="null"/>.</returns>
    Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default);

    /// <summary>Lists a student's milestones.</summary>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The milestones.</returns>
    Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default);

    /// <summary>Loads a student's whole passport in one read.</summary>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The passport, or <see langword="null"/> when the student does not exist.</returns>
    Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies every change in <paramref name="changes"/> atomically: all or nothing. Each versioned item
    /// is written only if its stored version still equals its <see cref="IVersioned.Version"/> (0 = must
    /// not exist yet), and is stored with version + 1. Rubric versions are insert-only. Outbox messages
    /// with an idempotency key already present are skipped.
    /// </summary>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">Cancels the write (before commit).</param>
    /// <returns>A task that completes when committed.</returns>
    /// <exception cref="BackpackConcurrencyException">An item changed since it was read; nothing was written.</exception>
    Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>Computes a readiness report where the data lives (in SQL for the database stores).</summary>
    /// <param name="request">What the report covers.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report, in canonical order (see <see cref="ReadinessReport.Normalize"/>).</returns>
    Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default);

    /// <summary>Computes a level-distribution report.</summary>
    /// <param name="request">What the report covers.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report.</returns>
    Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Computes an evidence-coverage report where the data lives (the database stores read their maintained
    /// counts): per school and grade, students, and per skill those with evidence that year and those meeting the
    /// rule; and per student group (<see cref="Student.Groups"/>) and grade, the same over the whole district.
    /// </summary>
    /// <param name="request">What the report covers.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report (rows and groups; <see cref="CoverageReport.District"/> empty), rows ordered by school then grade.</returns>
    Task<CoverageReport> GetCoverageReportAsync(CoverageReportRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists every score given in school years <paramref name="first"/> to <paramref name="last"/> (for growth reports): ids and levels only.</summary>
    /// <param name="first">The first school year.</param>
    /// <param name="last">The last school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The scores, in no particular order.</returns>
    Task<IReadOnlyList<ScoreRecord>> ListScoresAsync(SchoolYear first, SchoolYear last, CancellationToken cancellationToken = default);

    /// <summary>Gets a sync checkpoint.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint, or <see langword="null"/>.</returns>
    Task<Sync.SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the sync checkpoints whose key starts with <paramref name="prefix"/>, ordered by key.</summary>
    /// <param name="prefix">The key prefix, e.g. <c>classroom:course:</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoints.</returns>
    Task<IReadOnlyList<Sync.SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Reads audit records, oldest first.</summary>
    /// <param name="query">Which records.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    Task<IReadOnlyList<Access.AuditRecord>> ReadAuditAsync(Access.AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the students who exited the district on or before <paramref name="exitedOnOrBefore"/> (see
    /// <see cref="Student.ExitedOn"/>), ordered by id. The database stores scan the students for it: a job's read.
    /// </summary>
    /// <param name="exitedOnOrBefore">The latest exit date listed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The students.</returns>
    Task<IReadOnlyList<Student>> ListExitedStudentsAsync(DateOnly exitedOnOrBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Purges a student, atomically: their artifacts (with alignments, reflections and feedback), evaluations,
    /// milestones, enrollments and student row; their memberships and departures on rosters (the rosters are
    /// rewritten without them); sync checkpoints and outbox messages that name them (except messages whose operation
    /// ends with <see cref="Sync.OutboxOperations.KeptOnPurgeSuffix"/>: the purge's own side effects). Their audit records keep
    /// ids, actions and times but lose their <see cref="Access.AuditRecord.Detail"/>. <paramref name="record"/>
    /// is appended in the same transaction. The database stores then reclaim the freed space so no old bytes
    /// stay in their files (SQLite: <c>secure_delete</c>, <c>VACUUM</c>, WAL checkpoint; PostgreSQL: <c>VACUUM</c>).
    /// Purging a student who is not stored removes what still names them and returns the counts (idempotent).
    /// </summary>
    /// <param name="student">The student.</param>
    /// <param name="record">The audit record of the purge (ids and counts only).</param>
    /// <param name="cancellationToken">Cancels the purge (before commit).</param>
    /// <returns>What was removed.</returns>
    Task<StudentPurgeResult> PurgeStudentAsync(StudentId student, Access.AuditRecord record, CancellationToken cancellationToken = default);
}

/// <summary>What purging one student removed from a store.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="StudentRemoved">Whether the student row was there.</param>
/// <param name="Enrollments">Enrollments removed.</param>
/// <param name="Artifacts">Artifacts removed (with their alignments, reflections and feedback).</param>
/// <param name="Evaluations">Evaluations removed.</param>
/// <param name="Milestones">Milestones removed.</param>
/// <param name="Rosters">Rosters rewritten without the student.</param>
/// <param name="Checkpoints">Sync checkpoints removed.</param>
/// <param name="OutboxMessages">Outbox messages removed (pending, done or dead-lettered).</param>
/// <param name="AuditRecordsRedacted">Audit records whose detail was removed.</param>
public sealed record StudentPurgeResult(
    StudentId StudentId,
    bool StudentRemoved,
    int Enrollments,
    int Artifacts,
    int Evaluations,
    int Milestones,
    int Rosters,
    int Checkpoints,
    int OutboxMessages,
    int AuditRecordsRedacted);
