using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Tests.OneRoster;

/// <summary>
/// A stop-gap in-memory store for the OneRoster tests only (the official one lives in Backpack.Core.Testing):
/// schools, students, rosters and audit, saved atomically with optimistic concurrency.
/// </summary>
internal sealed class TestStore : IBackpackStore
{
    private readonly object _gate = new();
    private readonly Dictionary<SchoolId, School> _schools = [];
    private readonly Dictionary<StudentId, Student> _students = [];
    private readonly Dictionary<RosterId, Roster> _rosters = [];
    private readonly List<AuditRecord> _audit = [];

    /// <summary>Runs just before a save is applied (to simulate a concurrent writer).</summary>
    public Action? BeforeSave { get; set; }

    public int Saves { get; private set; }

    public IReadOnlyList<AuditRecord> Audit
    {
        get
        {
            lock (_gate)
            {
                return _audit.ToArray();
            }
        }
    }

    /// <summary>Every school, student and roster, in id order: compare two stores by value.</summary>
    public (ValueList<School> Schools, ValueList<Student> Students, ValueList<Roster> Rosters) Snapshot()
    {
        lock (_gate)
        {
            return (_schools.Values.OrderBy(s => s.Id).ToValueList(), _students.Values.OrderBy(s => s.Id).ToValueList(), _rosters.Values.OrderBy(r => r.Id).ToValueList());
        }
    }

    public IReadOnlyList<Student> Students => Snapshot().Students;

    public IReadOnlyList<Roster> Rosters => Snapshot().Rosters;

    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<School>>(_schools.Values.OrderBy(s => s.Id).ToArray());
        }
    }

    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_students.GetValueOrDefault(id));
        }
    }

    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_students.Values.FirstOrDefault(s => kind switch
            {
                StudentIdentityKind.DistrictStudentId => s.DistrictStudentId == value,
                StudentIdentityKind.GoogleUserId => s.GoogleUserId == value,
                _ => s.OneRosterSourcedId == value,
            }));
        }
    }

    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_rosters.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Roster>>(_rosters.Values.Where(r => r.Year == year && r.Students.Contains(student)).OrderBy(r => r.Id).ToArray());
        }
    }

    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Roster>>(_rosters.Values.Where(r => r.Year == year && r.Teachers.Contains(teacher)).OrderBy(r => r.Id).ToArray());
        }
    }

    public Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Frameworks.Count + changes.Rubrics.Count + changes.Artifacts.Count + changes.Evaluations.Count + changes.Milestones.Count + changes.Outbox.Count > 0)
        {
            throw NotUsed();
        }

        BeforeSave?.Invoke();
        lock (_gate)
        {
            Check(changes.Schools, _schools, s => s.Id, "school");
            Check(changes.Students, _students, s => s.Id, "student");
            Check(changes.Rosters, _rosters, r => r.Id, "roster");
            foreach (var s in changes.Schools)
            {
                _schools[s.Id] = s with { Version = s.Version + 1 };
            }

            foreach (var s in changes.Students)
            {
                _students[s.Id] = s with { Version = s.Version + 1 };
            }

            foreach (var r in changes.Rosters)
            {
                _rosters[r.Id] = r with { Version = r.Version + 1 };
            }

            _audit.AddRange(changes.Audit);
            Saves++;
        }

        return Task.CompletedTask;
    }

    private static void Check<TId, T>(IReadOnlyList<T> items, Dictionary<TId, T> stored, Func<T, TId> id, string kind)
        where TId : notnull
        where T : IVersioned
    {
        if (items.Select(id).Distinct().Count() != items.Count)
        {
            throw new InvalidOperationException($"A change set holds the same {kind} twice.");
        }

        foreach (var item in items)
        {
            var actual = stored.TryGetValue(id(item), out var s) ? s.Version : (long?)null;
            if ((actual ?? 0) != item.Version)
            {
                throw new BackpackConcurrencyException(kind, id(item)!.ToString()!, item.Version, actual);
            }
        }
    }

    private static InvalidOperationException NotUsed() => new("not used by OneRoster tests");

    public Task<Backpack.Core.Sync.SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<Backpack.Core.Sync.SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw NotUsed();
}
