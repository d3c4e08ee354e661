using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Relational;

/// <summary>
/// The shared base of the SQL stores (<c>SqliteBackpackStore</c>, <c>PostgreSqlBackpackStore</c>): aggregates as
/// JSON documents plus the indexed key columns queries use, every row keyed by the district id, optimistic
/// concurrency, the transactional outbox, audit, batched bulk load, maintained report counts and reports computed in
/// SQL. The schema is migrated on first use (or explicitly with <see cref="MigrateAsync"/>). Provider errors surface
/// as <see cref="BackpackStoreException"/> saying what failed and whether retrying can help. The engines derive from
/// it in their own packages; it cannot be derived from elsewhere.
/// </summary>
public abstract class RelationalBackpackStore : IBackpackStore, IOutboxStore, IBulkLoader, IDisposable, IAsyncDisposable
{
    private protected RelationalBackpackStore(RelationalStore engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
    }

    /// <summary>The schema version this library migrates to (the same for every engine).</summary>
    public static int LatestSchemaVersion => RelationalMigrations.LatestVersion;

    /// <summary>The engine: the dialect's connections and SQL under the shared store logic.</summary>
    internal RelationalStore Engine { get; }

    /// <summary>Applies every pending migration now (otherwise they run on first use).</summary>
    /// <param name="cancellationToken">Cancels the migration (between migrations).</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="BackpackStoreException">The database is newer than this library, corrupt, locked or cannot be reached.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => Engine.EnsureMigratedAsync(cancellationToken);

    /// <summary>Reads the database's schema version (0 for a new, empty database).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version.</returns>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) => Engine.GetSchemaVersionAsync(cancellationToken);

    /// <inheritdoc />
    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default) => Engine.GetFrameworkAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default) => Engine.ListFrameworksAsync(cancellationToken);

    /// <inheritdoc />
    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) => Engine.GetRubricAsync(rubric, cancellationToken);

    /// <inheritdoc />
    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default) => Engine.GetLatestRubricAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default) => Engine.ListSchoolsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default) => Engine.GetStudentAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default) => Engine.FindStudentAsync(kind, value, cancellationToken);

    /// <inheritdoc />
    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default) => Engine.GetRosterAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default) => Engine.ListRostersForTeacherAsync(teacher, year, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default) => Engine.ListRostersForStudentAsync(student, year, cancellationToken);

    /// <inheritdoc />
    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default) => Engine.GetArtifactAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default) => Engine.ListArtifactsAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default) => Engine.GetEvaluationAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default) => Engine.ListEvaluationsAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Evaluation>> ListEvaluationsOfRubricAsync(RubricRef rubric, SchoolYear year, CancellationToken cancellationToken = default) => Engine.ListEvaluationsOfRubricAsync(rubric, year, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Student>> ListStudentsAsync(SchoolId school, DateOnly day, CancellationToken cancellationToken = default) => Engine.ListStudentsAsync(school, day, cancellationToken);

    /// <inheritdoc />
    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default) => Engine.GetMilestoneAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default) => Engine.ListMilestonesAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default) => Engine.LoadPassportAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default) => Engine.SaveAsync(changes, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Student>> ListExitedStudentsAsync(DateOnly exitedOnOrBefore, CancellationToken cancellationToken = default) => Engine.ListExitedStudentsAsync(exitedOnOrBefore, cancellationToken);

    /// <inheritdoc />
    public Task<StudentPurgeResult> PurgeStudentAsync(StudentId student, AuditRecord record, CancellationToken cancellationToken = default) => Engine.PurgeStudentAsync(student, record, cancellationToken);

    /// <inheritdoc />
    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default) => Engine.GetReadinessReportAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default) => Engine.GetLevelDistributionAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<CoverageReport> GetCoverageReportAsync(CoverageReportRequest request, CancellationToken cancellationToken = default) => Engine.GetCoverageReportAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoreRecord>> ListScoresAsync(SchoolYear first, SchoolYear last, CancellationToken cancellationToken = default) => Engine.ListScoresAsync(first, last, cancellationToken);

    /// <inheritdoc />
    public Task<SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default) => Engine.GetCheckpointAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default) => Engine.ListCheckpointsAsync(prefix, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) => Engine.ReadAuditAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> LeaseAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default) => Engine.LeaseAsync(workerId, max, leaseDuration, now, cancellationToken);

    /// <inheritdoc />
    public Task<bool> CompleteAsync(OutboxEntry entry, string workerId, DateTimeOffset now, CancellationToken cancellationToken = default) => Engine.CompleteAsync(entry, workerId, now, cancellationToken);

    /// <inheritdoc />
    public Task<bool> FailAsync(OutboxEntry entry, string workerId, DateTimeOffset? nextAttemptAt, string reason, CancellationToken cancellationToken = default) => Engine.FailAsync(entry, workerId, nextAttemptAt, reason, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken = default) => Engine.CountAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ListDeadLettersAsync(long? afterId, int limit, CancellationToken cancellationToken = default) => Engine.ListDeadLettersAsync(afterId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<int> RequeueAsync(IEnumerable<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default) => Engine.RequeueAsync(ids, now, cancellationToken);

    /// <inheritdoc />
    public Task LoadAsync(DistrictDataSet data, CancellationToken cancellationToken = default) => Engine.LoadAsync(data, cancellationToken);

    /// <summary>Closes the store's pooled connections (SQLite: so the file can be moved or deleted).</summary>
    public void Dispose()
    {
        Engine.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
