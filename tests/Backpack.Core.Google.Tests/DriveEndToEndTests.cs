using System.Text.Json.Nodes;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Google.Tests;

public sealed class DriveEndToEndTests : IAsyncLifetime
{
    private readonly VirtualClock clock = new(DriveHarness.Start);
    private GoogleEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await DriveHarness.StartEmulatorAsync(clock);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private static string Prop(JsonObject f, string key) => (string)f["appProperties"]![key]!;

    private static string Parent(JsonObject f) => ((JsonArray)f["parents"]!)[0]!.GetValue<string>();

    [Fact]
    public async Task Organize_StudentWithAlignedArtifacts_CreatesFoldersAndShortcutsFoundByAppProperties()
    {
        await using var h = new DriveHarness(emulator, clock);
        var framework = await h.SaveFrameworkAsync("Communicator", "Collaborator");
        var skills = framework.Current!.Content.Skills.Select(s => s.Id).ToArray();
        var student = await h.NewStudentAsync("ana@district.test");
        var a1 = await h.NewArtifactAsync(student, "orig-1", skills[0], skills[1]);
        await h.NewArtifactAsync(student, "orig-2", skills[1]);

        await h.DrainAsync();

        var root = Assert.Single(h.Live(DriveLayout.RootKind));
        Assert.Equal(student.Id.ToString(), Prop(root, DriveLayout.StudentKey));
        Assert.Equal("Backpack", (string)root["name"]!);
        var year = Assert.Single(h.Live(DriveLayout.YearKind));
        Assert.Equal((string)root["id"]!, Parent(year));
        Assert.Equal("2025-26", (string)year["name"]!);
        var skillFolders = h.Live(DriveLayout.SkillKind);
        Assert.Equal(2, skillFolders.Count);
        Assert.All(skillFolders, f => Assert.Equal((string)year["id"]!, Parent(f)));
        Assert.Contains(skillFolders, f => (string)f["name"]! == "1. Communicator");
        var shortcuts = h.Live(DriveLayout.ShortcutKind);
        Assert.Equal(3, shortcuts.Count);
        Assert.All(shortcuts, s => Assert.Equal("application/vnd.google-apps.shortcut", (string)s["mimeType"]!));
        var s1 = shortcuts.Where(s => Prop(s, DriveLayout.ArtifactKey) == a1.Id.ToString()).ToList();
        Assert.Equal(2, s1.Count);
        Assert.All(s1, s => Assert.Equal("orig-1", (string)s["shortcutDetails"]!["targetId"]!));
        Assert.All(s1, s => Assert.Equal(skillFolders.Single(f => Prop(f, DriveLayout.SkillKey) == Prop(s, DriveLayout.SkillKey))["id"]!.GetValue<string>(), Parent(s)));
        Assert.Equal(emulator.DriveRootFolderId, Parent(emulator.GetDriveFile("orig-1")!)); // the original stays where it is

        // Unaligning a skill removes its shortcut; nothing else changes.
        var before = h.Canonical();
        var stored = (await h.Store.GetArtifactAsync(a1.Id))!;
        await h.SaveArtifactAsync(stored, stored.Unalign(skills[1]));
        await h.DrainAsync();
        Assert.Equal(2, h.Live(DriveLayout.ShortcutKind).Count);
        Assert.Equal(before.Count - 1, h.Canonical().Count);
    }

    [Fact]
    public async Task Organize_RenamedAndMovedFolder_IsStillFoundByAppProperties()
    {
        await using var h = new DriveHarness(emulator, clock);
        var framework = await h.SaveFrameworkAsync("Communicator");
        var skill = framework.Current!.Content.Skills[0].Id;
        var student = await h.NewStudentAsync("ben@district.test");
        await h.NewArtifactAsync(student, "orig-b1", skill);
        await h.DrainAsync();
        var folder = Assert.Single(h.Live(DriveLayout.SkillKind));
        var id = (string)folder["id"]!;
        await h.Client.UpdateAsync("default", id, new DriveFile { Name = "my renamed folder" }, emulator.DriveRootFolderId, Parent(folder), default);

        // Forget the cached id: the next artifact must find the folder by appProperties, not by name or place.
        foreach (var cp in await h.Store.ListCheckpointsAsync("drive:folder:skill:"))
        {
            await h.Store.SaveAsync(new Core.Storage.ChangeSet().Put(cp with { Value = string.Empty }));
        }

        await h.NewArtifactAsync(student, "orig-b2", skill);
        await h.DrainAsync();
        Assert.Single(h.Live(DriveLayout.SkillKind));
        Assert.All(h.Live(DriveLayout.ShortcutKind), s => Assert.Equal(id, Parent(s)));
    }

