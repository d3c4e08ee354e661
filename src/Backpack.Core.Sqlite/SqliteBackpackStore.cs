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
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backpack.Core.Sqlite;

/// <summary>
/// The embedded Backpack store on a SQLite file: aggregates as JSON documents plus indexed key columns,
/// optimistic concurrency, the transactional outbox, batched bulk load and reports computed in SQL. The
/// schema is migrated on first use (or explicitly with <see cref="MigrateAsync"/>); WAL mode lets readers
/// run while one writer commits. Provider errors surface as <see cref="BackpackStoreException"/>.
/// </summary>
public sealed class SqliteBackpackStore : IBackpackStore, IOutboxStore, IBulkLoader, IDisposable
{
    private readonly SqliteEngine _engine;

    /// <summary>Creates the store. Nothing is opened until the first call.</summary>
    /// <param name="options">The connection string and busy timeout.</param>
    /// <param name="districtId">The district whose data this store reads and writes (the key of every row).</param>
    /// <param name="clock">The clock (for migration records); <see cref="TimeProvider.System"/> if <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="BackpackStoreException">The connection string is empty or malformed.</exception>
    public SqliteBackpackStore(SqliteStoreOptions options, string districtId, TimeProvider? clock = null, ILogger<SqliteBackpackStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(districtId);
        _engine = new SqliteEngine(options, districtId, clock ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>The schema version this library migrates to.</summary>
    public static int LatestSchemaVersion => SqliteMigrations.All[^1].Version;

    internal SqliteEngine Engine => _engine;

    /// <summary>Applies every pending migration now (otherwise they run on first use).</summary>
    /// <param name="cancellationToken">Cancels the migration (between migrations).</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="BackpackStoreException">The database is newer than this library, corrupt, or locked.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _engine.EnsureMigratedAsync(cancellationToken);

    /// <summary>Reads the database's schema version (0 for a new, empty database).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version.</returns>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) => _engine.GetSchemaVersionAsync(cancellationToken);

    /// <inheritdoc />
    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default) => _engine.GetFrameworkAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default) => _engine.ListFrameworksAsync(cancellationToken);

    /// <inheritdoc />
    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) => _engine.GetRubricAsync(rubric, cancellationToken);

    /// <inheritdoc />
    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default) => _engine.GetLatestRubricAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default) => _engine.ListSchoolsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default) => _engine.GetStudentAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default) => _engine.FindStudentAsync(kind, value, cancellationToken);

    /// <inheritdoc />
    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default) => _engine.GetRosterAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default) => _engine.ListRostersForTeacherAsync(teacher, year, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default) => _engine.ListRostersForStudentAsync(student, year, cancellationToken);

    /// <inheritdoc />
    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default) => _engine.GetArtifactAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default) => _engine.ListArtifactsAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default) => _engine.GetEvaluationAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default) => _engine.ListEvaluationsAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Evaluation>> ListEvaluationsOfRubricAsync(RubricRef rubric, SchoolYear year, CancellationToken cancellationToken = default) => _engine.ListEvaluationsOfRubricAsync(rubric, year, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Student>> ListStudentsAsync(SchoolId school, DateOnly day, CancellationToken cancellationToken = default) => _engine.ListStudentsAsync(school, day, cancellationToken);

    /// <inheritdoc />
    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default) => _engine.GetMilestoneAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default) => _engine.ListMilestonesAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default) => _engine.LoadPassportAsync(student, cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default) => _engine.SaveAsync(changes, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Student>> ListExitedStudentsAsync(DateOnly exitedOnOrBefore, CancellationToken cancellationToken = default) => _engine.ListExitedStudentsAsync(exitedOnOrBefore, cancellationToken);

    /// <inheritdoc />
    public Task<StudentPurgeResult> PurgeStudentAsync(StudentId student, AuditRecord record, CancellationToken cancellationToken = default) => _engine.PurgeStudentAsync(student, record, cancellationToken);

    /// <inheritdoc />
    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default) => _engine.GetReadinessReportAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default) => _engine.GetLevelDistributionAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<CoverageReport> GetCoverageReportAsync(CoverageReportRequest request, CancellationToken cancellationToken = default) => _engine.GetCoverageReportAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoreRecord>> ListScoresAsync(SchoolYear first, SchoolYear last, CancellationToken cancellationToken = default) => _engine.ListScoresAsync(first, last, cancellationToken);

    /// <inheritdoc />
    public Task<SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default) => _engine.GetCheckpointAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default) => _engine.ListCheckpointsAsync(prefix, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) => _engine.ReadAuditAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> LeaseAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default) => _engine.LeaseAsync(workerId, max, leaseDuration, now, cancellationToken);

    /// <inheritdoc />
    public Task<bool> CompleteAsync(OutboxEntry entry, string workerId, DateTimeOffset now, CancellationToken cancellationToken = default) => _engine.CompleteAsync(entry, workerId, now, cancellationToken);

    /// <inheritdoc />
    public Task<bool> FailAsync(OutboxEntry entry, string workerId, DateTimeOffset? nextAttemptAt, string reason, CancellationToken cancellationToken = default) => _engine.FailAsync(entry, workerId, nextAttemptAt, reason, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken = default) => _engine.CountAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ListDeadLettersAsync(long? afterId, int limit, CancellationToken cancellationToken = default) => _engine.ListDeadLettersAsync(afterId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<int> RequeueAsync(IEnumerable<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default) => _engine.RequeueAsync(ids, now, cancellationToken);

    /// <inheritdoc />
    public Task LoadAsync(DistrictDataSet data, CancellationToken cancellationToken = default) => _engine.LoadAsync(data, cancellationToken);

    /// <summary>Closes the pooled connections to the file, so it can be moved or deleted.</summary>
    public void Dispose() => _engine.Dispose();
}
