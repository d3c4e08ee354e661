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
using Backpack.Core.Testing;

namespace Backpack.Core.TestSupport;

/// <summary>
/// The official <see cref="InMemoryBackpackStore"/> with what tests observe on top: a count of committed saves
/// and a hook that runs just before each save (to simulate a concurrent writer or a crash). Every member
/// delegates to <see cref="Inner"/>; nothing is stored here.
/// </summary>
public sealed class InstrumentedStore : IBackpackStore, IOutboxStore
{
    private int saves;

    /// <summary>The store every call goes to (for its snapshots: students, rosters, artifacts, audit, dead letters).</summary>
    public InMemoryBackpackStore Inner { get; } = new();

    /// <summary>Saves that committed.</summary>
    public int Saves => Volatile.Read(ref saves);

    /// <summary>Runs just before a save is applied; may write through this store, or throw to simulate a crash.</summary>
    public Action<ChangeSet>? BeforeSave { get; set; }

    /// <summary>Runs just before an outbox entry is marked complete (after its handler succeeded); may throw to simulate a crash there.</summary>
    public Action<OutboxEntry>? BeforeComplete { get; set; }

    /// <summary>Runs just before a purge is applied (<see langword="false"/>) and just after it committed (<see langword="true"/>); may throw to simulate a crash.</summary>
    public Action<StudentId, bool>? AroundPurge { get; set; }

    public IReadOnlyList<Student> Students => Inner.Students;

    public IReadOnlyList<Roster> Rosters => Inner.Rosters;

    public IReadOnlyList<AuditRecord> Audit => Inner.Audit;

    /// <summary>Every school, student and roster, in id order: compare two stores by value.</summary>
    public (ValueList<School> Schools, ValueList<Student> Students, ValueList<Roster> Rosters) Snapshot() =>
        (Inner.ListSchoolsAsync().GetAwaiter().GetResult().ToValueList(), Inner.Students.ToValueList(), Inner.Rosters.ToValueList());

    /// <summary>
    /// From now on, the save of a change set matching <paramref name="matches"/> throws
    /// <see cref="SimulatedCrashException"/> (before applying) once <paramref name="after"/> more such saves
    /// committed; then the store works normally again.
    /// </summary>
    public void CrashAfter(int after, Func<ChangeSet, bool> matches)
    {
        var left = after;
        BeforeSave = changes =>
        {
            // Exactly one matching save crashes, even when saves run concurrently.
            if (matches(changes) && Interlocked.Decrement(ref left) == -1)
            {
                BeforeSave = null;
                throw new SimulatedCrashException();
            }
        };
    }

    public async Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default)
    {
        BeforeSave?.Invoke(changes);
        await Inner.SaveAsync(changes, cancellationToken);
        Interlocked.Increment(ref saves);
    }

    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default) => Inner.GetFrameworkAsync(id, cancellationToken);

    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default) => Inner.ListFrameworksAsync(cancellationToken);

    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) => Inner.GetRubricAsync(rubric, cancellationToken);

    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default) => Inner.GetLatestRubricAsync(id, cancellationToken);

    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default) => Inner.ListSchoolsAsync(cancellationToken);

    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default) => Inner.GetStudentAsync(id, cancellationToken);

    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default) => Inner.FindStudentAsync(kind, value, cancellationToken);

    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default) => Inner.GetRosterAsync(id, cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default) => Inner.ListRostersForTeacherAsync(teacher, year, cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default) => Inner.ListRostersForStudentAsync(student, year, cancellationToken);

    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default) => Inner.GetArtifactAsync(id, cancellationToken);

    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default) => Inner.ListArtifactsAsync(student, cancellationToken);

    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default) => Inner.GetEvaluationAsync(id, cancellationToken);

    public Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default) => Inner.ListEvaluationsAsync(student, cancellationToken);

    public Task<IReadOnlyList<Evaluation>> ListEvaluationsOfRubricAsync(RubricRef rubric, SchoolYear year, CancellationToken cancellationToken = default) => Inner.ListEvaluationsOfRubricAsync(rubric, year, cancellationToken);

    public Task<IReadOnlyList<Student>> ListStudentsAsync(SchoolId school, DateOnly day, CancellationToken cancellationToken = default) => Inner.ListStudentsAsync(school, day, cancellationToken);

    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default) => Inner.GetMilestoneAsync(id, cancellationToken);

    public Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default) => Inner.ListMilestonesAsync(student, cancellationToken);

    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default) => Inner.LoadPassportAsync(student, cancellationToken);

    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default) => Inner.GetReadinessReportAsync(request, cancellationToken);

    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default) => Inner.GetLevelDistributionAsync(request, cancellationToken);

    public Task<CoverageReport> GetCoverageReportAsync(CoverageReportRequest request, CancellationToken cancellationToken = default) => Inner.GetCoverageReportAsync(request, cancellationToken);

    public Task<IReadOnlyList<ScoreRecord>> ListScoresAsync(SchoolYear first, SchoolYear last, CancellationToken cancellationToken = default) => Inner.ListScoresAsync(first, last, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) => Inner.ReadAuditAsync(query, cancellationToken);

    public Task<IReadOnlyList<Student>> ListExitedStudentsAsync(DateOnly exitedOnOrBefore, CancellationToken cancellationToken = default) => Inner.ListExitedStudentsAsync(exitedOnOrBefore, cancellationToken);

    public async Task<StudentPurgeResult> PurgeStudentAsync(StudentId student, AuditRecord record, CancellationToken cancellationToken = default)
    {
        AroundPurge?.Invoke(student, false);
        var result = await Inner.PurgeStudentAsync(student, record, cancellationToken);
        AroundPurge?.Invoke(student, true);
        return result;
    }

    public Task<SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default) => Inner.GetCheckpointAsync(key, cancellationToken);

    public Task<IReadOnlyList<SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default) => Inner.ListCheckpointsAsync(prefix, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> LeaseAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.LeaseAsync(workerId, max, leaseDuration, now, cancellationToken);

    public Task<bool> CompleteAsync(OutboxEntry entry, string workerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        BeforeComplete?.Invoke(entry);
        return Inner.CompleteAsync(entry, workerId, now, cancellationToken);
    }

    public Task<bool> FailAsync(OutboxEntry entry, string workerId, DateTimeOffset? nextAttemptAt, string reason, CancellationToken cancellationToken = default) => Inner.FailAsync(entry, workerId, nextAttemptAt, reason, cancellationToken);

    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken = default) => Inner.CountAsync(cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListDeadLettersAsync(long? afterId, int limit, CancellationToken cancellationToken = default) => Inner.ListDeadLettersAsync(afterId, limit, cancellationToken);

    public Task<int> RequeueAsync(IEnumerable<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.RequeueAsync(ids, now, cancellationToken);
}

/// <summary>Thrown by <see cref="InstrumentedStore.CrashAfter"/> to simulate a process crash between two saves.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("Simulated crash.")
    {
    }
}
