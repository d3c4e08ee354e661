using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Testing;

/// <summary>
/// A thread-safe in-memory store for tests, samples and benchmarks. Writes are atomic with optimistic
/// concurrency (every version is checked before anything is applied); reads by id, student, teacher
/// roster and identity are indexed; readiness reports run over per-student evidence arrays precomputed
/// at write time, so a 96,000-student district reports in milliseconds. Also an outbox with leases and a
/// bulk loader.
/// </summary>
public sealed partial class InMemoryBackpackStore : IBackpackStore, IOutboxStore, IBulkLoader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<FrameworkId, SkillsFramework> _frameworks = [];
    private readonly SortedDictionary<string, SyncCheckpoint> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<RubricId, SortedList<int, Rubric>> _rubrics = [];
    private readonly Dictionary<SchoolId, School> _schools = [];
    private readonly Dictionary<StudentId, StudentState> _studentStates = [];
    private readonly List<StudentState> _studentOrder = [];
    private readonly Dictionary<string, StudentId> _byDistrictId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StudentId> _byGoogleId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StudentId> _byOneRosterId = new(StringComparer.Ordinal);
    private readonly Dictionary<RosterId, Roster> _rosters = [];
    private readonly Dictionary<(PersonId Teacher, SchoolYear Year), HashSet<RosterId>> _rostersByTeacher = [];
    private readonly Dictionary<(StudentId Student, SchoolYear Year), HashSet<RosterId>> _rostersByStudent = [];
    private readonly Dictionary<ArtifactId, Artifact> _artifacts = [];
    private readonly Dictionary<EvaluationId, Evaluation> _evaluations = [];
    private readonly Dictionary<(RubricRef Rubric, SchoolYear Year), HashSet<EvaluationId>> _evaluationsByRubricYear = [];
    private readonly Dictionary<MilestoneId, Milestone> _milestones = [];
    private readonly List<AuditRecord> _audit = [];

    /// <summary>Gets how many students are stored.</summary>
    public int StudentCount
    {
        get
        {
            lock (_gate)
            {
                return _studentOrder.Count(s => s.Student is not null);
            }
        }
    }

    /// <summary>Gets how many artifacts are stored.</summary>
    public int ArtifactCount
    {
        get
        {
            lock (_gate)
            {
                return _artifacts.Count;
            }
        }
    }

    /// <summary>Gets every stored student, in id order (a snapshot, for assertions in tests).</summary>
    public IReadOnlyList<Student> Students
    {
        get
        {
            lock (_gate)
            {
                return SortedById(_studentOrder.Where(s => s.Student is not null).Select(s => s.Student!), static x => x.Id);
            }
        }
    }

    /// <summary>Gets every stored roster, in id order (a snapshot, for assertions in tests).</summary>
    public IReadOnlyList<Roster> Rosters
    {
        get
        {
            lock (_gate)
            {
                return SortedById(_rosters.Values, static x => x.Id);
            }
        }
    }

    /// <summary>Gets every stored artifact, in id order (a snapshot, for assertions in tests).</summary>
    public IReadOnlyList<Artifact> Artifacts
    {
        get
        {
            lock (_gate)
            {
                return SortedById(_artifacts.Values, static x => x.Id);
            }
        }
    }

    /// <summary>Gets every audit record, in the order written (a snapshot, for assertions in tests).</summary>
    public IReadOnlyList<AuditRecord> Audit
    {
        get
        {
            lock (_gate)
            {
                return [.. _audit];
            }
        }
    }

    /// <inheritdoc />
    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default) =>
        Locked(() => _frameworks.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<SkillsFramework>>(() => _frameworks.Values.OrderBy(f => f.Id).ToArray(), cancellationToken);

    /// <inheritdoc />
    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) =>
        Locked(() => _rubrics.TryGetValue(rubric.Id, out var versions) ? versions.GetValueOrDefault(rubric.Version) : null, cancellationToken);

    /// <inheritdoc />
    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default) =>
        Locked(() => _rubrics.TryGetValue(id, out var versions) && versions.Count > 0 ? versions.Values[^1] : null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<School>>(() => _schools.Values.OrderBy(s => s.Id).ToArray(), cancellationToken);

    /// <inheritdoc />
    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default) =>
        Locked(() => _studentStates.TryGetValue(id, out var s) ? s.Student : null, cancellationToken);

    /// <inheritdoc />
    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        var index = IdentityIndex(kind);
        lock (_gate)
        {
            return Task.FromResult(index.TryGetValue(value, out var id) && _studentStates.TryGetValue(id, out var s) ? s.Student : null);
        }
    }

    /// <inheritdoc />
    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default) =>
        Locked(() => _rosters.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<Roster>>(() => RostersOf(_rostersByTeacher.GetValueOrDefault((teacher, year))), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<Roster>>(() => RostersOf(_rostersByStudent.GetValueOrDefault((student, year))), cancellationToken);

    /// <inheritdoc />
    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default) =>
        Locked(() => _artifacts.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<Artifact>>(() => ArtifactsOf(student), cancellationToken);

    /// <inheritdoc />
    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default) =>
        Locked(() => _evaluations.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<Evaluation>>(() => EvaluationsOf(student), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Evaluation>> ListEvaluationsOfRubricAsync(RubricRef rubric, SchoolYear year, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var ids = _evaluationsByRubricYear.GetValueOrDefault((rubric, year)) ?? [];
            return Task.FromResult<IReadOnlyList<Evaluation>>(ids.Select(id => _evaluations[id]).OrderBy(e => e.Id).ToArray());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Student>> ListStudentsAsync(SchoolId school, DateOnly day, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Student>>(_studentOrder
                .Select(s => s.Student)
                .OfType<Student>()
                .Where(s => s.EnrollmentOn(day)?.SchoolId == school)
                .OrderBy(s => s.Id)
                .ToArray());
        }
    }

    /// <inheritdoc />
    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default) =>
        Locked(() => _milestones.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<Milestone>>(() => MilestonesOf(student), cancellationToken);

    /// <inheritdoc />
    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_studentStates.TryGetValue(student, out var state) || state.Student is null)
            {
                return Task.FromResult<StudentPassport?>(null);
            }

            return Task.FromResult<StudentPassport?>(new StudentPassport(
                state.Student,
                ValueList<Artifact>.FromArray(ArtifactsOf(student)),
                ValueList<Evaluation>.FromArray(EvaluationsOf(student)),
                ValueList<Milestone>.FromArray(MilestonesOf(student))));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var result = _audit
                .Where(r => (query.StudentId is null || r.StudentId == query.StudentId)
                    && (query.ActorId is null || string.Equals(r.ActorId, query.ActorId, StringComparison.Ordinal))
                    && (query.From is null || r.At >= query.From.Value))
                .OrderBy(r => r.At)
                .Take(Math.Max(0, query.Limit))
                .ToArray();
            return Task.FromResult<IReadOnlyList<AuditRecord>>(result);
        }
    }

    /// <inheritdoc />
    public Task<SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_checkpoints.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<SyncCheckpoint>>(_checkpoints.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(c => c.Value).ToArray());
        }
    }

    /// <inheritdoc />
    public Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        var batch = new Batch(
            changes.Frameworks,
            changes.Rubrics,
            changes.Schools,
            changes.Students,
            changes.Rosters,
            changes.Artifacts,
            changes.Evaluations,
            changes.Milestones,
            changes.Audit,
            changes.Outbox,
            changes.Checkpoints);
        lock (_gate)
        {
            Apply(batch, Check(batch));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LoadAsync(DistrictDataSet data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        cancellationToken.ThrowIfCancellationRequested();
        var batch = new Batch(data.Frameworks, data.Rubrics, data.Schools, data.Students, data.Rosters, data.Artifacts, data.Evaluations, data.Milestones, [], [], []);
        lock (_gate)
        {
            Prepared prepared;
            try
            {
                prepared = Check(batch);
            }
            catch (BackpackConcurrencyException ex)
            {
                // A bulk load writes new items only: one that exists already (or twice) is bad input, not a race.
                throw new BackpackStoreException($"The bulk load holds a {ex.Kind} ({ex.Id}) that exists already or appears twice; nothing was loaded.", isTransient: false, ex);
            }

            Apply(batch, prepared);
        }

        return Task.CompletedTask;
    }

    private Dictionary<string, StudentId> IdentityIndex(StudentIdentityKind kind) => kind switch
    {
        StudentIdentityKind.DistrictStudentId => _byDistrictId,
        StudentIdentityKind.GoogleUserId => _byGoogleId,
        StudentIdentityKind.OneRosterSourcedId => _byOneRosterId,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identity kind."),
    };

    private Roster[] RostersOf(HashSet<RosterId>? ids) =>
        ids is null || ids.Count == 0 ? [] : SortedById(ids.Select(id => _rosters[id]), static r => r.Id);

    /// <summary>Checks for cancellation, then reads under the store's lock.</summary>
    private Task<T> Locked<T>(Func<T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(read());
        }
    }

    /// <summary>The values as an array in id order.</summary>
    private static T[] SortedById<T, TId>(IEnumerable<T> values, Func<T, TId> id)
        where TId : IComparable<TId>
    {
        var result = values.ToArray();
        Array.Sort(result, (a, b) => id(a).CompareTo(id(b)));
        return result;
    }

    private Artifact[] ArtifactsOf(StudentId student) =>
        _studentStates.TryGetValue(student, out var state) ? SortedBy(state.Artifacts.Values.Select(a => a.Artifact), static a => a.CreatedAt, static a => a.Id) : [];

    private Evaluation[] EvaluationsOf(StudentId student) =>
        _studentStates.TryGetValue(student, out var state) ? SortedBy(state.Evaluations.Select(id => _evaluations[id]), static e => e.ScoredAt, static e => e.Id) : [];

    private Milestone[] MilestonesOf(StudentId student) =>
        _studentStates.TryGetValue(student, out var state) ? SortedBy(state.Milestones.Select(id => _milestones[id]), static m => m.ScheduledAt, static m => m.Id) : [];

    /// <summary>The values as an array ordered by <paramref name="key"/>, then id.</summary>
    private static T[] SortedBy<T, TKey, TId>(IEnumerable<T> values, Func<T, TKey> key, Func<T, TId> id)
        where TKey : IComparable<TKey>
        where TId : IComparable<TId>
    {
        var result = values.ToArray();
        Array.Sort(result, (a, b) =>
        {
            var c = key(a).CompareTo(key(b));
            return c != 0 ? c : id(a).CompareTo(id(b));
        });
        return result;
    }

    private StudentState StateOf(StudentId id)
    {
        if (!_studentStates.TryGetValue(id, out var state))
        {
            state = new StudentState(id);
            _studentStates.Add(id, state);
            _studentOrder.Add(state);
        }

        return state;
    }

    /// <summary>Everything one atomic write carries.</summary>
    private readonly record struct Batch(
        IReadOnlyList<SkillsFramework> Frameworks,
        IReadOnlyList<Rubric> Rubrics,
        IReadOnlyList<School> Schools,
        IReadOnlyList<Student> Students,
        IReadOnlyList<Roster> Rosters,
        IReadOnlyList<Artifact> Artifacts,
        IReadOnlyList<Evaluation> Evaluations,
        IReadOnlyList<Milestone> Milestones,
        IReadOnlyList<AuditRecord> Audit,
        IReadOnlyList<OutboxMessage> Outbox,
        IReadOnlyList<SyncCheckpoint> Checkpoints);

    /// <summary>An artifact with its evidence entries, computed before the write was applied.</summary>
    /// <param name="Artifact">The stored artifact.</param>
    /// <param name="Evidence">Its evidence entries.</param>
    private readonly record struct StoredArtifact(Artifact Artifact, Evidence[] Evidence);

    /// <summary>A student and the indexes hanging off them (also for artifacts of students not stored yet).</summary>
    private sealed class StudentState(StudentId id)
    {
        public StudentId Id { get; } = id;

        public Student? Student { get; set; }

        public Dictionary<ArtifactId, StoredArtifact> Artifacts { get; } = [];

        public HashSet<EvaluationId> Evaluations { get; } = [];

        public HashSet<MilestoneId> Milestones { get; } = [];

        /// <summary>Where the student ended each school year: one entry per year with an enrollment.</summary>
        public Placement[] Placements { get; set; } = [];

        /// <summary>The maintained evidence counts: one entry per capture year, capture grade and skill with collected evidence.</summary>
        public EvidenceCount[] Counts { get; set; } = [];
    }
}
