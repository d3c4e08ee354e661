using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Access;

/// <summary>
/// One authorized operation's unit of work. Putting an item runs the side-effect planners for it and notes the
/// ids it names; <see cref="CommitAsync"/> checks those ids, adds the operation's audit record and saves it all
/// in one change set. Sync jobs commit a command several times (one change set per batch).
/// </summary>
internal sealed class Command
{
    private readonly CommandPath _path;
    private readonly ReferenceCheck _references;
    private ChangeSet _changes = new();

    internal Command(CommandPath path, Actor actor, AccessRequest request, string action, AccessDecision decision)
    {
        _path = path;
        Actor = actor;
        Request = request;
        Action = action;
        Decision = decision;
        Now = path.Clock.GetUtcNow();
        Today = path.Options.TodayAt(Now);
        _references = new ReferenceCheck(path.Store, rosterSourceIsAuthoritative: actor.Role == ActorRole.RosterSync || request.Operation == BackpackOperation.ImportRosters);
        Student = request.Student;
    }

    /// <summary>The student whose data the operation touches, for its audit record (defaults to the request's).</summary>
    public StudentId? Student { get; set; }

    public Actor Actor { get; }

    public AccessRequest Request { get; }

    public string Action { get; }

    public AccessDecision Decision { get; }

    public DateTimeOffset Now { get; }

    /// <summary>Today in the district's time zone.</summary>
    public DateOnly Today { get; }

    public IBackpackStore Store => _path.Store;

    public BackpackOptions Options => _path.Options;

    /// <summary>The item the operation's audit record names (defaults to the request's).</summary>
    public string? Resource { get; set; }

    /// <summary>Extra detail (ids and counts only) for the operation's audit record.</summary>
    public string? Detail { get; set; }

    /// <summary>Whether <see cref="CommitAsync"/> adds the operation's own audit record (sync jobs audit per item instead).</summary>
    public bool RecordsOperation { get; set; } = true;

    /// <summary>Whether anything but the audit record is waiting to be committed.</summary>
    public bool HasChanges => !_changes.IsEmpty;

    public Artifact Put(Artifact? before, Artifact after)
    {
        Record(c => c.Put(after), () => _references.Artifact(before, after), (p, c) => p.OnArtifactSaved(before, after, c));
        return after with { Version = after.Version + 1 };
    }

    public Milestone Put(Milestone? before, Milestone after)
    {
        Record(c => c.Put(after), () => _references.Milestone(before, after), (p, c) => p.OnMilestoneSaved(before, after, c));
        return after with { Version = after.Version + 1 };
    }

    public Student Put(Student? before, Student after)
    {
        Record(c => c.Put(after), () => _references.Student(before, after), (p, c) => p.OnStudentSaved(before, after, c));
        return after with { Version = after.Version + 1 };
    }

    public Roster Put(Roster? before, Roster after)
    {
        Record(c => c.Put(after), () => _references.Roster(before, after), (p, c) => p.OnRosterSaved(before, after, c));
        return after with { Version = after.Version + 1 };
    }

    public School Put(School after)
    {
        Record(c => c.Put(after), () => _references.School(after), null);
        return after with { Version = after.Version + 1 };
    }

    public Evaluation Put(Evaluation after)
    {
        Record(c => c.Put(after), () => _references.Evaluation(after), null);
        return after with { Version = after.Version + 1 };
    }

    public SkillsFramework Put(SkillsFramework after)
    {
        _changes.Put(after);
        return after with { Version = after.Version + 1 };
    }

    public Rubric Put(Rubric after)
    {
        _changes.Put(after);
        return after;
    }

    public void Put(SyncCheckpoint checkpoint) => _changes.Put(checkpoint);

    /// <summary>The one sequence every put follows: into the change set, its ids noted for the check, then the planners.</summary>
    private void Record(Action<ChangeSet> put, Action noteReferences, Action<ISideEffectPlanner, ChangeSet>? plan)
    {
        put(_changes);
        noteReferences();
        if (plan is not null)
        {
            foreach (var p in _path.Planners)
            {
                plan(p, _changes);
            }
        }
    }

    /// <summary>Adds an audit record besides the operation's own (a grant, a revocation, one item of a sync job).</summary>
    public void Audit(string action, StudentId? student, string? resource, string? detail = null, Actor? actor = null) =>
        _changes.Put(new AuditRecord(Now, (actor ?? Actor).AuditId, action, student, resource, Allowed: true) { Detail = detail });

    /// <summary>Checks the ids the changes name, adds the operation's audit record and saves everything in one change set.</summary>
    /// <exception cref="BackpackValidationException">An id names nothing (or the wrong thing); nothing was saved.</exception>
    public async Task CommitAsync(CancellationToken ct)
    {
        await _references.EnsureValidAsync(ct).ConfigureAwait(false);
        if (RecordsOperation)
        {
            _changes.Put(new AuditRecord(Now, Actor.AuditId, Action, Student, Resource ?? CommandPath.Resource(Request), Allowed: true) { Detail = Detail });
        }

        if (!_changes.IsEmpty)
        {
            await _path.SaveAsync(_changes, ct).ConfigureAwait(false);
        }

        _changes = new ChangeSet();
        _references.Clear();
    }
}
