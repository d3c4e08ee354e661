using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <content>Atomic writes: every check first, then every change.</content>
public sealed partial class InMemoryBackpackStore
{
    private readonly HashSet<StudentState> _dirty = [];

    private static void CheckVersions<TKey, T>(IReadOnlyList<T> items, Func<T, TKey> keyOf, Func<TKey, long> storedVersion, string kind)
        where TKey : notnull
        where T : IVersioned
    {
        if (items.Count == 0)
        {
            return;
        }

        // Later items of the same batch see the versions earlier ones will write.
        Dictionary<TKey, long>? pending = items.Count > 1 ? new Dictionary<TKey, long>(items.Count) : null;
        foreach (var item in items)
        {
            var key = keyOf(item);
            long current;
            if (pending is null || !pending.TryGetValue(key, out current))
            {
                current = storedVersion(key);
            }

            if (item.Version != current)
            {
                throw new BackpackConcurrencyException(kind, key.ToString() ?? string.Empty, item.Version, current == 0 ? null : current);
            }

            pending?.Remove(key);
            pending?.Add(key, current + 1);
        }
    }

    /// <summary>
    /// Checks every version and computes everything derived from the items (placements, evidence), so
    /// that applying cannot fail half-way: a bad item fails here, before anything changed.
    /// </summary>
    private Prepared Check(in Batch batch)
    {
        CheckVersions(batch.Frameworks, f => f.Id, id => _frameworks.TryGetValue(id, out var f) ? f.Version : 0, "framework");
        CheckVersions(batch.Schools, s => s.Id, id => _schools.TryGetValue(id, out var s) ? s.Version : 0, "school");
        CheckVersions(batch.Students, s => s.Id, id => _studentStates.TryGetValue(id, out var s) && s.Student is not null ? s.Student.Version : 0, "student");
        CheckVersions(batch.Rosters, r => r.Id, id => _rosters.TryGetValue(id, out var r) ? r.Version : 0, "roster");
        CheckVersions(batch.Artifacts, a => a.Id, id => _artifacts.TryGetValue(id, out var a) ? a.Version : 0, "artifact");
        CheckVersions(batch.Evaluations, e => e.Id, id => _evaluations.TryGetValue(id, out var e) ? e.Version : 0, "evaluation");
        CheckVersions(batch.Milestones, m => m.Id, id => _milestones.TryGetValue(id, out var m) ? m.Version : 0, "milestone");
        CheckVersions(batch.Checkpoints, c => c.Key, key => _checkpoints.TryGetValue(key, out var c) ? c.Version : 0, "checkpoint");

        if (batch.Rubrics.Count > 0)
        {
            var inBatch = new HashSet<RubricRef>();
            foreach (var r in batch.Rubrics)
            {
                var exists = _rubrics.TryGetValue(r.Id, out var versions) && versions.ContainsKey(r.Version);
                if (exists || !inBatch.Add(r.Ref))
                {
                    throw new BackpackConcurrencyException("rubric", r.Ref.ToString(), 0, r.Version);
                }
            }
        }

        var placements = new Placement[batch.Students.Count][];
        for (var i = 0; i < placements.Length; i++)
        {
            placements[i] = PlacementsOf(batch.Students[i]);
        }

        var evidence = new Evidence[batch.Artifacts.Count][];
        for (var i = 0; i < evidence.Length; i++)
        {
            evidence[i] = EvidenceOf(batch.Artifacts[i]);
        }

        return new Prepared(placements, evidence);
    }

    private void Apply(in Batch batch, Prepared prepared)
    {
        foreach (var f in batch.Frameworks)
        {
            _frameworks[f.Id] = f with { Version = f.Version + 1 };
        }

        foreach (var r in batch.Rubrics)
        {
            if (!_rubrics.TryGetValue(r.Id, out var versions))
            {
                _rubrics[r.Id] = versions = [];
            }

            versions.Add(r.Version, r);
        }

        foreach (var s in batch.Schools)
        {
            _schools[s.Id] = s with { Version = s.Version + 1 };
            SchoolIndex(s.Id);
        }

        for (var i = 0; i < batch.Students.Count; i++)
        {
            var s = batch.Students[i];
            ApplyStudent(s with { Version = s.Version + 1 }, prepared.Placements[i]);
        }

        foreach (var r in batch.Rosters)
        {
            ApplyRoster(r with { Version = r.Version + 1 });
        }

        for (var i = 0; i < batch.Artifacts.Count; i++)
        {
            var a = batch.Artifacts[i];
            ApplyArtifact(a with { Version = a.Version + 1 }, prepared.Evidence[i]);
        }

        foreach (var e in batch.Evaluations)
        {
            ApplyEvaluation(e with { Version = e.Version + 1 });
        }

        foreach (var m in batch.Milestones)
        {
            ApplyMilestone(m with { Version = m.Version + 1 });
        }

        foreach (var c in batch.Checkpoints)
        {
            _checkpoints[c.Key] = c with { Version = c.Version + 1 };
        }

        _audit.AddRange(batch.Audit);
        foreach (var message in batch.Outbox)
        {
            Enqueue(message);
        }

        foreach (var state in _dirty)
        {
            RebuildEvidence(state);
        }

        _dirty.Clear();
    }