    [Fact]
    public async Task Share_TeachersPanelAndGuardian_GetTheirRolesAndAreRevoked()
    {
        await using var h = new DriveHarness(emulator, clock);
        var framework = await h.SaveFrameworkAsync("Communicator");
        var skill = framework.Current!.Content.Skills[0].Id;
        PersonId t1 = PersonId.New(), t2 = PersonId.New(), p1 = PersonId.New(), p2 = PersonId.New(), g = PersonId.New();
        h.Directory.Add(t1, "t1@district.test").Add(t2, "t2@district.test").Add(p1, "p1@partner.test").Add(p2, "p2@district.test").Add(g, "mom@family.test");
        var student = await h.NewStudentAsync("cy@district.test", g);
        var roster = await h.SaveRosterAsync(null, new Roster(RosterId.New(), SchoolId.New(), h.Year, "5A", [t1, t2], [student.Id]));
        var artifacts = new List<ArtifactId>();
        for (var i = 0; i < 6; i++)
        {
            artifacts.Add((await h.NewArtifactAsync(student, $"orig-c{i}", skill)).Id);
        }

        var defense = clock.GetUtcNow().AddDays(5);
        var m = await h.SaveMilestoneAsync(null, new Milestone(MilestoneId.New(), student.Id, MilestoneKind.DefenseOfLearning, new Artifacts.CaptureContext(h.Year, GradeLevel.FromOrdinal(5), SchoolId.New()), defense, MilestoneStatus.Scheduled)
            .WithPanel([new Panelist(p1, PanelRole.CommunityPartner), new Panelist(p2, PanelRole.Educator)])
            .WithShowcase([new ShowcaseEntry(skill, artifacts.ToValueList())]));
        await h.DrainAsync();
        var grantsBefore = emulator.GetStatistics().CallsOf("drive.permissions.create");
        var held = await h.SaveMilestoneAsync(m, m.Hold(clock.GetUtcNow()));
        await h.DrainAsync();

        var root = Assert.Single(h.Live(DriveLayout.RootKind));
        var rootPerms = Perms(root);
        Assert.Equal("commenter", rootPerms["t1@district.test"].Role);
        Assert.Equal("commenter", rootPerms["t2@district.test"].Role);
        var showcase = Assert.Single(h.Live(DriveLayout.ShowcaseKind));
        Assert.Equal((string)root["id"]!, Parent(showcase));
        var copies = h.Live(DriveLayout.ShowcaseCopyKind);
        Assert.Equal(6, copies.Count);
        Assert.All(copies, c => Assert.Equal((string)showcase["id"]!, Parent(c)));
        var perms = Perms(showcase);
        Assert.Equal("reader", perms["p1@partner.test"].Role);
        Assert.Equal(held.ShowcaseFrozenAt!.Value.AddDays(7), perms["p1@partner.test"].Expires); // held + PanelAccessDays, as the policy
        Assert.Equal("reader", perms["mom@family.test"].Role);
        Assert.Null(perms["mom@family.test"].Expires);
        Assert.DoesNotContain(Files(h).SelectMany(f => ((JsonArray?)f["permissions"]) ?? []), p => (string?)p!["type"] == "anyone");
        Assert.Equal(3, emulator.GetStatistics().CallsOf("drive.permissions.create") - grantsBefore); // one grant per person, not per artifact
        Assert.Empty((JsonArray)emulator.GetState()["drive"]!["notifications"]!);

        // A teacher leaves the roster; the panel closes.
        await h.SaveRosterAsync(roster, roster with { Teachers = [t1] });
        await h.SaveMilestoneAsync(held, held.Close([], clock.GetUtcNow()));
        await h.DrainAsync();
        Assert.False(Perms(Assert.Single(h.Live(DriveLayout.RootKind))).ContainsKey("t2@district.test"));
        var after = Perms(Assert.Single(h.Live(DriveLayout.ShowcaseKind)));
        Assert.False(after.ContainsKey("p1@partner.test"));
        Assert.False(after.ContainsKey("p2@district.test"));
        Assert.True(after.ContainsKey("mom@family.test"));

        var audit = h.Store.Audit;
        Assert.Equal(5, audit.Count(a => a.Action == "drive.grant"));
        Assert.Equal(3, audit.Count(a => a.Action == "drive.revoke"));
        Assert.All(audit, a => Assert.DoesNotContain("@", a.Detail ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Share_EmailOutsideAllowedDomains_IsRefusedAndAudited()
    {
        await using var h = new DriveHarness(emulator, clock, o => o.AllowedEmailDomains.Add("district.test"));
        PersonId t1 = PersonId.New(), t2 = PersonId.New();
        h.Directory.Add(t1, "t1@district.test").Add(t2, "t2@elsewhere.test");
        var student = await h.NewStudentAsync("di@district.test");
        await h.SaveRosterAsync(null, new Roster(RosterId.New(), SchoolId.New(), h.Year, "5A", [t1, t2], [student.Id]));
        await h.DrainAsync();
        var perms = Perms(Assert.Single(h.Live(DriveLayout.RootKind)));
        Assert.True(perms.ContainsKey("t1@district.test"));
        Assert.False(perms.ContainsKey("t2@elsewhere.test"));
        Assert.Contains(h.Store.Audit, a => a.Action == "drive.grant.denied" && !a.Allowed);
    }

    [Fact]
    public async Task Reconcile_UserTrashesMovesRenamesAndDeletes_RepairsAndReportsMissingOriginals()
    {
        await using var h = new DriveHarness(emulator, clock);
        var framework = await h.SaveFrameworkAsync("Communicator", "Collaborator", "Innovator");
        var skills = framework.Current!.Content.Skills.Select(s => s.Id).ToArray();
        var student = await h.NewStudentAsync("eve@district.test");
        var a1 = await h.NewArtifactAsync(student, "orig-e1", skills[0]);
        var a2 = await h.NewArtifactAsync(student, "orig-e2", skills[1]);
        var a3 = await h.NewArtifactAsync(student, "orig-e3", skills[2]);
        await h.DrainAsync();
        var started = await h.Reconciler.ReconcileAsync();
        Assert.True(started.Started);
        var expected = h.Canonical();

        var folders = h.Live(DriveLayout.SkillKind).ToDictionary(f => Prop(f, DriveLayout.SkillKey), f => (string)f["id"]!);
        var root = (string)Assert.Single(h.Live(DriveLayout.RootKind))["id"]!;
        var year = (string)Assert.Single(h.Live(DriveLayout.YearKind))["id"]!;
        await h.Client.UpdateAsync("default", folders[skills[0].ToString()], new DriveFile { Trashed = true }, null, null, default);
        await h.Client.UpdateAsync("default", folders[skills[1].ToString()], new DriveFile { Name = "renamed by me" }, root, year, default);
        var shortcut3 = (string)h.Live(DriveLayout.ShortcutKind).Single(s => Prop(s, DriveLayout.ArtifactKey) == a3.Id.ToString())["id"]!;
        await h.Client.ExecuteAsync("default", h.Client.DeleteRequest("default", shortcut3), "files.delete", default);
        await h.Client.ExecuteAsync("default", h.Client.DeleteRequest("default", "orig-e2"), "files.delete", default);

        var result = await h.Reconciler.ReconcileAsync();
        await h.DrainAsync();

        Assert.False(result.Started);
        Assert.Equal(2, result.FoldersRepaired);
        Assert.Equal(2, result.ShortcutsReplaced); // the deleted one, and the one trashed with its folder
        Assert.Equal(1, result.Renamed);
        var missing = Assert.Single(result.MissingOriginals);
        Assert.Equal(a2.Id, missing.ArtifactId);
        Assert.True(missing.Deleted);
        Assert.Equal(expected, h.Canonical());
        Assert.Equal("renamed by me", (string)emulator.GetDriveFile(folders[skills[1].ToString()])!["name"]!); // user's name kept
        Assert.NotNull(a1);

        // A deleted skill folder is recreated and its shortcut re-placed.
        await h.Client.ExecuteAsync("default", h.Client.DeleteRequest("default", folders[skills[0].ToString()]), "files.delete", default);
        await h.Reconciler.ReconcileAsync();
        await h.DrainAsync();
        Assert.Equal(expected, h.Canonical());
    }

    [Fact]
    public async Task Outbox_CrashAtEverySave_ReRunEndsInTheSameStateWithoutDuplicates()
    {
        IReadOnlyList<string>? baseline = null;
        for (var crashAt = -1; crashAt < 40; crashAt += 3)
        {
            emulator.Reset();
            await using var h = new DriveHarness(emulator, clock);
            if (crashAt >= 0)
            {
                h.Store.CrashAfter(crashAt, DriveHarness.IsAdapterStateOnly);
            }

            await Scenario.RunAsync(h, students: 1, artifactsPerStudent: 2);
            await h.DrainAsync();
            var state = h.Canonical();
            Assert.Equal(state.Count, state.Distinct().Count());
            baseline ??= state;
            Assert.Equal(baseline, state);
        }
    }

    [Fact]
    public async Task Client_NotFound_TranslatesIntoBackpackGoogleExceptionNamingFileAndReason()
    {
        await using var h = new DriveHarness(emulator, clock);
        var ex = await Assert.ThrowsAsync<BackpackGoogleException>(() => h.Client.UpdateAsync("default", "no-such-file", new DriveFile { Name = "x" }, null, null, default));
        Assert.Equal("no-such-file", ex.FileId);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("notFound", ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.Contains("no-such-file", ex.Message, StringComparison.Ordinal);
    }

    private static List<JsonObject> Files(DriveHarness h) => h.Files().ToList();

    private static Dictionary<string, (string Role, DateTimeOffset? Expires)> Perms(JsonObject file) =>
        ((JsonArray)file["permissions"]!).Select(p => (JsonObject)p!).Where(p => p["emailAddress"] is not null)
            .ToDictionary(p => (string)p["emailAddress"]!, p => ((string)p["role"]!, p["expirationTime"] is JsonNode e ? DateTimeOffset.Parse((string)e!, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null));
}
