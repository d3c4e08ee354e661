using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Lifecycle;

namespace Backpack.Core.Google.Tests;

/// <summary>
/// The graduation handoff end to end, over real HTTP through Google.Apis against the emulator: the passport and the
/// offline archive, the showcases shared with the student's personal email (reader, expiring), teacher and panel sharing
/// revoked, the student's originals untouched, and a re-run that changes nothing.
/// </summary>
public sealed class DriveHandoffTests : IAsyncLifetime
{
    private readonly VirtualClock clock = new(DriveHarness.Start);
    private GoogleEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await DriveHarness.StartEmulatorAsync(clock);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Fact]
    public async Task RunHandoff_Graduate_ShowcasesSharedWithPersonalEmailExpiringTeacherAndPanelRevokedOriginalsUntouched()
    {
        await using var h = HandoffScenario.Harness(emulator, clock);
        var w = await HandoffScenario.SetUpAsync(h);
        var root = Assert.Single(HandoffScenario.Folders(h, w.Student.Id, DriveLayout.RootKind));
        var showcases = HandoffScenario.Folders(h, w.Student.Id, DriveLayout.ShowcaseKind);
        Assert.Equal(2, showcases.Count);
        Assert.Contains(HandoffScenario.Permissions(root), p => (string?)p["emailAddress"] == "teacher@district.test");
        Assert.Contains(showcases.SelectMany(HandoffScenario.Permissions), p => (string?)p["emailAddress"] == "panel2@partner.test");
        var originals = h.Files().Where(f => ((string)f["id"]!).StartsWith("orig-", StringComparison.Ordinal)).Select(f => f.ToJsonString()).ToArray();

        var (result, zip) = await HandoffScenario.RunAsync(h, w);
        await h.DrainAsync();

        // Each showcase folder: the personal email as reader, expiring when the record says; no panel; the guardian kept.
        Assert.Equal(clock.GetUtcNow().AddDays(90), result.Handoff.SharedUntil);
        foreach (var folder in HandoffScenario.Folders(h, w.Student.Id, DriveLayout.ShowcaseKind))
        {
            var perms = HandoffScenario.Permissions(folder);
            var personal = Assert.Single(perms, p => (string?)p["emailAddress"] == HandoffScenario.PersonalEmail);
            Assert.Equal(("user", "reader"), ((string)personal["type"]!, (string)personal["role"]!));
            var expires = DateTimeOffset.Parse((string)personal["expirationTime"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True((expires - result.Handoff.SharedUntil!.Value).Duration() < TimeSpan.FromSeconds(1), $"{expires:O}");
            Assert.DoesNotContain(perms, p => ((string?)p["emailAddress"])?.EndsWith("@partner.test", StringComparison.Ordinal) == true);
            Assert.Contains(perms, p => (string?)p["emailAddress"] == "guardian@family.test");
        }

        // The teacher's commenter on the root is gone (and nobody else's was added there).
        Assert.DoesNotContain(HandoffScenario.Permissions(Assert.Single(HandoffScenario.Folders(h, w.Student.Id, DriveLayout.RootKind))), p => (string?)p["emailAddress"] == "teacher@district.test");

        // The student's originals: untouched (same metadata, same permissions, not trashed).
        Assert.Equal(originals, h.Files().Where(f => ((string)f["id"]!).StartsWith("orig-", StringComparison.Ordinal)).Select(f => f.ToJsonString()).ToArray());

        // Audited without the address.
        var shares = h.Store.Audit.Where(a => a.Action == "drive.handoff.share").ToArray();
        Assert.Equal(2, shares.Length);
        Assert.All(shares, a => Assert.DoesNotContain("gmail", a.Detail, StringComparison.Ordinal));
        Assert.Contains(h.Store.Audit, a => a.Action == "drive.revoke" && a.Detail!.Contains(HandoffScenario.Teacher.ToString(), StringComparison.Ordinal));
        Assert.Contains(h.Store.Audit, a => a.Action == "drive.revoke" && a.Detail!.Contains(HandoffScenario.ExhibitionPanelist.ToString(), StringComparison.Ordinal));
        Assert.All(h.Store.Audit, a => Assert.DoesNotContain(HandoffScenario.PersonalEmail, a.Detail ?? string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain(HandoffScenario.PersonalEmail, string.Join('\n', h.Store.Inner.DeadLetters.Select(d => d.Message.Payload)), StringComparison.Ordinal);
        Assert.Equal(0, (await h.Store.CountAsync()).Pending);

        // The archive: index.html, the signed CLR and one badge; the CLR verifies.
        Assert.Equal(["index.html", "clr.json", "ob-1.json"], HandoffScenario.EntryNames(zip));
        var clr = (JsonObject)JsonNode.Parse(HandoffScenario.Entry(zip, "clr.json"))!;
        var verified = await h.WithScopeAsync<PassportService, CredentialVerificationResult>(p => p.VerifyAsync(clr));
        Assert.True(verified.Verified, string.Join("; ", verified.Errors));
        var badge = (JsonObject)JsonNode.Parse(HandoffScenario.Entry(zip, "ob-1.json"))!;
        Assert.Equal("Effective Communicator", (string?)badge["credentialSubject"]!["achievement"]!["name"]);

        var page = new HtmlParser().ParseDocument(HandoffScenario.Entry(zip, "index.html"));
        Assert.Empty(page.QuerySelectorAll("script, img, link, iframe, [src]"));
        Assert.Equal(["Effective Communicator", "Productive Collaborator"], page.QuerySelectorAll("section.skill h3").Select(e => e.TextContent));
        Assert.All(page.QuerySelectorAll("section.skill"), s => Assert.Equal("School year 2025-26", s.QuerySelector("section.year h4")!.TextContent));
        Assert.Equal(["I presented the model to the town council.", "We wrote it together & kept to it."], page.QuerySelectorAll(".reasoning .text").Select(e => e.TextContent));
        Assert.Equal(["It held 20 kg.", HandoffScenario.Script], page.QuerySelectorAll(".reflection .text").Select(e => e.TextContent));
        Assert.Equal(["https://drive.google.com/file/d/orig-model/view", "https://drive.google.com/file/d/orig-team/view"], page.QuerySelectorAll(".link a").Select(a => a.GetAttribute("href")));
        var milestones = page.QuerySelectorAll("article.milestone");
        Assert.Equal(2, milestones.Length);
        Assert.StartsWith("Defense of Learning", milestones[0].QuerySelector("h3")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Communication", "Excelling", "yes", "3"], milestones[0].QuerySelectorAll("table.outcome td").Select(td => td.TextContent));
        Assert.StartsWith("Exhibition of Learning", milestones[1].QuerySelector("h3")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["clr.json", "ob-1.json"], page.QuerySelectorAll("#part-1 .files a").Select(a => a.GetAttribute("href")));
        Assert.Contains(HandoffScenario.PersonalEmail, page.QuerySelector("#sharing")!.TextContent, StringComparison.Ordinal);

        // Again: the same archive, the same outbox and the same Drive, no Drive call that changes anything.
        var drive = h.Canonical();
        var outbox = await h.Store.CountAsync();
        var stats = emulator.GetStatistics();
        var (again, zip2) = await HandoffScenario.RunAsync(h, w);
        await h.DrainAsync();
        Assert.True(again.Resumed);
        Assert.Equal(zip, zip2);
        Assert.Equal(outbox, await h.Store.CountAsync());
        Assert.Equal(drive, h.Canonical());
        Assert.Equal(stats.CallsOf("drive.permissions.create"), emulator.GetStatistics().CallsOf("drive.permissions.create"));
        Assert.Equal(stats.CallsOf("drive.permissions.delete"), emulator.GetStatistics().CallsOf("drive.permissions.delete"));

        // A redelivered share or revoke (the same messages run again) changes nothing either.
        var organizer = (Func<string, Task>)(op => new DriveOutboxHandler(op, Organizer(h)).HandleAsync(new Sync.OutboxEntry(0, new Sync.OutboxMessage(op, "redelivered", new DrivePayload { Student = w.Student.Id }.ToJson(), clock.GetUtcNow()), 1, clock.GetUtcNow(), null), default));
        await organizer(DriveOperations.HandoffShare);
        await organizer(DriveOperations.HandoffRevoke);
        Assert.Equal(drive, h.Canonical());
        Assert.Equal(2, h.Store.Audit.Count(a => a.Action == "drive.handoff.share"));
    }

    [Fact]
    public async Task RunHandoff_DistrictDoesNotShare_NoPersonalShareButTeacherAndPanelRevoked()
    {
        await using var h = HandoffScenario.Harness(emulator, clock, o => o.HandoffSharing = false);
        var w = await HandoffScenario.SetUpAsync(h);

        await h.RunHandoffAsync(HandoffScenario.Admin, w.Student.Id, new HandoffRequest(), Stream.Null);
        await h.DrainAsync();

        var perms = HandoffScenario.Folders(h, w.Student.Id, DriveLayout.ShowcaseKind).Concat(HandoffScenario.Folders(h, w.Student.Id, DriveLayout.RootKind)).SelectMany(HandoffScenario.Permissions).ToArray();
        Assert.DoesNotContain(perms, p => (string?)p["emailAddress"] is "teacher@district.test" or "panel2@partner.test" or HandoffScenario.PersonalEmail);
        Assert.Contains(perms, p => (string?)p["emailAddress"] == "guardian@family.test");
        Assert.DoesNotContain(h.Store.Audit, a => a.Action == "drive.handoff.share");
    }

    [Fact]
    public async Task RosterSync_AfterHandoff_TeacherNotGrantedAgain()
    {
        await using var h = HandoffScenario.Harness(emulator, clock);
        var w = await HandoffScenario.SetUpAsync(h);
        await HandoffScenario.RunAsync(h, w);
        await h.DrainAsync();
        var roster = Assert.Single(h.Store.Rosters);

        // The roster still lists the student (its source has not caught up); a change to it syncs teacher access again.
        await h.SaveRosterAsync(roster, roster with { Name = "Senior Seminar (spring)", Teachers = [HandoffScenario.Teacher, PersonId.New()] });
        await h.DrainAsync();

        var root = Assert.Single(HandoffScenario.Folders(h, w.Student.Id, DriveLayout.RootKind));
        Assert.DoesNotContain(HandoffScenario.Permissions(root), p => (string?)p["emailAddress"] == "teacher@district.test");
    }

    private static DriveBackpackOrganizer Organizer(DriveHarness h) => h.Organizer;
}
