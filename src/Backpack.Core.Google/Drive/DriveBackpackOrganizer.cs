using System.Globalization;
using System.Net;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Milestones;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Drive;

/// <summary>
/// Organizes backpacks in Drive, idempotently: folders found by appProperties (ids cached in checkpoints), file
/// ids reserved with files.generateIds and saved before each create (a retried create answers 409 and is done),
/// shortcuts in skill folders, frozen showcase copies, and sharing diffed against the permissions Drive lists.
/// Every grant and revocation is audited in the same change set as the checkpoint that records it.
/// </summary>
internal sealed partial class DriveBackpackOrganizer
{
    private const string AuditActor = "system:drive";
    private readonly DriveClient client;
    private readonly IBackpackStore store;
    private readonly IBackpackDirectory directory;
    private readonly GoogleDriveOptions options;
    private readonly BackpackOptions backpack;
    private readonly TimeProvider clock;
    private readonly ILogger logger;

    /// <summary>The error code of a shortcut or copy whose Drive original does not exist (the outbox entry's reason).</summary>
    public const string ArtifactMissingCode = "drive.artifact-missing";

    private readonly IMissingArtifactHandler? missingHandler;

    public DriveBackpackOrganizer(DriveClient client, IBackpackStore store, IBackpackDirectory directory, IOptions<GoogleDriveOptions> options, IOptions<BackpackOptions> backpack, TimeProvider clock, ILogger<DriveBackpackOrganizer>? logger = null, IMissingArtifactHandler? missingHandler = null)
    {
        this.missingHandler = missingHandler;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(backpack);
        this.client = client;
        this.store = store;
        this.directory = directory;
        this.options = options.Value;
        this.backpack = backpack.Value;
        this.clock = clock;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public IBackpackStore Store => store;

    public SchoolYear CurrentYear => backpack.SchoolYearOf(backpack.TodayAt(clock.GetUtcNow()));

    // ------------------------------------------------------------------ users

    public async Task<string> UserForAsync(StudentId student, CancellationToken ct)
    {
        if (!options.ImpersonateStudents)
        {
            return client.Connections.UserFor(null);
        }

        var s = await store.GetStudentAsync(student, ct).ConfigureAwait(false);
        var email = s?.Email ?? await directory.FindStudentEmailAsync(student, ct).ConfigureAwait(false);
        return client.Connections.UserFor(email);
    }

    // ------------------------------------------------------------------ folders

    /// <summary>
    /// Returns the folder's id, finding it by appProperties or creating it (and its parents). Safe across
    /// concurrent workers and processes: the id to create is reserved in the folder's checkpoint only if the
    /// checkpoint is still as this worker read it; a worker that loses that race reads the winner's reservation
    /// and creates with the same id, so Drive (409 on a reused id) keeps exactly one folder.
    /// </summary>
    public async Task<string> EnsureFolderAsync(string user, FolderKey key, CancellationToken ct)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                return await EnsureFolderOnceAsync(user, key, ct).ConfigureAwait(false);
            }
            catch (BackpackConcurrencyException) when (round < MaxReservationRounds)
            {
                // Another worker reserved this folder's id first: read its reservation and go on with it.
                LogReservationLost(logger, key.Kind);
            }
        }
    }

    private const int MaxReservationRounds = 5;

    private async Task<string> EnsureFolderOnceAsync(string user, FolderKey key, CancellationToken ct)
    {
        var cp = await store.GetCheckpointAsync(key.CheckpointKey, ct).ConfigureAwait(false);
        var value = cp?.Value ?? string.Empty;
        if (value.Length > 0 && !value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal))
        {
            return value;
        }

        string? parentId = key.Parent is { } parent ? await EnsureFolderAsync(user, parent, ct).ConfigureAwait(false) : null;
        string? id = null;
        if (value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal))
        {
            id = value[DriveKeys.Pending.Length..];
            if (await client.GetAsync(user, id, ct).ConfigureAwait(false) is { } existing)
            {
                await RestoreIfTrashedAsync(user, existing, ct).ConfigureAwait(false);
                await CommitFolderAsync(key, existing.Id!, ct).ConfigureAwait(false);
                return existing.Id!;
            }
        }
        else
        {
            var found = await client.FindAsync(user, key.AppProperties(backpack.DistrictId), ct).ConfigureAwait(false);
            var best = found.OrderBy(f => f.Trashed == true).ThenBy(f => f.Id, StringComparer.Ordinal).FirstOrDefault();
            if (best is not null)
            {
                await RestoreIfTrashedAsync(user, best, ct).ConfigureAwait(false);
                await CommitFolderAsync(key, best.Id!, ct).ConfigureAwait(false);
                return best.Id!;
            }
        }

        var name = await FolderNameAsync(key, ct).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            if (id is null)
            {
                id = await client.TakeIdAsync(user, ct).ConfigureAwait(false);
                cp = await ReserveAsync(key.CheckpointKey, cp, DriveKeys.Pending + id, ct).ConfigureAwait(false);
            }

            var body = new DriveFile
            {
                Id = id,
                Name = name,
                MimeType = DriveMimeTypes.Folder,
                Parents = parentId is null ? null : [parentId],
                AppProperties = key.AppProperties(backpack.DistrictId).ToDictionary(),
            };
            var r = await client.TryExecuteAsync(user, client.CreateRequest(user, body), "files.create", ct).ConfigureAwait(false);
            if (r.Succeeded || r.IsDuplicate)
            {
                LogFolderCreated(logger, key.Kind, id);
                await CommitFolderAsync(key, id, ct).ConfigureAwait(false);
                return id;
            }

            if (r.Status == 400 && attempt == 0)
            {
                // The reserved id is no longer usable (for example, it was used and the file deleted since).
                id = null;
                continue;
            }

            if (r.IsNotFound && parentId is not null && key.Parent is { } p)
            {
                await PutCheckpointAsync(p.CheckpointKey, string.Empty, ct).ConfigureAwait(false);
            }

            throw DriveClient.Translate(r.Error ?? new InvalidOperationException("files.create failed"), id, "files.create");
        }
    }

    /// <summary>Moves a folder back under its expected parent and out of the trash, if a user moved or trashed it.</summary>
    public async Task RepairFolderAsync(string user, FolderKey key, CancellationToken ct)
    {
        var id = await EnsureFolderAsync(user, key, ct).ConfigureAwait(false);
        var file = await client.GetAsync(user, id, ct).ConfigureAwait(false);
        if (file is null)
        {
            await PutCheckpointAsync(key.CheckpointKey, string.Empty, ct).ConfigureAwait(false);
            id = await EnsureFolderAsync(user, key, ct).ConfigureAwait(false);
            file = await client.GetAsync(user, id, ct).ConfigureAwait(false) ?? throw new BackpackGoogleException($"Folder '{id}' vanished while being repaired.", id, HttpStatusCode.NotFound, "notFound", true, null);
        }

        await RestoreIfTrashedAsync(user, file, ct).ConfigureAwait(false);
        if (key.Parent is { } parent)
        {
            var parentId = await EnsureFolderAsync(user, parent, ct).ConfigureAwait(false);
            var current = file.Parents?.FirstOrDefault();
            if (current != parentId)
            {
                await client.UpdateAsync(user, id, new DriveFile(), parentId, current, ct).ConfigureAwait(false);
                LogFolderMoved(logger, key.Kind, id);
            }
        }
    }

    /// <summary>Takes a trashed shortcut or copy out of the trash (a deleted one is re-placed by its own operation).</summary>
    public async Task RestoreFileAsync(string user, string fileId, CancellationToken ct)
    {
        if (await client.GetAsync(user, fileId, ct).ConfigureAwait(false) is { } file)
        {
            await RestoreIfTrashedAsync(user, file, ct).ConfigureAwait(false);
        }
    }

    private async Task RestoreIfTrashedAsync(string user, DriveFile file, CancellationToken ct)
    {
        if (file.Trashed == true)
        {
            await client.UpdateAsync(user, file.Id!, new DriveFile { Trashed = false }, null, null, ct).ConfigureAwait(false);
            LogRestored(logger, file.Id!);
        }
    }

    private async Task CommitFolderAsync(FolderKey key, string id, CancellationToken ct)
    {
        var changes = new ChangeSet();
        await PutAsync(changes, key.CheckpointKey, id, ct).ConfigureAwait(false);
        await PutAsync(changes, DriveKeys.File + id, "folder|" + key.Id, ct).ConfigureAwait(false);
        await store.SaveAsync(changes, ct).ConfigureAwait(false);
    }

    public async Task<string> FolderNameAsync(FolderKey key, CancellationToken ct)
    {
        switch (key.Kind)
        {
            case DriveLayout.RootKind:
                return options.RootFolderName;
            case DriveLayout.YearKind:
                return options.YearFolderNameTemplate.Replace("{year}", key.Year!.Value.ToString(), StringComparison.Ordinal);
            case DriveLayout.SkillKind:
                var frameworks = await store.ListFrameworksAsync(ct).ConfigureAwait(false);
                var skill = frameworks.SelectMany(f => (f.Current?.Content.Skills ?? []).Concat(f.Draft?.Skills ?? [])).FirstOrDefault(s => s.Id == key.Skill);
                return options.SkillFolderNameTemplate
                    .Replace("{skill}", skill?.Name ?? key.Skill!.Value.ToString(), StringComparison.Ordinal)
                    .Replace("{code}", skill?.Code ?? string.Empty, StringComparison.Ordinal)
                    .Replace("{position}", (skill?.Position ?? 0).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Trim();
            default:
                var m = key.Milestone is { } mid ? await store.GetMilestoneAsync(mid, ct).ConfigureAwait(false) : null;
                return options.ShowcaseFolderNameTemplate
                    .Replace("{kind}", m?.Kind.ToString() ?? "Milestone", StringComparison.Ordinal)
                    .Replace("{date}", m?.ScheduledAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.Ordinal)
                    .Trim();
        }
    }

    // ------------------------------------------------------------------ artifacts: shortcuts in skill folders

    public static string? DriveFileOf(Artifact artifact) => artifact.Source switch
    {
        DriveFileSource d => d.FileId,
        ClassroomSubmissionSource c => c.DriveFileId,
        _ => null,
    };

    /// <summary>Makes the artifact's shortcuts match its current alignments (collected artifacts only).</summary>
    public async Task SyncArtifactAsync(ArtifactId artifactId, CancellationToken ct)
    {
        var artifact = await store.GetArtifactAsync(artifactId, ct).ConfigureAwait(false);
        if (artifact is null || DriveFileOf(artifact) is not { } target)
        {
            return;
        }

        var user = await UserForAsync(artifact.StudentId, ct).ConfigureAwait(false);
        var desired = artifact.IsCollected ? artifact.Alignments.Select(a => a.SkillId).Distinct().ToList() : [];
        var prefix = $"{DriveKeys.Shortcut}{artifactId}:";
        var checkpoints = (await store.ListCheckpointsAsync(prefix, ct).ConfigureAwait(false))
            .ToDictionary(c => SkillId.Parse(c.Key[prefix.Length..]));
        var existing = checkpoints.ToDictionary(c => c.Key, c => Placed.Parse(c.Value.Value));

        // Remember which artifacts an original belongs to, so the changes feed can report it missing.
        await IndexOriginalAsync(target, artifactId, ct).ConfigureAwait(false);

        var toDelete = existing.Where(e => e.Value is { Pending: false } p && (!desired.Contains(e.Key) || p.Target != target)).ToList();
        var toCreate = desired.Where(s => !existing.TryGetValue(s, out var p) || p is null || p.Pending || p.Target != target).ToList();
        if (toDelete.Count == 0 && toCreate.Count == 0)
        {
            return;
        }

        // Reserve ids first, saved before any create.
        var reserved = new Dictionary<SkillId, string>();
        var reserve = new ChangeSet();
        foreach (var skill in toCreate)
        {
            if (existing.TryGetValue(skill, out var p) && p is { Pending: true } && p.Target == target)
            {
                reserved[skill] = p.Id;
                continue;
            }

            reserved[skill] = await client.TakeIdAsync(user, ct).ConfigureAwait(false);
            Reserve(reserve, prefix + skill, checkpoints.GetValueOrDefault(skill), $"{DriveKeys.Pending}{reserved[skill]}@{target}");
        }

        if (!reserve.IsEmpty)
        {
            await store.SaveAsync(reserve, ct).ConfigureAwait(false);
        }

        var folders = new Dictionary<SkillId, string>();
        foreach (var skill in toCreate)
        {
            folders[skill] = await EnsureFolderAsync(user, FolderKey.SkillOf(artifact.StudentId, artifact.Captured.Year, skill), ct).ConfigureAwait(false);
        }

        var deletes = await client.ExecuteManyAsync(user, toDelete.Select(d => (Func<DriveRequest<string>>)(() => client.DeleteRequest(user, d.Value!.Id))).ToList(), ct).ConfigureAwait(false);
        var creates = await client.ExecuteManyAsync(user, toCreate.Select(skill => (Func<DriveRequest<DriveFile>>)(() => client.CreateRequest(user, new DriveFile
        {
            Id = reserved[skill],
            Name = artifact.Title,
            MimeType = DriveMimeTypes.Shortcut,
            Parents = [folders[skill]],
            ShortcutDetails = new ShortcutDetails { TargetId = target },
            AppProperties = new Dictionary<string, string>
            {
                [DriveLayout.KindKey] = DriveLayout.ShortcutKind,
                [DriveLayout.DistrictKey] = backpack.DistrictId,
                [DriveLayout.StudentKey] = artifact.StudentId.ToString(),
                [DriveLayout.ArtifactKey] = artifactId.ToString(),
                [DriveLayout.SkillKey] = skill.ToString(),
            },
        }))).ToList(), ct).ConfigureAwait(false);

        var done = new ChangeSet();
        Exception? failure = null;
        for (var i = 0; i < toDelete.Count; i++)
        {
            if (deletes[i].Succeeded || deletes[i].IsNotFound)
            {
                await PutAsync(done, prefix + toDelete[i].Key, string.Empty, ct).ConfigureAwait(false);
            }
            else
            {
                failure ??= deletes[i].Error;
            }
        }

        for (var i = 0; i < toCreate.Count; i++)
        {
            var skill = toCreate[i];
            var r = creates[i];
            if (r.Succeeded || r.IsDuplicate)
            {
                await PutAsync(done, prefix + skill, $"{reserved[skill]}@{target}", ct).ConfigureAwait(false);
                await PutAsync(done, DriveKeys.File + reserved[skill], $"shortcut|{artifactId}|{skill}", ct).ConfigureAwait(false);
                LogShortcutPlaced(logger, artifactId, skill, reserved[skill]);
            }
            else
            {
                if (r.Status == 400)
                {
                    await PutAsync(done, prefix + skill, string.Empty, ct).ConfigureAwait(false);
                }
                else if (r.IsNotFound)
                {
                    // The parent folder or the target is gone: forget the cached folder so the retry re-ensures it.
                    await PutAsync(done, FolderKey.SkillOf(artifact.StudentId, artifact.Captured.Year, skill).CheckpointKey, string.Empty, ct).ConfigureAwait(false);
                }

                failure ??= r.Error;
            }
        }

        if (!done.IsEmpty)
        {
            await store.SaveAsync(done, ct).ConfigureAwait(false);
        }

        if (failure is not null && creates.Any(c => c.IsNotFound))
        {
            if (await client.GetAsync(user, target, ct).ConfigureAwait(false) is null)
            {
                // The original itself does not exist: no retry can place the shortcut.
                throw await ArtifactMissingAsync(artifactId, target, "shortcut", ct).ConfigureAwait(false);
            }

            // The original exists, so a skill folder was gone: its cached id is forgotten above and the retry re-ensures it.
            throw new BackpackGoogleException(
                $"A skill folder of artifact {artifactId} was gone when its shortcut was placed; the retry recreates it.",
                null,
                System.Net.HttpStatusCode.NotFound,
                "notFound",
                isTransient: true,
                failure)
            {
                Code = "drive.folder-missing",
            };
        }

        if (failure is not null)
        {
            throw failure as BackpackGoogleException ?? DriveClient.Translate(failure, null, "shortcuts");
        }
    }

    /// <summary>
    /// The original of an artifact does not exist in Drive: tells the <see cref="IMissingArtifactHandler"/>, logs the
    /// ids, and returns the permanent, typed failure (<see cref="ArtifactMissingCode"/>) the outbox entry ends with.
    /// </summary>
    private async Task<BackpackGoogleException> ArtifactMissingAsync(ArtifactId artifactId, string fileId, string what, CancellationToken ct)
    {
        LogArtifactMissing(logger, artifactId, fileId, what);
        if (missingHandler is not null)
        {
            await missingHandler.OnMissingAsync([new MissingArtifactFile(artifactId, fileId, Deleted: true)], ct).ConfigureAwait(false);
        }

        return new BackpackGoogleException(
            $"The Drive file {fileId} of artifact {artifactId} does not exist, so its {what} cannot be placed; the artifact needs a new source or removal.",
            fileId,
            System.Net.HttpStatusCode.NotFound,
            "notFound",
            isTransient: false,
            null)
        {
            Code = ArtifactMissingCode,
        };
    }

    private async Task IndexOriginalAsync(string target, ArtifactId artifact, CancellationToken ct)
    {
        var key = DriveKeys.Original + target;
        for (var round = 1; ; round++)
        {
            var cp = await store.GetCheckpointAsync(key, ct).ConfigureAwait(false);
            var ids = (cp?.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Contains(artifact.ToString()))
            {
                return;
            }

            var value = string.Join(',', ids.Append(artifact.ToString()));
            try
            {
                await store.SaveAsync(new ChangeSet().Put(cp is null ? new SyncCheckpoint(key, value) : cp with { Value = value }), ct).ConfigureAwait(false);
                return;
            }
            catch (BackpackConcurrencyException) when (round < MaxReservationRounds)
            {
                // Another worker indexed the same original at the same moment: read the set again and add to it.
            }
        }
    }

    // ------------------------------------------------------------------ showcases: frozen copies

    /// <summary>Creates the showcase folder and a frozen copy of every showcased Drive artifact (once frozen).</summary>
    public async Task FreezeShowcaseAsync(MilestoneId milestoneId, CancellationToken ct)
    {
        var m = await store.GetMilestoneAsync(milestoneId, ct).ConfigureAwait(false);
        if (m is null || !m.IsShowcaseFrozen || m.Status == MilestoneStatus.Cancelled)
        {
            return;
        }

        var user = await UserForAsync(m.StudentId, ct).ConfigureAwait(false);
        var folder = await EnsureFolderAsync(user, FolderKey.Showcase(m.StudentId, m.Id), ct).ConfigureAwait(false);
        var prefix = $"{DriveKeys.Copy}{milestoneId}:";
        var checkpoints = (await store.ListCheckpointsAsync(prefix, ct).ConfigureAwait(false))
            .ToDictionary(c => ArtifactId.Parse(c.Key[prefix.Length..]));
        var existing = checkpoints.ToDictionary(c => c.Key, c => Placed.Parse(c.Value.Value));
        var wanted = new List<(Artifact Artifact, string Source)>();
        foreach (var id in m.ShowcasedArtifacts)
        {
            var a = await store.GetArtifactAsync(id, ct).ConfigureAwait(false);
            if (a is not null && DriveFileOf(a) is { } source && (!existing.TryGetValue(id, out var p) || p is null || p.Pending))
            {
                wanted.Add((a, source));
            }
        }

        if (wanted.Count > 0)
        {
            var reserved = new Dictionary<ArtifactId, string>();
            var reserve = new ChangeSet();
            foreach (var (a, source) in wanted)
            {
                if (existing.TryGetValue(a.Id, out var p) && p is { Pending: true })
                {
                    reserved[a.Id] = p.Id;
                    continue;
                }

                reserved[a.Id] = await client.TakeIdAsync(user, ct).ConfigureAwait(false);
                Reserve(reserve, prefix + a.Id, checkpoints.GetValueOrDefault(a.Id), $"{DriveKeys.Pending}{reserved[a.Id]}@{source}");
            }

            if (!reserve.IsEmpty)
            {
                await store.SaveAsync(reserve, ct).ConfigureAwait(false);
            }

            var copies = await client.ExecuteManyAsync(user, wanted.Select(w => (Func<DriveRequest<DriveFile>>)(() => client.CopyRequest(user, w.Source, new DriveFile
            {
                Id = reserved[w.Artifact.Id],
                Name = w.Artifact.Title,
                Parents = [folder],
                AppProperties = new Dictionary<string, string>
                {
                    [DriveLayout.KindKey] = DriveLayout.ShowcaseCopyKind,
                    [DriveLayout.DistrictKey] = backpack.DistrictId,
                    [DriveLayout.StudentKey] = m.StudentId.ToString(),
                    [DriveLayout.MilestoneKey] = milestoneId.ToString(),
                    [DriveLayout.ArtifactKey] = w.Artifact.Id.ToString(),
                },
            }))).ToList(), ct).ConfigureAwait(false);

            var done = new ChangeSet();
            Exception? failure = null;
            var missing = new List<MissingArtifactFile>();
            for (var i = 0; i < wanted.Count; i++)
            {
                var (a, source) = wanted[i];
                if (copies[i].Succeeded || copies[i].IsDuplicate)
                {
                    await PutAsync(done, prefix + a.Id, $"{reserved[a.Id]}@{source}", ct).ConfigureAwait(false);
                    await PutAsync(done, DriveKeys.File + reserved[a.Id], $"copy|{milestoneId}|{a.Id}", ct).ConfigureAwait(false);
                }
                else if (copies[i].IsNotFound)
                {
                    // The original is gone: nothing to freeze; the host hears of the artifact.
                    LogOriginalMissing(logger, a.Id);
                    missing.Add(new MissingArtifactFile(a.Id, source, Deleted: true));
                }
                else
                {
                    if (copies[i].Status == 400)
                    {
                        await PutAsync(done, prefix + a.Id, string.Empty, ct).ConfigureAwait(false);
                    }

                    failure ??= copies[i].Error;
                }
            }

            if (!done.IsEmpty)
            {
                await store.SaveAsync(done, ct).ConfigureAwait(false);
            }

            if (missing.Count > 0 && missingHandler is not null)
            {
                await missingHandler.OnMissingAsync(missing, ct).ConfigureAwait(false);
            }

            if (failure is not null)
            {
                throw failure as BackpackGoogleException ?? DriveClient.Translate(failure, null, "files.copy");
            }
        }

        await SyncShowcaseAccessAsync(milestoneId, ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ sharing

    /// <summary>Teachers on the student's current rosters get commenter on the backpack root; others Backpack granted lose it.</summary>
    public async Task SyncTeacherAccessAsync(IReadOnlyCollection<StudentId> students, CancellationToken ct)
    {
        var byUser = new Dictionary<string, List<ShareTarget>>(StringComparer.OrdinalIgnoreCase);
        foreach (var student in students.Distinct())
        {
            if (await store.GetStudentAsync(student, ct).ConfigureAwait(false) is null)
            {
                continue;
            }

            var user = await UserForAsync(student, ct).ConfigureAwait(false);
            var root = await EnsureFolderAsync(user, FolderKey.Root(student), ct).ConfigureAwait(false);
            var rosters = await store.ListRostersForStudentAsync(student, CurrentYear, ct).ConfigureAwait(false);

            // A handed-off student's teachers keep no access, whatever the rosters still say.
            var teachers = await IsHandedOffAsync(student, ct).ConfigureAwait(false) ? [] : rosters.Where(r => !r.IsArchived).SelectMany(r => r.Teachers).Distinct().ToList();
            var grants = new List<Grant>();
            foreach (var t in teachers)
            {
                grants.Add(new Grant(t.ToString(), await directory.FindEmailAsync(t, ct).ConfigureAwait(false), null, "commenter", null));
            }

            if (!byUser.TryGetValue(user, out var list))
            {
                byUser[user] = list = [];
            }

            list.Add(new ShareTarget(root, student, grants));
        }

        foreach (var (user, targets) in byUser)
        {
            await SyncGrantsAsync(user, targets, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Panelists (reader, expiring) while the panel is open, guardians (reader) and the configured domain on the showcase folder.</summary>
    public async Task SyncShowcaseAccessAsync(MilestoneId milestoneId, CancellationToken ct)
    {
        var m = await store.GetMilestoneAsync(milestoneId, ct).ConfigureAwait(false);
        if (m is null)
        {
            return;
        }

        var cp = await store.GetCheckpointAsync(FolderKey.Showcase(m.StudentId, m.Id).CheckpointKey, ct).ConfigureAwait(false);
        if (cp is null || cp.Value.Length == 0 || cp.Value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal))
        {
            return; // No showcase in Drive yet: it is created, and shared, when the milestone is held.
        }

        var user = await UserForAsync(m.StudentId, ct).ConfigureAwait(false);
        var grants = new List<Grant>();
        var now = clock.GetUtcNow();
        if (m.PanelAccessAt(now, backpack.PanelAccessDays) is PanelAccess.Open or PanelAccess.Held && !await IsHandedOffAsync(m.StudentId, ct).ConfigureAwait(false))
        {
            // The same rule as the access policy: held + PanelAccessDays (or, before the hold, scheduled + PanelAccessDays).
            var expires = m.PanelAccessEndsAt(backpack.PanelAccessDays) ?? m.ScheduledAt.AddDays(backpack.PanelAccessDays);
            var latest = now.AddDays(365);
            if (expires > latest)
            {
                expires = latest;
            }

            if (expires > now.AddMinutes(1))
            {
                foreach (var p in m.Panel)
                {
                    grants.Add(new Grant(p.PersonId.ToString(), await directory.FindEmailAsync(p.PersonId, ct).ConfigureAwait(false), null, "reader", expires));
                }
            }
        }

        if (m.Status != MilestoneStatus.Cancelled)
        {
            if (options.ShareShowcasesWithGuardians && await store.GetStudentAsync(m.StudentId, ct).ConfigureAwait(false) is { } student)
            {
                foreach (var g in student.Guardians.Where(g => grants.All(x => x.Principal != g.ToString())))
                {
                    grants.Add(new Grant(g.ToString(), await directory.FindEmailAsync(g, ct).ConfigureAwait(false), null, "reader", null));
                }
            }

            if (options.ShareShowcasesWithDomain is { } domain)
            {
                grants.Add(new Grant("domain:" + domain, null, domain, "reader", null));
            }
        }

        await SyncGrantsAsync(user, [new ShareTarget(cp.Value, m.StudentId, grants)], ct).ConfigureAwait(false);
    }

    /// <summary>Diffs the wanted grants against the permissions Drive lists; grants what is missing, revokes what Backpack granted and no longer wants.</summary>
    private async Task SyncGrantsAsync(string user, List<ShareTarget> targets, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var managed = new List<(SyncCheckpoint? Checkpoint, Dictionary<string, string> Map)>();
        foreach (var t in targets)
        {
            var cp = await store.GetCheckpointAsync(DriveKeys.Grants + t.FileId, ct).ConfigureAwait(false);
            managed.Add((cp, ParseGrants(cp?.Value)));
        }

        var listed = await client.ListPermissionsAsync(user, targets.Select(t => t.FileId).ToList(), ct).ConfigureAwait(false);
        var creates = new List<(int Target, Grant Grant)>();
        var deletes = new List<(int Target, string Principal, string PermissionId)>();
        var audit = new ChangeSet();
        var adopted = new HashSet<int>();
        for (var i = 0; i < targets.Count; i++)
        {
            var actual = DriveClient.Value(listed[i], "permissions.list", targets[i].FileId);
            var map = managed[i].Map;
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var g in targets[i].Grants)
            {
                if (!IsAllowed(g))
                {
                    audit.Put(Audit(now, "drive.grant.denied", targets[i], g.Principal, g.Role, false, "rule=allowed-email-domains"));
                    LogGrantRefused(logger, targets[i].FileId, g.Principal);
                    continue;
                }

                wanted.Add(g.Principal);
                var match = actual.FirstOrDefault(p => g.Domain is null
                    ? p.Type is "user" && string.Equals(p.EmailAddress, g.Email, StringComparison.OrdinalIgnoreCase)
                    : p.Type is "domain" && string.Equals(p.Domain, g.Domain, StringComparison.OrdinalIgnoreCase));
                if (match is not null && match.Role == g.Role && SameExpiry(match.ExpirationTime, g.Expires))
                {
                    if (!map.ContainsKey(g.Principal))
                    {
                        map[g.Principal] = match.Id!;
                        adopted.Add(i);
                        audit.Put(Audit(now, "drive.grant", targets[i], g.Principal, g.Role, true, Expiry(g.Expires)));
                    }

                    continue;
                }

                if (match is not null && match.Role == "owner")
                {
                    continue;
                }

                creates.Add((i, g));
            }

            foreach (var (principal, permissionId) in map.Where(kv => !wanted.Contains(kv.Key)).ToList())
            {
                deletes.Add((i, principal, permissionId));
            }
        }

        var created = await client.ExecuteManyAsync(user, creates.Select(c => (Func<DriveRequest<DrivePermission>>)(() => client.CreatePermissionRequest(user, targets[c.Target].FileId, new DrivePermission
        {
            Type = c.Grant.Domain is null ? "user" : "domain",
            Role = c.Grant.Role,
            EmailAddress = c.Grant.Email,
            Domain = c.Grant.Domain,
            AllowFileDiscovery = c.Grant.Domain is null ? null : false,
            ExpirationTime = c.Grant.Expires,
        }))).ToList(), ct).ConfigureAwait(false);
        var deleted = await client.ExecuteManyAsync(user, deletes.Select(d => (Func<DriveRequest<string>>)(() => client.DeletePermissionRequest(user, targets[d.Target].FileId, d.PermissionId))).ToList(), ct).ConfigureAwait(false);

        var touched = new HashSet<int>(adopted);
        Exception? failure = null;
        for (var k = 0; k < creates.Count; k++)
        {
            var (i, g) = creates[k];
            if (created[k].Succeeded)
            {
                managed[i].Map[g.Principal] = created[k].Value!.Id!;
                touched.Add(i);
                audit.Put(Audit(now, "drive.grant", targets[i], g.Principal, g.Role, true, Expiry(g.Expires)));
                LogGranted(logger, targets[i].FileId, g.Principal, g.Role);
            }
            else
            {
                failure ??= created[k].Error;
            }
        }

        for (var k = 0; k < deletes.Count; k++)
        {
            var (i, principal, _) = deletes[k];
            if (deleted[k].Succeeded || deleted[k].IsNotFound)
            {
                managed[i].Map.Remove(principal);
                touched.Add(i);
                audit.Put(Audit(now, "drive.revoke", targets[i], principal, null, true, null));
                LogRevoked(logger, targets[i].FileId, principal);
            }
            else
            {
                failure ??= deleted[k].Error;
            }
        }

        foreach (var i in touched)
        {
            var value = string.Join(';', managed[i].Map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
            var key = DriveKeys.Grants + targets[i].FileId;
            audit.Put(managed[i].Checkpoint is { } cp ? cp with { Value = value } : new SyncCheckpoint(key, value));
        }

        if (!audit.IsEmpty)
        {
            await store.SaveAsync(audit, ct).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            throw failure as BackpackGoogleException ?? DriveClient.Translate(failure, null, "permissions");
        }
    }

    private bool IsAllowed(Grant g)
    {
        if (g.Domain is not null)
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(g.Email) || !g.Email.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        if (options.AllowedEmailDomains.Count == 0)
        {
            return true;
        }

        var domain = g.Email[(g.Email.LastIndexOf('@') + 1)..];
        return options.AllowedEmailDomains.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase));
    }

    private static bool SameExpiry(DateTimeOffset? actual, DateTimeOffset? wanted) =>
        actual is null ? wanted is null : wanted is not null && (actual.Value - wanted.Value).Duration() < TimeSpan.FromSeconds(2);

    private static string? Expiry(DateTimeOffset? e) => e is { } x ? "expires=" + x.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null;

    private static AuditRecord Audit(DateTimeOffset now, string action, ShareTarget t, string principal, string? role, bool allowed, string? detail) =>
        new(now, AuditActor, action, t.Student, t.FileId, allowed)
        {
            Detail = $"principal={principal}" + (role is null ? string.Empty : $";role={role}") + (detail is null ? string.Empty : ";" + detail),
        };

    private static Dictionary<string, string> ParseGrants(string? value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                map[part[..eq]] = part[(eq + 1)..];
            }
        }

        return map;
    }

    // ------------------------------------------------------------------ checkpoints

    public async Task PutCheckpointAsync(string key, string value, CancellationToken ct)
    {
        var changes = new ChangeSet();
        await PutAsync(changes, key, value, ct).ConfigureAwait(false);
        await store.SaveAsync(changes, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves a reservation only if the checkpoint is still as <paramref name="observed"/> (absent when null): a
    /// concurrent reservation by another worker makes the save throw <see cref="BackpackConcurrencyException"/>.
    /// Returns the checkpoint as saved.
    /// </summary>
    private async Task<SyncCheckpoint> ReserveAsync(string key, SyncCheckpoint? observed, string value, CancellationToken ct)
    {
        var changes = new ChangeSet();
        var saved = Reserve(changes, key, observed, value);
        await store.SaveAsync(changes, ct).ConfigureAwait(false);
        return saved with { Version = saved.Version + 1 };
    }

    /// <summary>Adds a reservation conditional on the checkpoint being as <paramref name="observed"/> (see <see cref="ReserveAsync"/>).</summary>
    private static SyncCheckpoint Reserve(ChangeSet changes, string key, SyncCheckpoint? observed, string value)
    {
        var checkpoint = observed is null ? new SyncCheckpoint(key, value) : observed with { Value = value };
        changes.Put(checkpoint);
        return checkpoint;
    }

    private async Task PutAsync(ChangeSet changes, string key, string value, CancellationToken ct)
    {
        var cp = await store.GetCheckpointAsync(key, ct).ConfigureAwait(false);
        if (cp?.Value == value || (cp is null && value.Length == 0))
        {
            return;
        }

        changes.Put(cp is null ? new SyncCheckpoint(key, value) : cp with { Value = value });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Drive {Kind} folder: another worker reserved it first; going on with its reservation.")]
    private static partial void LogReservationLost(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Drive {Kind} folder {FileId} created.")]
    private static partial void LogFolderCreated(ILogger logger, string kind, string fileId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drive {Kind} folder {FileId} moved back under its parent.")]
    private static partial void LogFolderMoved(ILogger logger, string kind, string fileId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drive file {FileId} restored from the trash.")]
    private static partial void LogRestored(ILogger logger, string fileId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Artifact {ArtifactId}: its Drive original {FileId} does not exist; the {What} was not placed.")]
    private static partial void LogArtifactMissing(ILogger logger, ArtifactId artifactId, string fileId, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shortcut {FileId} placed for artifact {ArtifactId} and skill {SkillId}.")]
    private static partial void LogShortcutPlaced(ILogger logger, ArtifactId artifactId, SkillId skillId, string fileId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Drive original of artifact {ArtifactId} is missing.")]
    private static partial void LogOriginalMissing(ILogger logger, ArtifactId artifactId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drive file {FileId}: granted {Role} to principal {Principal}.")]
    private static partial void LogGranted(ILogger logger, string fileId, string principal, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drive file {FileId}: revoked principal {Principal}.")]
    private static partial void LogRevoked(ILogger logger, string fileId, string principal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drive file {FileId}: principal {Principal} not shared with (no email, or its domain is not allowed).")]
    private static partial void LogGrantRefused(ILogger logger, string fileId, string principal);
}

/// <summary>A placed shortcut or copy as recorded in its checkpoint: <c>[pending:]{id}@{target}</c>.</summary>
internal sealed record Placed(string Id, string Target, bool Pending)
{
    public static Placed? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var pending = value.StartsWith(DriveKeys.Pending, StringComparison.Ordinal);
        var v = pending ? value[DriveKeys.Pending.Length..] : value;
        var at = v.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? new Placed(v, string.Empty, pending) : new Placed(v[..at], v[(at + 1)..], pending);
    }
}

/// <summary>One file and the complete set of grants Backpack wants on it.</summary>
internal sealed record ShareTarget(string FileId, StudentId Student, IReadOnlyList<Grant> Grants);

/// <summary>A grant: a principal (a person id, or <c>domain:x</c>), their email or domain, a role and an optional expiry.</summary>
internal sealed record Grant(string Principal, string? Email, string? Domain, string Role, DateTimeOffset? Expires);
