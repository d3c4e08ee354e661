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

namespace Backpack.Core.Google.Tests;

/// <summary>
/// A small in-memory store for the Drive tests only (IBackpackStore + IOutboxStore): what these tests use.
/// TO REPLACE with the official in-memory store (Backpack.Core.Testing) once it lands.
/// </summary>
internal sealed class TestStore : IBackpackStore, IOutboxStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<StudentId, Student> students = [];
    private readonly Dictionary<RosterId, Roster> rosters = [];
    private readonly Dictionary<ArtifactId, Artifact> artifacts = [];
    private readonly Dictionary<MilestoneId, Milestone> milestones = [];
    private readonly Dictionary<FrameworkId, SkillsFramework> frameworks = [];
    private readonly SortedDictionary<string, SyncCheckpoint> checkpoints = new(StringComparer.Ordinal);
    private readonly List<AuditRecord> audit = [];
    private readonly List<OutboxEntry> outbox = [];
    private readonly HashSet<string> outboxKeys = new(StringComparer.Ordinal);
    private readonly HashSet<long> completed = [];
    private readonly HashSet<long> dead = [];
    private long nextOutboxId = 1;

    /// <summary>When set, a save of adapter state (no domain items) throws once, before applying, after this many further such saves: a crash between a Drive call and its checkpoint.</summary>
    public int? CrashAfterSaves { get; set; }

    public IReadOnlyList<AuditRecord> Audit
    {
        get
        {
            lock (gate)
            {
                return [.. audit];
            }
        }
    }

    public IReadOnlyList<OutboxEntry> Outbox
    {
        get
        {
            lock (gate)
            {
                return [.. outbox];
            }
        }
    }

    public Task SaveAsync(ChangeSet changes, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var adapterOnly = changes.Students.Count + changes.Rosters.Count + changes.Artifacts.Count + changes.Milestones.Count + changes.Frameworks.Count == 0;
            if (CrashAfterSaves is { } n && adapterOnly)
            {
                if (n <= 0)
                {
                    CrashAfterSaves = null;
                    throw new SimulatedCrashException();
                }

                CrashAfterSaves = n - 1;
            }

            foreach (var c in changes.Checkpoints)
            {
                var stored = checkpoints.TryGetValue(c.Key, out var s) ? s.Version : 0;
                if (stored != c.Version)
                {
                    throw new BackpackConcurrencyException("checkpoint", c.Key, c.Version, stored);
                }
            }

            Check(changes.Students, students, s => s.Id);
            Check(changes.Rosters, rosters, s => s.Id);
            Check(changes.Artifacts, artifacts, s => s.Id);
            Check(changes.Milestones, milestones, s => s.Id);
            Check(changes.Frameworks, frameworks, s => s.Id);
            foreach (var s in changes.Students)
            {
                students[s.Id] = s with { Version = s.Version + 1 };
            }

            foreach (var r in changes.Rosters)
            {
                rosters[r.Id] = r with { Version = r.Version + 1 };
            }

            foreach (var a in changes.Artifacts)
            {
                artifacts[a.Id] = a with { Version = a.Version + 1 };
            }

            foreach (var m in changes.Milestones)
            {
                milestones[m.Id] = m with { Version = m.Version + 1 };
            }

            foreach (var f in changes.Frameworks)
            {
                frameworks[f.Id] = f with { Version = f.Version + 1 };
            }

            foreach (var c in changes.Checkpoints)
            {
                checkpoints[c.Key] = c with { Version = c.Version + 1 };
            }

            audit.AddRange(changes.Audit);
            foreach (var m in changes.Outbox)
            {
                if (outboxKeys.Add(m.IdempotencyKey))
                {
                    outbox.Add(new OutboxEntry(nextOutboxId++, m, 0, m.CreatedAt, null));
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void Check<TId, T>(IReadOnlyList<T> items, Dictionary<TId, T> stored, Func<T, TId> id)
        where TId : notnull
        where T : IVersioned
    {
        foreach (var item in items)
        {
            var v = stored.TryGetValue(id(item), out var s) ? s.Version : 0;
            if (v != item.Version)
            {
                throw new BackpackConcurrencyException(typeof(T).Name, id(item)!.ToString()!, item.Version, v);
            }
        }
    }

    public Task<SyncCheckpoint?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(checkpoints.TryGetValue(key, out var c) ? c : null);
        }
    }

    public Task<IReadOnlyList<SyncCheckpoint>> ListCheckpointsAsync(string prefix, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<SyncCheckpoint>>(checkpoints.Values.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList());
        }
    }

    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(students.TryGetValue(id, out var s) ? s : null);
        }
    }

    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(rosters.TryGetValue(id, out var s) ? s : null);
        }
    }

    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<Roster>>(rosters.Values.Where(r => r.Year == year && r.Students.Contains(student)).ToList());
        }
    }

    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<Roster>>(rosters.Values.Where(r => r.Year == year && r.Teachers.Contains(teacher)).ToList());
        }
    }

    public Task<Artifact?> GetArtifactAsync(ArtifactId id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(artifacts.TryGetValue(id, out var s) ? s : null);
        }
    }

    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(StudentId student, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<Artifact>>(artifacts.Values.Where(a => a.StudentId == student).OrderBy(a => a.CreatedAt).ToList());
        }
    }

    public Task<Milestone?> GetMilestoneAsync(MilestoneId id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(milestones.TryGetValue(id, out var s) ? s : null);
        }
    }

    public Task<IReadOnlyList<Milestone>> ListMilestonesAsync(StudentId student, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<Milestone>>(milestones.Values.Where(m => m.StudentId == student).ToList());
        }
    }

    public Task<IReadOnlyList<SkillsFramework>> ListFrameworksAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<SkillsFramework>>(frameworks.Values.ToList());
        }
    }

    public Task<SkillsFramework?> GetFrameworkAsync(FrameworkId id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(frameworks.TryGetValue(id, out var s) ? s : null);
        }
    }

    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<AuditRecord>>(audit.Where(a => query.StudentId is null || a.StudentId == query.StudentId).Take(query.Limit).ToList());
        }
    }

    // ---------------------------------------------------------------- outbox

    public Task<IReadOnlyList<OutboxEntry>> LeaseAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var leased = new List<OutboxEntry>();
            for (var i = 0; i < outbox.Count && leased.Count < max; i++)
            {
                var e = outbox[i];
                if (completed.Contains(e.Id) || dead.Contains(e.Id) || e.NextAttemptAt > now || (e.LeaseUntil is { } until && until > now))
                {
                    continue;
                }

                var l = e with { Attempts = e.Attempts + 1, LeaseOwner = workerId, LeaseUntil = now + leaseDuration };
                outbox[i] = l;
                leased.Add(l);
            }

            return Task.FromResult<IReadOnlyList<OutboxEntry>>(leased);
        }
    }

    public Task<bool> CompleteAsync(OutboxEntry entry, string workerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            completed.Add(entry.Id);
            return Task.FromResult(true);
        }
    }

    public Task<bool> FailAsync(OutboxEntry entry, string workerId, DateTimeOffset? nextAttemptAt, string reason, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var i = outbox.FindIndex(e => e.Id == entry.Id);
            if (nextAttemptAt is null)
            {
                dead.Add(entry.Id);
            }

            outbox[i] = outbox[i] with { NextAttemptAt = nextAttemptAt ?? outbox[i].NextAttemptAt, LastError = reason, LeaseOwner = null, LeaseUntil = null };
            return Task.FromResult(true);
        }
    }

    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(new OutboxCounts(outbox.Count - completed.Count - dead.Count, completed.Count, dead.Count));
        }
    }

    public IReadOnlyList<string> DeadLetters()
    {
        lock (gate)
        {
            return outbox.Where(e => dead.Contains(e.Id)).Select(e => $"{e.Message.Operation}: {e.LastError}").ToList();
        }
    }

    // ---------------------------------------------------------------- not used by the Drive tests

    private static InvalidOperationException NotUsed() => new("not used by Drive tests");

    public Task<Rubric?> GetRubricAsync(RubricRef rubric, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Rubric?> GetLatestRubricAsync(RubricId id, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<School>> ListSchoolsAsync(CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<Evaluation?> GetEvaluationAsync(EvaluationId id, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(StudentId student, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<StudentPassport?> LoadPassportAsync(StudentId student, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<ReadinessReport> GetReadinessReportAsync(ReadinessReportRequest request, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<LevelDistributionReport> GetLevelDistributionAsync(LevelDistributionRequest request, CancellationToken cancellationToken = default) => throw NotUsed();
}

/// <summary>Thrown by <see cref="TestStore"/> to simulate a process crash between two saves.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("Simulated crash.")
    {
    }
}
