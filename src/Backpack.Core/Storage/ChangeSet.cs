using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Storage;

/// <summary>
/// Changes to save together in one transaction: domain items (each with the version it was read at),
/// audit records and outbox messages for side effects. A change and the side effects it causes commit
/// together or not at all.
/// </summary>
public sealed class ChangeSet
{
    private readonly List<SkillsFramework> _frameworks = [];
    private readonly List<Rubric> _rubrics = [];
    private readonly List<School> _schools = [];
    private readonly List<Student> _students = [];
    private readonly List<Roster> _rosters = [];
    private readonly List<Artifact> _artifacts = [];
    private readonly List<Evaluation> _evaluations = [];
    private readonly List<Milestone> _milestones = [];
    private readonly List<AuditRecord> _audit = [];
    private readonly List<OutboxMessage> _outbox = [];
    private readonly List<SyncCheckpoint> _checkpoints = [];

    /// <summary>Frameworks to write.</summary>
    public IReadOnlyList<SkillsFramework> Frameworks => _frameworks;

    /// <summary>Rubric versions to insert.</summary>
    public IReadOnlyList<Rubric> Rubrics => _rubrics;

    /// <summary>Schools to write.</summary>
    public IReadOnlyList<School> Schools => _schools;

    /// <summary>Students to write.</summary>
    public IReadOnlyList<Student> Students => _students;

    /// <summary>Rosters to write.</summary>
    public IReadOnlyList<Roster> Rosters => _rosters;

    /// <summary>Artifacts to write.</summary>
    public IReadOnlyList<Artifact> Artifacts => _artifacts;

    /// <summary>Evaluations to write.</summary>
    public IReadOnlyList<Evaluation> Evaluations => _evaluations;

    /// <summary>Milestones to write.</summary>
    public IReadOnlyList<Milestone> Milestones => _milestones;

    /// <summary>Audit records to append.</summary>
    public IReadOnlyList<AuditRecord> Audit => _audit;

    /// <summary>Outbox messages to enqueue.</summary>
    public IReadOnlyList<OutboxMessage> Outbox => _outbox;

    /// <summary>Sync checkpoints to write (optimistic concurrency like the domain items).</summary>
    public IReadOnlyList<SyncCheckpoint> Checkpoints => _checkpoints;

    /// <summary>Whether there is nothing to save.</summary>
    public bool IsEmpty =>
        _frameworks.Count + _rubrics.Count + _schools.Count + _students.Count + _rosters.Count + _artifacts.Count
        + _evaluations.Count + _milestones.Count + _audit.Count + _outbox.Count + _checkpoints.Count == 0;

    /// <summary>Writes a framework.</summary>
    /// <param name="item">The framework, with the version it was read at.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(SkillsFramework item) => Add(_frameworks, item);

    /// <summary>Inserts a rubric version (versions are immutable).</summary>
    /// <param name="item">The rubric version.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(Rubric item) => Add(_rubrics, item);

    /// <summary>Writes a school.</summary>
    /// <param name="item">The school, with the version it was read at.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(School item) => Add(_schools, item);

    /// <summary>Writes a student.</summary>
    /// <param name="item">The student, with the version it was read at.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(Student item) => Add(_students, item);

    /// <summary>Writes a roster.</summary>
    /// <param name="item">The roster, with the version it was read at.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(Roster item) => Add(_rosters, item);

    /// <summary>Writes an artifact.</summary>
    /// <param name="item">The artifact, with the version it was read at.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(Artifact item) => Add(_artifacts, item);

    /// <summary>Writes an evaluation.</summary>
    /// <param name="item">The evaluation, with the version it was read at.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(Evaluation item) => Add(_evaluations, item);

    /// <summary>Writes a milestone.</summary>
    /// <param name="item">The milestone, with the version it was read at.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(Milestone item) => Add(_milestones, item);

    /// <summary>Appends an audit record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(AuditRecord record) => Add(_audit, record);

    /// <summary>Enqueues a side effect.</summary>
    /// <param name="message">The message.</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(OutboxMessage message) => Add(_outbox, message);

    /// <summary>Writes a sync checkpoint.</summary>
    /// <param name="checkpoint">The checkpoint, with the version it was read at (0 when new).</param>
    /// <returns>This change set.</returns>
    public ChangeSet Put(SyncCheckpoint checkpoint) => Add(_checkpoints, checkpoint);

    private ChangeSet Add<T>(List<T> list, T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        list.Add(item);
        return this;
    }
}
