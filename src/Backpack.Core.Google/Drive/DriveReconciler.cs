using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backpack.Core.Google.Drive;

/// <summary>An artifact whose Drive original was trashed or deleted.</summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="FileId">The original's Drive file id.</param>
/// <param name="Deleted">Whether it was deleted for good (otherwise it is in the trash and can be restored).</param>
public sealed record MissingArtifactFile(ArtifactId ArtifactId, string FileId, bool Deleted);

/// <summary>What one pass over the Drive changes feed found and did.</summary>
/// <param name="ChangesRead">Changes read from the feed.</param>
/// <param name="Started">Whether this pass only started the feed (no checkpoint existed yet).</param>
/// <param name="FoldersRepaired">Backpack folders trashed, moved or deleted by users, queued for repair.</param>
/// <param name="ShortcutsReplaced">Artifacts whose shortcuts or showcase copies were deleted or trashed, queued to be placed again.</param>
/// <param name="Renamed">Backpack folders renamed by users (left as they are: items are found by appProperties, never by name).</param>
/// <param name="MissingOriginals">Artifacts whose originals are gone.</param>
public sealed record DriveReconcileResult(int ChangesRead, bool Started, int FoldersRepaired, int ShortcutsReplaced, int Renamed, IReadOnlyList<MissingArtifactFile> MissingOriginals);

