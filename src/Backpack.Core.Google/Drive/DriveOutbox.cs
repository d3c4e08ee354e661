using System.Text.Json;
using System.Text.Json.Serialization;
using Backpack.Core.Artifacts;
using Backpack.Core.Milestones;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.Google.Drive;

/// <summary>The Drive outbox operations.</summary>
internal static class DriveOperations
{
    /// <summary>Root and current-year folders of a new student, and their teachers' access.</summary>
    public const string EnsureBackpack = "drive.ensureBackpack";

    /// <summary>An artifact's shortcuts follow its alignments.</summary>
    public const string SyncArtifact = "drive.syncArtifact";

    /// <summary>Teacher access of a roster's students (before and after the change).</summary>
    public const string SyncRosterAccess = "drive.syncRosterAccess";

    /// <summary>Guardian/teacher access of one student's backpack and showcases.</summary>
    public const string SyncStudentAccess = "drive.syncStudentAccess";

    /// <summary>A held milestone's showcase folder of frozen copies, then its access.</summary>
    public const string FreezeShowcase = "drive.freezeShowcase";

    /// <summary>A showcase's access (panel, guardians, domain).</summary>
    public const string SyncShowcaseAccess = "drive.syncShowcaseAccess";

    /// <summary>A folder a user trashed, moved or deleted is restored, moved back or recreated.</summary>
    public const string RepairFolder = "drive.repairFolder";

    /// <summary>A trashed shortcut or copy is taken out of the trash.</summary>
    public const string RestoreFile = "drive.restoreFile";

    /// <summary>
    /// A purged student's Backpack folders lose their sharing and are trashed or handed over. Its name ends with
    /// <see cref="OutboxOperations.KeptOnPurgeSuffix"/>, so the purge keeps it; its handler needs only the student
    /// id (the folders are found by appProperties, not by the purged checkpoints).
    /// </summary>
    public const string RetireBackpack = "drive" + OutboxOperations.KeptOnPurgeSuffix;

    /// <summary>A handed-off student's teachers and panels lose their sharing on the student's folders (and do not get it back).</summary>
    public const string HandoffRevoke = "drive.handoffRevoke";

    /// <summary>A handed-off student's showcase folders are shared with their personal email (from the handoff record), as reader, expiring.</summary>
    public const string HandoffShare = "drive.handoffShare";

    public static readonly IReadOnlyList<string> All = [EnsureBackpack, SyncArtifact, SyncRosterAccess, SyncStudentAccess, FreezeShowcase, SyncShowcaseAccess, RepairFolder, RestoreFile, RetireBackpack, HandoffRevoke, HandoffShare];
}

/// <summary>An outbox payload: ids only, never names, emails or student text.</summary>
internal sealed record DrivePayload
{
    public StudentId? Student { get; init; }

    public ArtifactId? Artifact { get; init; }

    public MilestoneId? Milestone { get; init; }

    public RosterId? Roster { get; init; }

    public IReadOnlyList<StudentId>? Students { get; init; }

    public string? Folder { get; init; }

    public string? FileId { get; init; }

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DrivePayload Parse(string json) => JsonSerializer.Deserialize<DrivePayload>(json, Json) ?? new DrivePayload();
}

/// <summary>
/// Turns domain changes into Drive outbox messages in the same change set. Idempotency keys are deterministic:
/// the operation, the item id and the version the change was made from, so a re-planned change is enqueued once.
/// Handlers read the current state from the store, so messages may run late, twice or out of order.
/// </summary>
internal sealed class DriveSideEffectPlanner(TimeProvider clock) : ISideEffectPlanner
{
    public void OnStudentSaved(Student? before, Student after, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(changes);
        if (before is null)
        {
            Enqueue(changes, DriveOperations.EnsureBackpack, $"{after.Id}", new DrivePayload { Student = after.Id });
        }
        else if (!before.Guardians.SequenceEqual(after.Guardians) || before.Email != after.Email)
        {
            Enqueue(changes, DriveOperations.SyncStudentAccess, $"{after.Id}:v{after.Version}", new DrivePayload { Student = after.Id });
        }
    }

    public void OnStudentPurged(Student student, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(changes);
        Enqueue(changes, DriveOperations.RetireBackpack, $"{student.Id}", new DrivePayload { Student = student.Id });
    }

    public void OnStudentHandedOff(Lifecycle.Handoff handoff, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        ArgumentNullException.ThrowIfNull(changes);

        // Keys from the student id alone: a re-run of the handoff (or a second planning after an email is added) enqueues
        // nothing twice; the address is read from the handoff record by the handler, never carried in the payload.
        Enqueue(changes, DriveOperations.HandoffRevoke, $"{handoff.StudentId}", new DrivePayload { Student = handoff.StudentId });
        if (handoff.PersonalEmail is not null)
        {
            Enqueue(changes, DriveOperations.HandoffShare, $"{handoff.StudentId}", new DrivePayload { Student = handoff.StudentId });
        }
    }

