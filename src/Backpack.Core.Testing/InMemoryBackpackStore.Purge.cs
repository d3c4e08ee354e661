using Backpack.Core.Access;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <content>Retention: listing exited students and purging one student atomically.</content>
public sealed partial class InMemoryBackpackStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<Student>> ListExitedStudentsAsync(DateOnly exitedOnOrBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var result = _studentOrder
                .Where(s => s.Student?.ExitedOn() is { } exit && exit <= exitedOnOrBefore)
                .Select(s => s.Student!)
                .OrderBy(s => s.Id)
                .ToArray();
            return Task.FromResult<IReadOnlyList<Student>>(result);
        }
    }

    /// <inheritdoc />
    public Task<StudentPurgeResult> PurgeStudentAsync(StudentId student, AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var text = student.Value.ToString("D");
        lock (_gate)
        {
            var removed = false;
            int enrollments = 0, artifacts = 0, evaluations = 0, milestones = 0;
            if (_studentStates.TryGetValue(student, out var state))
            {
                if (state.Student is { } old)
                {
                    removed = true;
                    enrollments = old.Enrollments.Count;
                    Unindex(_byDistrictId, old.DistrictStudentId);
                    Unindex(_byGoogleId, old.GoogleUserId);
                    Unindex(_byOneRosterId, old.OneRosterSourcedId);
                    state.Student = null;
                }

                foreach (var id in state.Artifacts.Keys)
                {
                    _artifacts.Remove(id);
                }

                artifacts = state.Artifacts.Count;
                state.Artifacts.Clear();
                foreach (var id in state.Evaluations)
                {
                    if (_evaluations.Remove(id, out var e))
                    {
                        RemoveFrom(_evaluationsByRubricYear, (e.Rubric, e.Context.Year), id);
                    }
                }

                evaluations = state.Evaluations.Count;
                state.Evaluations.Clear();
                foreach (var id in state.Milestones)
                {
                    _milestones.Remove(id);
                }

                milestones = state.Milestones.Count;
                state.Milestones.Clear();
                state.Placements = [];
                RebuildEvidence(state);
            }

            var rosters = 0;
            foreach (var r in _rosters.Values.Where(r => r.Students.Contains(student) || r.Departures.Any(d => d.StudentId == student)).ToArray())
            {
                ApplyRoster(r with
                {
                    Students = r.Students.Where(s => s != student).ToValueList(),
                    Departures = r.Departures.Where(d => d.StudentId != student).ToValueList(),
                    Version = r.Version + 1,
                });
                rosters++;
            }

            var checkpoints = 0;
            foreach (var key in _checkpoints.Where(c => c.Key.Contains(text, StringComparison.Ordinal) || c.Value.Value.Contains(text, StringComparison.Ordinal)).Select(c => c.Key).ToArray())
            {
                _checkpoints.Remove(key);
                checkpoints++;
            }

            bool Names(Sync.OutboxMessage m) => !Sync.OutboxOperations.IsKeptOnPurge(m.Operation) && (m.IdempotencyKey.Contains(text, StringComparison.Ordinal) || m.Payload.Contains(text, StringComparison.Ordinal));
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in _pending.Where(p => Names(p.Value.Message)).Select(p => p.Key).ToArray())
            {
                keys.Add(_pending[id].Message.IdempotencyKey);
                _pending.Remove(id);
            }

            foreach (var d in _deadLetters.Where(d => Names(d.Message)))
            {
                keys.Add(d.Message.IdempotencyKey);
            }

            _deadLetters.RemoveAll(d => Names(d.Message));

            // Keys of completed messages are all that is left of them.
            keys.UnionWith(_idempotencyKeys.Where(k => k.Contains(text, StringComparison.Ordinal) && !k.Contains(Sync.OutboxOperations.KeptOnPurgeSuffix + ":", StringComparison.Ordinal)));
            _idempotencyKeys.ExceptWith(keys);
            var outbox = keys.Count;

            var redacted = 0;
            for (var i = 0; i < _audit.Count; i++)
            {
                if (_audit[i].StudentId == student && _audit[i].Detail is not null)
                {
                    _audit[i] = _audit[i] with { Detail = null };
                    redacted++;
                }
            }

            _audit.Add(record);
            return Task.FromResult(new StudentPurgeResult(student, removed, enrollments, artifacts, evaluations, milestones, rosters, checkpoints, outbox, redacted));
        }

        void Unindex(Dictionary<string, StudentId> index, string? key)
        {
            if (key is not null && index.TryGetValue(key, out var found) && found == student)
            {
                index.Remove(key);
            }
        }
    }
}
