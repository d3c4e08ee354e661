using System.Text.Json.Nodes;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Google.Tests;

/// <summary>The Drive side of retention: a purged student's Backpack folders lose their sharing and are trashed or handed over.</summary>
public sealed class DriveRetentionTests : IAsyncLifetime
{
    private readonly VirtualClock clock = new(DriveHarness.Start);
    private GoogleEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await DriveHarness.StartEmulatorAsync(clock);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Theory]
    [InlineData(RetainedDriveFolders.Trash)]
    [InlineData(RetainedDriveFolders.HandOver)]
    public async Task RunRetention_StudentPastRetention_SharingRevokedAndFoldersTrashedOrHandedOver(RetainedDriveFolders mode)
    {
        await using var h = new DriveHarness(emulator, clock, configureBackpack: o =>
        {
            o.RetentionDaysAfterExit = 30;
            o.DriveFoldersAfterRetention = mode;
        });
        var skill = (await h.SaveFrameworkAsync("Communicator")).Current!.Content.Skills[0].Id;
        PersonId teacher = PersonId.New(), panelist = PersonId.New(), guardian = PersonId.New();
        h.Directory.Add(teacher, "t@district.test").Add(panelist, "p@partner.test").Add(guardian, "mom@family.test");
        var student = await h.NewStudentAsync("gone@district.test", guardian);
        var kept = await h.NewStudentAsync("kept@district.test", guardian);
        await h.SaveRosterAsync(null, new Roster(RosterId.New(), SchoolId.New(), h.Year, "5A", [teacher], [student.Id, kept.Id]));
        var artifact = await h.NewArtifactAsync(student, "orig-gone", skill);
        await h.NewArtifactAsync(kept, "orig-kept", skill);
        var m = await h.SaveMilestoneAsync(null, new Milestone(MilestoneId.New(), student.Id, MilestoneKind.DefenseOfLearning, new Artifacts.CaptureContext(h.Year, GradeLevel.FromOrdinal(5), SchoolId.New()), clock.GetUtcNow().AddDays(1), MilestoneStatus.Scheduled)
            .WithPanel([new Panelist(panelist, PanelRole.CommunityPartner)])
            .WithShowcase([new ShowcaseEntry(skill, [artifact.Id])]));
        await h.DrainAsync();
        await h.SaveMilestoneAsync(m, m.Hold(clock.GetUtcNow()));
        await h.DrainAsync();
        Assert.NotEmpty(NonOwnerPermissions(Ours(h, student.Id)));

        // The student graduated 40 days ago; retention is 30 days.
        var exited = student with { Enrollments = [student.Enrollments[0] with { ExitDate = DateOnly.FromDateTime(DriveHarness.Start.AddDays(-40).UtcDateTime), ExitReason = ExitReason.Graduated }] };
        await h.SaveStudentAsync(student, exited);
        var report = await h.RunRetentionAsync();
        Assert.Equal(student.Id, Assert.Single(report.Purged).StudentId);
        await h.DrainAsync();
        Assert.Contains(h.Store.Audit, a => a.StudentId == student.Id && a.Action == (mode == RetainedDriveFolders.Trash ? "drive.retire.trash" : "drive.retire.handOver"));

        var folders = Ours(h, student.Id).Where(f => IsFolderKind(f)).ToList();
        Assert.NotEmpty(folders);
        Assert.Empty(NonOwnerPermissions(folders));
        var root = Assert.Single(folders, f => Kind(f) == DriveLayout.RootKind);
        Assert.Equal(mode == RetainedDriveFolders.Trash, root["trashed"]?.GetValue<bool>() == true);
        Assert.Contains(h.Files(), f => (string?)f["id"] == "orig-gone" && f["trashed"]?.GetValue<bool>() != true);

        // The other student's folders and sharing are untouched.
        Assert.Single(h.Live(DriveLayout.RootKind), f => Student(f) == kept.Id.ToString());
        Assert.NotEmpty(NonOwnerPermissions(Ours(h, kept.Id)));

        // Idempotent: the message again changes nothing.
        var before = emulator.GetStatistics().CallsOf("drive.files.update");
        await h.RunRetentionAsync();
        await h.DrainAsync();
        Assert.Equal(before, emulator.GetStatistics().CallsOf("drive.files.update"));
    }

    private static string? Kind(JsonObject f) => (string?)f["appProperties"]?[DriveLayout.KindKey];

    private static string? Student(JsonObject f) => (string?)f["appProperties"]?[DriveLayout.StudentKey];

    private static bool IsFolderKind(JsonObject f) => Kind(f) is DriveLayout.RootKind or DriveLayout.YearKind or DriveLayout.SkillKind or DriveLayout.ShowcaseKind;

    private static List<JsonObject> Ours(DriveHarness h, StudentId student) => h.Files().Where(f => Student(f) == student.ToString()).ToList();

    private static List<JsonObject> NonOwnerPermissions(IEnumerable<JsonObject> files) =>
        files.SelectMany(f => ((JsonArray?)f["permissions"]) ?? []).Select(p => (JsonObject)p!).Where(p => (string?)p["role"] != "owner").ToList();
}