    private void ApplyStudent(Student student, Placement[] placements)
    {
        var state = StateOf(student.Id);
        if (state.Student is { } old)
        {
            Unindex(_byDistrictId, old.DistrictStudentId, old.Id);
            Unindex(_byGoogleId, old.GoogleUserId, old.Id);
            Unindex(_byOneRosterId, old.OneRosterSourcedId, old.Id);
        }

        state.Student = student;
        Index(_byDistrictId, student.DistrictStudentId, student.Id);
        Index(_byGoogleId, student.GoogleUserId, student.Id);
        Index(_byOneRosterId, student.OneRosterSourcedId, student.Id);
        state.Placements = placements;

        static void Unindex(Dictionary<string, StudentId> index, string? key, StudentId id)
        {
            if (key is not null && index.TryGetValue(key, out var found) && found == id)
            {
                index.Remove(key);
            }
        }

        static void Index(Dictionary<string, StudentId> index, string? key, StudentId id)
        {
            if (!string.IsNullOrEmpty(key))
            {
                index[key] = id;
            }
        }
    }

    private Placement[] PlacementsOf(Student student)
    {
        if (student.Enrollments.Count == 0)
        {
            return [];
        }

        var years = new List<SchoolYear>(4);
        foreach (var e in student.Enrollments)
        {
            if (!years.Contains(e.Year))
            {
                years.Add(e.Year);
            }
        }

        var result = new Placement[years.Count];
        for (var i = 0; i < years.Count; i++)
        {
            var latest = student.LatestEnrollmentIn(years[i])!;
            result[i] = new Placement(years[i].StartYear, SchoolIndex(latest.SchoolId), latest.Grade.Ordinal);
        }

        return result;
    }

    private void ApplyRoster(Roster roster)
    {
        if (_rosters.TryGetValue(roster.Id, out var old))
        {
            foreach (var t in old.Teachers)
            {
                RemoveFrom(_rostersByTeacher, (t, old.Year), old.Id);
            }

            foreach (var s in old.Students)
            {
                RemoveFrom(_rostersByStudent, (s, old.Year), old.Id);
            }
        }

        _rosters[roster.Id] = roster;
        foreach (var t in roster.Teachers)
        {
            AddTo(_rostersByTeacher, (t, roster.Year), roster.Id);
        }

        foreach (var s in roster.Students)
        {
            AddTo(_rostersByStudent, (s, roster.Year), roster.Id);
        }
    }

    private void ApplyArtifact(Artifact artifact, Evidence[] evidence)
    {
        if (_artifacts.TryGetValue(artifact.Id, out var old) && old.StudentId != artifact.StudentId)
        {
            var previous = StateOf(old.StudentId);
            previous.Artifacts.Remove(old.Id);
            _dirty.Add(previous);
        }

        _artifacts[artifact.Id] = artifact;
        var state = StateOf(artifact.StudentId);
        state.Artifacts[artifact.Id] = new StoredArtifact(artifact, evidence);
        _dirty.Add(state);
    }

    private void ApplyEvaluation(Evaluation evaluation)
    {
        if (_evaluations.TryGetValue(evaluation.Id, out var old))
        {
            StateOf(old.StudentId).Evaluations.Remove(old.Id);
            RemoveFrom(_evaluationsByRubricYear, (old.Rubric, old.Context.Year), old.Id);
        }

        _evaluations[evaluation.Id] = evaluation;
        StateOf(evaluation.StudentId).Evaluations.Add(evaluation.Id);
        AddTo(_evaluationsByRubricYear, (evaluation.Rubric, evaluation.Context.Year), evaluation.Id);
    }

    private void ApplyMilestone(Milestone milestone)
    {
        if (_milestones.TryGetValue(milestone.Id, out var old))
        {
            StateOf(old.StudentId).Milestones.Remove(old.Id);
        }

        _milestones[milestone.Id] = milestone;
        StateOf(milestone.StudentId).Milestones.Add(milestone.Id);
    }

    /// <summary>What <see cref="Check"/> derived from a batch, in the batch's order.</summary>
    /// <param name="Placements">Per student, where they ended each year.</param>
    /// <param name="Evidence">Per artifact, its evidence entries.</param>
    private readonly record struct Prepared(Placement[][] Placements, Evidence[][] Evidence);

    private static void AddTo<TKey, TValue>(Dictionary<TKey, HashSet<TValue>> index, TKey key, TValue value)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set))
        {
            index[key] = set = [];
        }

        set.Add(value);
    }

    private static void RemoveFrom<TKey, TValue>(Dictionary<TKey, HashSet<TValue>> index, TKey key, TValue value)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out var set) && set.Remove(value) && set.Count == 0)
        {
            index.Remove(key);
        }
    }
}
