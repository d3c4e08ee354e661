using Backpack.Core.Access;
using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Lifecycle;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Backpack.Core.Google.Drive;

/// <content>
/// The handoff of a student who exited: teacher and panel sharing on their folders revoked for good, and their showcase
/// folders shared with the personal email of the handoff record, as reader until it expires.
/// </content>
internal sealed partial class DriveBackpackOrganizer
{
    /// <summary>Whether the student has a handoff record: their teachers and panels get no sharing from then on.</summary>
    public async Task<bool> IsHandedOffAsync(StudentId student, CancellationToken ct) =>
        await store.GetCheckpointAsync(Handoff.CheckpointKey(student), ct).ConfigureAwait(false) is { Value.Length: > 0 };

    /// <summary>
    /// <c>drive.handoffRevoke</c>: syncs the student's teacher access (root folder) and each showcase's access with the
    /// handoff taken into account, which removes every teacher and panel grant Backpack made (guardians and the district's
    /// domain keep theirs). Idempotent: the grants are diffed against what Drive lists; a second run finds nothing to do.
    /// </summary>
    /// <param name="student">The student.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <returns>A task.</returns>
    public async Task RevokeForHandoffAsync(StudentId student, CancellationToken ct)
    {
        if (await store.GetStudentAsync(student, ct).ConfigureAwait(false) is null || !await IsHandedOffAsync(student, ct).ConfigureAwait(false))
        {
            return; // Purged since (retention retires the folders), or no handoff: nothing to do.
        }

        // Only a root that exists: a student who never had Backpack folders gets none now.
        if (await store.GetCheckpointAsync(FolderKey.Root(student).CheckpointKey, ct).ConfigureAwait(false) is { Value.Length: > 0 } root && !root.Value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal))
        {
            await SyncTeacherAccessAsync([student], ct).ConfigureAwait(false);
        }

        foreach (var m in (await store.ListMilestonesAsync(student, ct).ConfigureAwait(false)).OrderBy(m => m.Id))
        {
            await SyncShowcaseAccessAsync(m.Id, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>drive.handoffShare</c>: shares each of the student's showcase folders with <see cref="Handoff.PersonalEmail"/> as
    /// reader, expiring at <see cref="Handoff.SharedUntil"/> (the district allows it: <c>BackpackOptions.HandoffSharing</c>;
    /// <c>AllowedEmailDomains</c> does not apply to this address), audited as <c>drive.handoff.share</c> without the address.
    /// Idempotent: a permission Drive already lists for the address is adopted, not created again; a redelivered message
    /// after a crash between the create and the save adopts what the first delivery created.
    /// </summary>
    /// <param name="student">The student.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <returns>A task.</returns>
    public async Task ShareForHandoffAsync(StudentId student, CancellationToken ct)
    {
        var handoff = Handoff.FromCheckpoint(await store.GetCheckpointAsync(Handoff.CheckpointKey(student), ct).ConfigureAwait(false));
        if (handoff is not { PersonalEmail: { } email, SharedUntil: { } until } || !backpack.HandoffSharing)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (until <= now.AddMinutes(1))
        {
            LogHandoffShareExpired(logger, student);
            return;
        }

        var folders = new List<string>();
        foreach (var m in (await store.ListMilestonesAsync(student, ct).ConfigureAwait(false)).OrderBy(m => m.Id))
        {
            if (await store.GetCheckpointAsync(FolderKey.Showcase(student, m.Id).CheckpointKey, ct).ConfigureAwait(false) is { Value.Length: > 0 } cp && !cp.Value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal))
            {
                folders.Add(cp.Value);
            }
        }

        if (folders.Count == 0)
        {
            return;
        }

        var user = await UserForAsync(student, ct).ConfigureAwait(false);
        var listed = await client.ListPermissionsAsync(user, folders, ct).ConfigureAwait(false);
        var changes = new ChangeSet();
        var creates = new List<string>();
        for (var i = 0; i < folders.Count; i++)
        {
            if (listed[i].IsNotFound)
            {
                continue; // The folder is gone: the reconciler recreates it, and a later share covers it.
            }

            var existing = DriveClient.Value(listed[i], "permissions.list", folders[i])
                .FirstOrDefault(p => p.Type == "user" && string.Equals(p.EmailAddress, email, StringComparison.OrdinalIgnoreCase));
            if (existing?.Id is { } id)
            {
                await RecordHandoffShareAsync(changes, student, folders[i], id, existing.Role ?? "reader", existing.ExpirationTime, now, ct).ConfigureAwait(false);
            }
            else
            {
                creates.Add(folders[i]);
            }
        }

        var created = await client.ExecuteManyAsync(user, creates.Select(f => (Func<DriveRequest<DrivePermission>>)(() => client.CreatePermissionRequest(user, f, new DrivePermission
        {
            Type = "user",
            Role = "reader",
            EmailAddress = email,
            ExpirationTime = until,
        }))).ToList(), ct).ConfigureAwait(false);
        Exception? failure = null;
        for (var k = 0; k < creates.Count; k++)
        {
            if (created[k].Succeeded)
            {
                await RecordHandoffShareAsync(changes, student, creates[k], created[k].Value!.Id!, "reader", until, now, ct).ConfigureAwait(false);
                LogHandoffShared(logger, creates[k]);
            }
            else if (!created[k].IsNotFound)
            {
                failure ??= created[k].Error;
            }
        }

        if (!changes.IsEmpty)
        {
            await store.SaveAsync(changes, ct).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            throw failure as BackpackGoogleException ?? DriveClient.Translate(failure, null, "permissions.create");
        }
    }

    /// <summary>Records the personal share of one folder once: <c>drive:handoff:{student}:{folder}</c> = permission id, and its audit record.</summary>
    private async Task RecordHandoffShareAsync(ChangeSet changes, StudentId student, string folder, string permissionId, string role, DateTimeOffset? expires, DateTimeOffset now, CancellationToken ct)
    {
        var key = $"{DriveKeys.Handoff}{student}:{folder}";
        if (await store.GetCheckpointAsync(key, ct).ConfigureAwait(false) is { Value.Length: > 0 })
        {
            return;
        }

        changes.Put(new SyncCheckpoint(key, permissionId));
        changes.Put(new AuditRecord(now, AuditActor, "drive.handoff.share", student, folder, true)
        {
            Detail = $"principal=personal;role={role}" + (Expiry(expires) is { } e ? ";" + e : string.Empty),
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drive showcase folder {FileId} shared with the handed-off student's personal address.")]
    private static partial void LogHandoffShared(ILogger logger, string fileId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The handoff sharing of student {StudentId} has expired: nothing shared.")]
    private static partial void LogHandoffShareExpired(ILogger logger, StudentId studentId);
}
