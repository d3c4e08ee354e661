using Backpack.Core.Access;
using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Google.Drive;

/// <content>Retention: a purged student's Backpack folders lose their sharing and are trashed or handed over.</content>
internal sealed partial class DriveBackpackOrganizer
{
    private static readonly string[] FolderKinds = [DriveLayout.RootKind, DriveLayout.YearKind, DriveLayout.SkillKind, DriveLayout.ShowcaseKind];

    /// <summary>
    /// Retires a purged (or about to be purged) student's Backpack folders: every permission but the owner's is
    /// deleted, then the top folders are trashed (<see cref="RetainedDriveFolders.Trash"/>) or left in the owner's
    /// Drive (<see cref="RetainedDriveFolders.HandOver"/>). The folders are found by their appProperties, not by the
    /// store (the purge removed the student and the checkpoints that cached the ids); only files Backpack made carry
    /// them, so the student's own originals are never touched. Idempotent, audit included: the permissions to delete are
    /// saved before they are deleted (<c>drive:retire:{fileId}</c>), so a delivery that crashed after deleting deletes
    /// them again (404: done) and audits them once; a folder already trashed is audited once, not trashed again.
    /// </summary>
    /// <param name="student">The student.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <returns>A task.</returns>
    public async Task RetireBackpackAsync(StudentId student, CancellationToken ct)
    {
        var user = await UserForAsync(student, ct).ConfigureAwait(false);
        var found = await client.FindAsync(user, [new(DriveLayout.DistrictKey, backpack.DistrictId), new(DriveLayout.StudentKey, student.ToString())], ct).ConfigureAwait(false);
        var folders = found
            .Where(f => f.Id is not null && FolderKinds.Contains(f.AppProperty(DriveLayout.KindKey), StringComparer.Ordinal))
            .ToList();
        if (folders.Count == 0)
        {
            return;
        }

        // What an earlier delivery already audited (it may have crashed after trashing, before its save).
        var audited = (await store.ReadAuditAsync(new AuditQuery { StudentId = student, ActorId = AuditActor, Limit = int.MaxValue }, ct).ConfigureAwait(false))
            .Where(a => a.ResourceId is not null)
            .Select(a => (a.Action, a.ResourceId!))
            .ToHashSet();

        // Top folders first: a permission inherited from a parent is gone from the children once the parent's is.
        var ids = folders.Select(f => f.Id!).ToHashSet(StringComparer.Ordinal);
        var top = folders.Where(f => f.Parents is null || !f.Parents.Any(ids.Contains)).ToList();
        var now = clock.GetUtcNow();
        var changes = new ChangeSet();
        await RevokeAllAsync(user, student, top, changes, now, ct).ConfigureAwait(false);
        await RevokeAllAsync(user, student, folders.Except(top).ToList(), changes, now, ct).ConfigureAwait(false);

        var trash = backpack.DriveFoldersAfterRetention == RetainedDriveFolders.Trash;
        var action = trash ? "drive.retire.trash" : "drive.retire.handOver";
        foreach (var f in top)
        {
            if (trash && f.Trashed != true)
            {
                await client.UpdateAsync(user, f.Id!, new DriveFile { Trashed = true }, null, null, ct).ConfigureAwait(false);
            }

            if (audited.Add((action, f.Id!)))
            {
                changes.Put(new AuditRecord(now, AuditActor, action, student, f.Id, true)
                {
                    Detail = "kind=" + f.AppProperty(DriveLayout.KindKey),
                });
                LogRetired(logger, f.Id!, trash);
            }
        }

        // Forget the folders, so the changes feed does not take the trashing for a user's and repair it.
        foreach (var f in folders)
        {
            if (await store.GetCheckpointAsync(DriveKeys.File + f.Id, ct).ConfigureAwait(false) is { Value.Length: > 0 } cp)
            {
                changes.Put(cp with { Value = string.Empty });
            }
        }

        await store.SaveAsync(changes, ct).ConfigureAwait(false);
    }

    private async Task RevokeAllAsync(string user, StudentId student, List<DriveFile> folders, ChangeSet changes, DateTimeOffset now, CancellationToken ct)
    {
        if (folders.Count == 0)
        {
            return;
        }

        // The permissions to delete: those an earlier delivery saved before deleting (it may have crashed since), else
        // those Drive lists now, saved before anything is deleted.
        var deletes = new List<(string FileId, string PermissionId)>();
        var unlisted = new List<DriveFile>();
        foreach (var f in folders)
        {
            if (await store.GetCheckpointAsync(DriveKeys.Retire + f.Id, ct).ConfigureAwait(false) is { Value.Length: > 0 } intent)
            {
                deletes.AddRange(intent.Value.Split(',').Select(id => (f.Id!, id)));
            }
            else
            {
                unlisted.Add(f);
            }
        }

        var listed = await client.ListPermissionsAsync(user, unlisted.Select(f => f.Id!).ToList(), ct).ConfigureAwait(false);
        var intents = new ChangeSet();
        for (var i = 0; i < unlisted.Count; i++)
        {
            if (listed[i].IsNotFound)
            {
                continue;
            }

            var ids = DriveClient.Value(listed[i], "permissions.list", unlisted[i].Id).Where(p => p.Role != "owner" && p.Id is not null).Select(p => p.Id!).ToList();
            if (ids.Count > 0)
            {
                deletes.AddRange(ids.Select(id => (unlisted[i].Id!, id)));
                await PutAsync(intents, DriveKeys.Retire + unlisted[i].Id, string.Join(',', ids), ct).ConfigureAwait(false);
            }
        }

        if (!intents.IsEmpty)
        {
            await store.SaveAsync(intents, ct).ConfigureAwait(false);
        }

        var deleted = await client.ExecuteManyAsync(user, deletes.Select(d => (Func<DriveRequest<string>>)(() => client.DeletePermissionRequest(user, d.FileId, d.PermissionId))).ToList(), ct).ConfigureAwait(false);
        for (var k = 0; k < deletes.Count; k++)
        {
            if (!deleted[k].Succeeded && !deleted[k].IsNotFound)
            {
                throw deleted[k].Error as BackpackGoogleException ?? DriveClient.Translate(deleted[k].Error!, deletes[k].FileId, "permissions.delete");
            }

            changes.Put(new AuditRecord(now, AuditActor, "drive.revoke", student, deletes[k].FileId, true) { Detail = "permission=" + deletes[k].PermissionId + ";reason=retention" });
        }

        foreach (var fileId in deletes.Select(d => d.FileId).Distinct())
        {
            await PutAsync(changes, DriveKeys.Retire + fileId, string.Empty, ct).ConfigureAwait(false);
        }

        // The grants Backpack recorded on these folders are gone with them.
        foreach (var f in folders)
        {
            if (await store.GetCheckpointAsync(DriveKeys.Grants + f.Id, ct).ConfigureAwait(false) is { Value.Length: > 0 } cp)
            {
                changes.Put(cp with { Value = string.Empty });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drive folder {FileId} retired after retention (trashed: {Trashed}).")]
    private static partial void LogRetired(ILogger logger, string fileId, bool trashed);
}