    public void OnRosterSaved(Roster? before, Roster after, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(changes);
        if (before is not null && before.Teachers.SequenceEqual(after.Teachers) && before.Students.SequenceEqual(after.Students) && before.IsArchived == after.IsArchived && before.Year == after.Year)
        {
            return;
        }

        var students = (before?.Students ?? []).Concat(after.Students).Distinct().OrderBy(s => s).ToList();
        if (students.Count > 0)
        {
            Enqueue(changes, DriveOperations.SyncRosterAccess, $"{after.Id}:v{after.Version}", new DrivePayload { Roster = after.Id, Students = students });
        }
    }

    public void OnArtifactSaved(Artifact? before, Artifact after, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(changes);
        var file = DriveBackpackOrganizer.DriveFileOf(after);
        if (file is null && (before is null || DriveBackpackOrganizer.DriveFileOf(before) is null))
        {
            return;
        }

        var same = before is not null
            && before.IsCollected == after.IsCollected
            && DriveBackpackOrganizer.DriveFileOf(before) == file
            && before.Alignments.Select(a => a.SkillId).Distinct().OrderBy(s => s).SequenceEqual(after.Alignments.Select(a => a.SkillId).Distinct().OrderBy(s => s));
        if (!same)
        {
            Enqueue(changes, DriveOperations.SyncArtifact, $"{after.Id}:v{after.Version}", new DrivePayload { Artifact = after.Id, Student = after.StudentId });
        }
    }

    public void OnMilestoneSaved(Milestone? before, Milestone after, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(changes);
        if (after.IsShowcaseFrozen && before?.IsShowcaseFrozen != true)
        {
            Enqueue(changes, DriveOperations.FreezeShowcase, $"{after.Id}", new DrivePayload { Milestone = after.Id, Student = after.StudentId });
            return;
        }

        if (before is not null && (before.Status != after.Status || !before.Panel.SequenceEqual(after.Panel) || before.ScheduledAt != after.ScheduledAt))
        {
            Enqueue(changes, DriveOperations.SyncShowcaseAccess, $"{after.Id}:v{after.Version}", new DrivePayload { Milestone = after.Id, Student = after.StudentId });
        }
    }

    private void Enqueue(ChangeSet changes, string operation, string key, DrivePayload payload) =>
        changes.Put(new OutboxMessage(operation, $"{operation}:{key}", payload.ToJson(), clock.GetUtcNow()));
}

/// <summary>Performs one Drive outbox operation through the organizer.</summary>
internal sealed class DriveOutboxHandler(string operation, DriveBackpackOrganizer organizer) : IOutboxHandler
{
    public string Operation { get; } = operation;

    public async Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var p = DrivePayload.Parse(entry.Message.Payload);
        switch (Operation)
        {
            case DriveOperations.EnsureBackpack when p.Student is { } s:
                var user = await organizer.UserForAsync(s, cancellationToken).ConfigureAwait(false);
                await organizer.EnsureFolderAsync(user, FolderKey.YearOf(s, organizer.CurrentYear), cancellationToken).ConfigureAwait(false);
                await organizer.SyncTeacherAccessAsync([s], cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.SyncArtifact when p.Artifact is { } a:
                await organizer.SyncArtifactAsync(a, cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.SyncRosterAccess when p.Students is { } students:
                await organizer.SyncTeacherAccessAsync([.. students], cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.SyncStudentAccess when p.Student is { } s:
                await organizer.SyncTeacherAccessAsync([s], cancellationToken).ConfigureAwait(false);
                foreach (var m in await organizer.Store.ListMilestonesAsync(s, cancellationToken).ConfigureAwait(false))
                {
                    await organizer.SyncShowcaseAccessAsync(m.Id, cancellationToken).ConfigureAwait(false);
                }

                break;
            case DriveOperations.FreezeShowcase when p.Milestone is { } m:
                await organizer.FreezeShowcaseAsync(m, cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.SyncShowcaseAccess when p.Milestone is { } m:
                await organizer.SyncShowcaseAccessAsync(m, cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.HandoffRevoke when p.Student is { } s:
                await organizer.RevokeForHandoffAsync(s, cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.HandoffShare when p.Student is { } s:
                await organizer.ShareForHandoffAsync(s, cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.RetireBackpack when p.Student is { } s:
                await organizer.RetireBackpackAsync(s, cancellationToken).ConfigureAwait(false);
                break;
            case DriveOperations.RepairFolder when p.Folder is { } f && FolderKey.Parse(f) is { } key
                && await organizer.Store.GetStudentAsync(key.Student, cancellationToken).ConfigureAwait(false) is null:
                // The student was purged: nothing to repair (retention retires the folders).
                break;
            case DriveOperations.RepairFolder when p.Folder is { } f && FolderKey.Parse(f) is { } key:
                var owner = await organizer.UserForAsync(key.Student, cancellationToken).ConfigureAwait(false);
                await organizer.RepairFolderAsync(owner, key, cancellationToken).ConfigureAwait(false);
                if (key.Kind == DriveLayout.RootKind)
                {
                    await organizer.SyncTeacherAccessAsync([key.Student], cancellationToken).ConfigureAwait(false);
                }

                break;
            case DriveOperations.RestoreFile when p.FileId is { } id && p.Student is { } s:
                await organizer.RestoreFileAsync(await organizer.UserForAsync(s, cancellationToken).ConfigureAwait(false), id, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new BackpackGoogleException($"Outbox entry {entry.Id} ({Operation}) has a payload this handler cannot use.", null, null, "invalidPayload", false, null);
        }
    }
}