/// <summary>
/// Told about artifacts whose Drive originals went missing, so the host can mark them (optional): by the changes feed
/// (<see cref="DriveReconciler"/>) and when the outbox cannot place an artifact's shortcut or showcase copy because
/// the original does not exist (that outbox entry ends with error code <c>drive.artifact-missing</c>).
/// </summary>
public interface IMissingArtifactHandler
{
    /// <summary>Called once per reconcile pass with the artifacts found missing in it, and once per failed placement.</summary>
    /// <param name="missing">The artifacts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when handled.</returns>
    Task OnMissingAsync(IReadOnlyList<MissingArtifactFile> missing, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the Drive changes feed from a checkpointed page token and repairs what users did to backpacks:
/// trashed or moved folders are restored or moved back, deleted ones recreated, deleted shortcuts and copies
/// placed again (all through the outbox), and artifacts whose originals are gone reported. Each page's repairs
/// and the next page token are saved in one change set, so a crash never skips or repeats a page's work.
/// </summary>
public sealed partial class DriveReconciler
{
    private readonly DriveClient client;
    private readonly IBackpackStore store;
    private readonly DriveBackpackOrganizer organizer;
    private readonly TimeProvider clock;
    private readonly IMissingArtifactHandler? missingHandler;
    private readonly ILogger logger;

    internal DriveReconciler(DriveClient client, IBackpackStore store, DriveBackpackOrganizer organizer, TimeProvider clock, IMissingArtifactHandler? missingHandler, ILogger<DriveReconciler>? logger)
    {
        this.client = client;
        this.store = store;
        this.organizer = organizer;
        this.clock = clock;
        this.missingHandler = missingHandler;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Reads the changes feed of the backpacks' Drive (the admin's, or with student impersonation the student's).</summary>
    /// <param name="student">With <c>ImpersonateStudents</c>, whose Drive to read; otherwise <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the pass (work saved so far stays saved).</param>
    /// <returns>What was found and queued.</returns>
    /// <exception cref="BackpackGoogleException">Drive failed after retries.</exception>
    public async Task<DriveReconcileResult> ReconcileAsync(StudentId? student = null, CancellationToken cancellationToken = default)
    {
        var user = student is { } s ? await organizer.UserForAsync(s, cancellationToken).ConfigureAwait(false) : client.Connections.UserFor(null);
        var key = student is { } st ? $"{DriveKeys.Changes}:{st}" : DriveKeys.Changes;
        var cp = await store.GetCheckpointAsync(key, cancellationToken).ConfigureAwait(false);
        if (cp is null || cp.Value.Length == 0)
        {
            var start = await client.GetStartPageTokenAsync(user, cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(new ChangeSet().Put(cp is null ? new SyncCheckpoint(key, start) : cp with { Value = start }), cancellationToken).ConfigureAwait(false);
            return new DriveReconcileResult(0, true, 0, 0, 0, []);
        }

        int read = 0, folders = 0, shortcuts = 0, renamed = 0;
        var missing = new List<MissingArtifactFile>();
        var token = cp.Value;
        while (true)
        {
            var page = await client.ListChangesAsync(user, token, cancellationToken).ConfigureAwait(false);
            var changes = new ChangeSet();
            var queued = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in page.Changes ?? [])
            {
                read++;
                if (change.FileId is not { } fileId)
                {
                    continue;
                }

                var removed = change.Removed == true || change.File is null;
                var trashed = change.File?.Trashed == true;
                var ours = await store.GetCheckpointAsync(DriveKeys.File + fileId, cancellationToken).ConfigureAwait(false);
                if (ours is { Value.Length: > 0 })
                {
                    var r = await OnOwnChangeAsync(changes, queued, ours.Value, fileId, change.File, removed, trashed, token, cancellationToken).ConfigureAwait(false);
                    folders += r.Folders;
                    shortcuts += r.Shortcuts;
                    renamed += r.Renamed;
                }

                var original = await store.GetCheckpointAsync(DriveKeys.Original + fileId, cancellationToken).ConfigureAwait(false);
                if (original is { Value.Length: > 0 } && (removed || trashed))
                {
                    foreach (var a in original.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        missing.Add(new MissingArtifactFile(ArtifactId.Parse(a), fileId, removed));
                        LogMissing(logger, ArtifactId.Parse(a), fileId);
                    }
                }
            }

            var next = page.NextPageToken ?? page.NewStartPageToken ?? token;
            var current = await store.GetCheckpointAsync(key, cancellationToken).ConfigureAwait(false);
            changes.Put(current is null ? new SyncCheckpoint(key, next) : current with { Value = next });
            await store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
            token = next;
            if (page.NextPageToken is null)
            {
                break;
            }
        }

        if (missing.Count > 0 && missingHandler is not null)
        {
            await missingHandler.OnMissingAsync(missing, cancellationToken).ConfigureAwait(false);
        }

        LogPass(logger, read, folders, shortcuts, missing.Count);
        return new DriveReconcileResult(read, false, folders, shortcuts, renamed, missing);
    }

    private async Task<(int Folders, int Shortcuts, int Renamed)> OnOwnChangeAsync(ChangeSet changes, HashSet<string> queued, string descriptor, string fileId, DriveFile? file, bool removed, bool trashed, string token, CancellationToken ct)
    {
        var parts = descriptor.Split('|');
        switch (parts[0])
        {
            case "folder" when FolderKey.Parse(parts[1]) is { } key:
                var expectedParent = key.Parent is { } p ? (await store.GetCheckpointAsync(p.CheckpointKey, ct).ConfigureAwait(false))?.Value : null;
                var moved = !removed && expectedParent is { Length: > 0 } && !expectedParent.StartsWith(DriveKeys.Pending, StringComparison.Ordinal) && file?.Parents?.FirstOrDefault() != expectedParent;
                if (removed)
                {
                    await ResetAsync(changes, key.CheckpointKey, fileId, ct).ConfigureAwait(false);
                }

                var renamed = !removed && file?.Name is { } name && name != await organizer.FolderNameAsync(key, ct).ConfigureAwait(false) ? 1 : 0;
                if (removed || trashed || moved)
                {
                    if (key.Kind == DriveLayout.ShowcaseKind)
                    {
                        Queue(changes, queued, DriveOperations.FreezeShowcase, $"{key.Milestone}:{token}", new DrivePayload { Milestone = key.Milestone, Student = key.Student });
                    }
                    else
                    {
                        Queue(changes, queued, DriveOperations.RepairFolder, $"{key.Id}:{token}", new DrivePayload { Folder = key.Id, Student = key.Student });
                    }

                    return (1, 0, renamed);
                }

                return (0, 0, renamed);
            case "shortcut" when parts.Length == 3:
                var artifact = ArtifactId.Parse(parts[1]);
                if (removed)
                {
                    await ResetAsync(changes, $"{DriveKeys.Shortcut}{parts[1]}:{parts[2]}", fileId, ct).ConfigureAwait(false);
                    Queue(changes, queued, DriveOperations.SyncArtifact, $"{artifact}:{token}", new DrivePayload { Artifact = artifact });
                    return (0, 1, 0);
                }

                if (trashed)
                {
                    Queue(changes, queued, DriveOperations.RestoreFile, $"{fileId}:{token}", new DrivePayload { FileId = fileId, Student = Student(file) });
                    return (0, 1, 0);
                }

                return (0, 0, 0);
            case "copy" when parts.Length == 3:
                var milestone = MilestoneId.Parse(parts[1]);
                if (removed)
                {
                    await ResetAsync(changes, $"{DriveKeys.Copy}{parts[1]}:{parts[2]}", fileId, ct).ConfigureAwait(false);
                    Queue(changes, queued, DriveOperations.FreezeShowcase, $"{milestone}:{token}", new DrivePayload { Milestone = milestone });
                    return (0, 1, 0);
                }

                if (trashed)
                {
                    Queue(changes, queued, DriveOperations.RestoreFile, $"{fileId}:{token}", new DrivePayload { FileId = fileId, Student = Student(file) });
                    return (0, 1, 0);
                }

                return (0, 0, 0);
            default:
                return (0, 0, 0);
        }
    }

    private static StudentId? Student(DriveFile? file) =>
        file?.AppProperty(DriveLayout.StudentKey) is { } s && Guid.TryParse(s, out var g) ? new StudentId(g) : null;

    /// <summary>Forgets a deleted item's id (only if the checkpoint still names it), in the page's change set.</summary>
    private async Task ResetAsync(ChangeSet changes, string key, string fileId, CancellationToken ct)
    {
        var cp = await store.GetCheckpointAsync(key, ct).ConfigureAwait(false);
        if (cp is not null && Placed.Parse(cp.Value)?.Id == fileId && changes.Checkpoints.All(c => c.Key != key))
        {
            changes.Put(cp with { Value = string.Empty });
        }
    }

    private void Queue(ChangeSet changes, HashSet<string> queued, string operation, string key, DrivePayload payload)
    {
        if (queued.Add(operation + ":" + key))
        {
            changes.Put(new OutboxMessage(operation, $"{operation}:reconcile:{key}", payload.ToJson(), clock.GetUtcNow()));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Drive original {FileId} of artifact {ArtifactId} was trashed or deleted.")]
    private static partial void LogMissing(ILogger logger, ArtifactId artifactId, string fileId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drive reconcile: {Changes} changes read, {Folders} folders and {Shortcuts} shortcuts queued for repair, {Missing} originals missing.")]
    private static partial void LogPass(ILogger logger, int changes, int folders, int shortcuts, int missing);
}
