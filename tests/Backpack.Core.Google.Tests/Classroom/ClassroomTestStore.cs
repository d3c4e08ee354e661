using System.Text;
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

namespace Backpack.Core.Google.Tests.Classroom;

/// <summary>
/// The Drive tests' <see cref="TestStore"/> plus what Classroom sync needs on top: students found by Google or
/// district id, a count of saves, and a canonical dump of the synced state for equality checks.
/// TO REPLACE with the official in-memory store (Backpack.Core.Testing) once it lands.
/// </summary>
internal sealed class ClassroomTestStore : IBackpackStore
{
    private readonly TestStore inner = new();
    private readonly Lock gate = new();
    private readonly Dictionary<string, StudentId> byGoogle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StudentId> byDistrict = new(StringComparer.Ordinal);
    private readonly HashSet<StudentId> students = [];
    private readonly HashSet<RosterId> rosters = [];
    private readonly HashSet<ArtifactId> artifacts = [];
    private int saves;

    /// <summary>Saves that committed.</summary>
    public int Saves => Volatile.Read(ref saves);

    /// <summary>When set, the save of a course change set after this many more such saves throws (before applying), once: a crash mid-sync.</summary>
    public int? CrashAfterCourseSaves { get; set; }

    public IReadOnlyList<AuditRecord> Audit => inner.Audit;

    public async Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (gate)
        {
            if (CrashAfterCourseSaves is { } n && changes.Checkpoints.Any(c => c.Key.StartsWith("classroom:course:", StringComparison.Ordinal)))
            {
                CrashAfterCourseSaves = n - 1;
                if (n <= 0)
                {
                    CrashAfterCourseSaves = null;
                    throw new SimulatedCrashException();
                }
            }
        }

        await inner.SaveAsync(changes, cancellationToken);
        lock (gate)
        {
            saves++;
            foreach (var s in changes.Students)
            {
                students.Add(s.Id);
                if (s.GoogleUserId is { } g)
                {
                    byGoogle[g] = s.Id;
                }

                byDistrict[s.DistrictStudentId] = s.Id;
            }

            foreach (var r in changes.Rosters)
            {
                rosters.Add(r.Id);
            }

            foreach (var a in changes.Artifacts)
            {
                artifacts.Add(a.Id);
            }
        }
    }

    public async Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default)
    {
        StudentId id;
        lock (gate)
        {
            var index = kind switch
            {
                StudentIdentityKind.GoogleUserId => byGoogle,
                StudentIdentityKind.DistrictStudentId => byDistrict,
                _ => throw new InvalidOperationException("Not used by these tests."),
            };
            if (!index.TryGetValue(value, out id))
            {
                return null;
            }
        }

        return await inner.GetStudentAsync(id, cancellationToken);
    }

    public async Task<IReadOnlyList<Student>> AllStudentsAsync()
    {
        StudentId[] ids;
        lock (gate)
        {
            ids = [.. students];
        }

        var list = new List<Student>();
        foreach (var id in ids)
        {
            list.Add((await inner.GetStudentAsync(id))!);
        }

        return list.OrderBy(s => s.Id).ToList();
    }

    public async Task<IReadOnlyList<Roster>> AllRostersAsync()
    {
        RosterId[] ids;
        lock (gate)
        {
            ids = [.. rosters];
        }

        var list = new List<Roster>();
        foreach (var id in ids)
        {
            list.Add((await inner.GetRosterAsync(id))!);
        }

        return list.OrderBy(r => r.Id).ToList();
    }

    public async Task<IReadOnlyList<Artifact>> AllArtifactsAsync()
    {
        ArtifactId[] ids;
        lock (gate)
        {
            ids = [.. artifacts];
        }

        var list = new List<Artifact>();
        foreach (var id in ids)
        {
            list.Add((await inner.GetArtifactAsync(id))!);
        }

        return list.OrderBy(a => a.Id).ToList();
    }

    /// <summary>Students, rosters, artifacts and checkpoints as text, versions and timestamps left out: equal text, equal synced state.</summary>
    public async Task<string> DumpAsync()
    {
        var sb = new StringBuilder();
        foreach (var s in await AllStudentsAsync())
        {
            sb.AppendLine((s with { Version = 0 }).ToString()).Append("  google=").Append(s.GoogleUserId).Append(" email=").Append(s.Email)
                .Append(" guardians=").AppendLine(s.Guardians.ToString());
        }

        foreach (var r in await AllRostersAsync())
        {
            sb.AppendLine((r with { Version = 0 }).ToString()).Append("  course=").Append(r.ClassroomCourseId).Append(" archived=").AppendLine(r.IsArchived.ToString());
        }

        foreach (var a in await AllArtifactsAsync())
        {
            sb.AppendLine((a with { Version = 0, CreatedAt = default }).ToString());
        }

        foreach (var c in await inner.ListCheckpointsAsync("classroom:"))
        {
            sb.Append(c.Key).Append(" = ").AppendLine(c.Value);
        }

        return sb.ToString();
    }

    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default) => inner.GetFrameworkAsync(id, cancellationToken);

    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default) => inner.ListFrameworksAsync(cancellationToken);

    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) => inner.GetRubricAsync(rubric, cancellationToken);

    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default) => inner.GetLatestRubricAsync(id, cancellationToken);

    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default) => inner.ListSchoolsAsync(cancellationToken);

    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default) => inner.GetStudentAsync(id, cancellationToken);

    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default) => inner.GetRosterAsync(id, cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default) => inner.ListRostersForTeacherAsync(teacher, year, cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default) => inner.ListRostersForStudentAsync(student, year, cancellationToken);

    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default) => inner.GetArtifactAsync(id, cancellationToken);

    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default) => inner.ListArtifactsAsync(student, cancellationToken);

    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default) => inner.GetEvaluationAsync(id, cancellationToken);

    public Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default) => inner.ListEvaluationsAsync(student, cancellationToken);

    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default) => inner.GetMilestoneAsync(id, cancellationToken);

    public Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default) => inner.ListMilestonesAsync(student, cancellationToken);

    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default) => inner.LoadPassportAsync(student, cancellationToken);

    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default) => inner.GetReadinessReportAsync(request, cancellationToken);

    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default) => inner.GetLevelDistributionAsync(request, cancellationToken);

    public Task<SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(key, cancellationToken);

    public Task<IReadOnlyList<SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListCheckpointsAsync(prefix, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) => inner.ReadAuditAsync(query, cancellationToken);
}
