using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Frameworks;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Lifecycle;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Microsoft.Extensions.DependencyInjection;

namespace Backpack.Core.Google.Tests;

/// <summary>What the handoff scenario built: a graduate whose teacher and exhibition panel still share their folders.</summary>
internal sealed record HandoffWorld(Student Student, Artifact Model, Artifact Team, Milestone Defense, Milestone Exhibition);

/// <summary>
/// A student with a closed Defense of Learning (a met skill: a passport) and a recently held Exhibition (its panel still
/// shares the showcase), a teacher sharing the root folder, and a guardian; then the student graduates. Every id is
/// fixed or comes from the harness's sequence, so two runs of the scenario give comparable stores, Drive states and archives.
/// </summary>
internal static class HandoffScenario
{
    public const string PersonalEmail = "grad.personal@gmail.example";
    public const string Script = "<script>document.location='https://evil.example'</script> I learned to revise.";

    public static readonly Actor Admin = Actor.ForDistrictAdmin(new PersonId(Guid.Parse("00000000-0000-0000-0000-0000000000e1")));
    public static readonly PersonId Teacher = new(Guid.Parse("00000000-0000-0000-0000-0000000000a1"));
    public static readonly PersonId DefensePanelist = new(Guid.Parse("00000000-0000-0000-0000-0000000000b1"));
    public static readonly PersonId ExhibitionPanelist = new(Guid.Parse("00000000-0000-0000-0000-0000000000b2"));
    public static readonly PersonId Guardian = new(Guid.Parse("00000000-0000-0000-0000-0000000000c1"));
    public static readonly FrameworkId Framework = new(Guid.Parse("00000000-0000-0000-0000-0000000000f1"));
    public static readonly SkillId Communicator = new(Guid.Parse("00000000-0000-0000-0000-0000000000f2"));
    public static readonly SkillId Collaborator = new(Guid.Parse("00000000-0000-0000-0000-0000000000f3"));
    public static readonly SchoolId School = new(Guid.Parse("00000000-0000-0000-0000-0000000000f4"));

    /// <summary>A harness whose district shares handoffs with personal emails for 90 days and issues passports.</summary>
    public static DriveHarness Harness(GoogleEmulator emulator, VirtualClock clock, Action<BackpackOptions>? configure = null, IHandoffContributor? first = null) =>
        new(emulator, clock, configureBackpack: o =>
        {
            o.HandoffSharing = true;
            o.HandoffSharingDays = 90;
            o.RetentionDaysAfterExit = 30;
            configure?.Invoke(o);
        }, configureBuilder: b =>
        {
            if (first is not null)
            {
                b.Services.AddSingleton(first);
            }

            b.AddPassport(_ => new PassportHandoffSettings(
                new PassportIssuer("Test District", Ed25519IssuerKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())),
                Framework));
        });

    public static async Task<HandoffWorld> SetUpAsync(DriveHarness h)
    {
        var start = h.Clock.GetUtcNow();
        h.Directory.Add(Teacher, "teacher@district.test").Add(DefensePanelist, "panel1@partner.test").Add(ExhibitionPanelist, "panel2@partner.test").Add(Guardian, "guardian@family.test");
        var content = new FrameworkContent("Success Skills", [new Skill(Communicator, "Effective Communicator", 1), new Skill(Collaborator, "Productive Collaborator", 2)]);
        var levels = new[] { "Emerging", "Developing", "Ready", "Excelling" }.Select((n, i) => new RubricLevel(new LevelId(h.NextGuid()), n, i + 1, i + 1)).ToValueList();
        var rubric = new Rubric(new RubricId(h.NextGuid()), 1, "Defense of Learning Rubric", [new RubricCriterion(new CriterionId(h.NextGuid()), "Communication", 1, levels) { SkillId = Communicator }], "Ready");
        await h.Store.SaveAsync(new ChangeSet().Put(new SkillsFramework(Framework, [new FrameworkVersion(1, start.AddDays(-200), content)], null)).Put(rubric).Put(new School(School, "Aspen High")));

        var student = await h.SaveStudentAsync(null, new Student(new StudentId(h.NextGuid()), "G-1", "Grace Graduate", [new Enrollment(School, GradeLevel.Grade(12), h.Year, new DateOnly(2025, 8, 20))])
        {
            Email = "grace@district.test",
            Guardians = [Guardian],
        });
        h.Directory.Add(student.Id, "grace@district.test");
        await h.SaveRosterAsync(null, new Roster(new RosterId(h.NextGuid()), School, h.Year, "Senior Seminar", [Teacher], [student.Id]));

        var model = await OriginalAsync(h, student, "orig-model", "Bridge model", new SkillAlignment(Communicator, "I presented the model to the town council."), [new Reflection(1, "It held 20 kg.", start.AddDays(-40)), new Reflection(2, Script, start.AddDays(-30))]);
        var team = await OriginalAsync(h, student, "orig-team", "Team charter", new SkillAlignment(Collaborator, "We wrote it together & kept to it."), []);
        await h.DrainAsync();

        var context = new CaptureContext(h.Year, GradeLevel.Grade(12), School);
        var artifacts = new Dictionary<ArtifactId, Artifact> { [model.Id] = model, [team.Id] = team };

        // The Defense: held and closed weeks ago (its panel's access ended), Communication met.
        var defense = new Milestone(new MilestoneId(h.NextGuid()), student.Id, MilestoneKind.DefenseOfLearning, context, start.AddDays(-20), MilestoneStatus.Scheduled) { Rubric = rubric.Ref }
            .WithPanel([new Panelist(DefensePanelist, PanelRole.CommunityPartner)])
            .WithShowcase([new ShowcaseEntry(Communicator, [model.Id])]);
        defense = await h.SaveMilestoneAsync(null, defense);
        defense = await h.SaveMilestoneAsync(defense, defense.Hold(start.AddDays(-20), ShowcaseView.Snapshot(defense.Showcase, artifacts)));
        await h.DrainAsync();
        var criterion = rubric.Criteria[0];
        defense = await h.SaveMilestoneAsync(defense, defense.Close([new CriterionOutcome(criterion.Id, criterion.Levels[3].Id) { Evaluators = 3, QuorumMet = true }], start.AddDays(-19)));

        // The Exhibition: held yesterday; its panelist still reads the showcase.
        var exhibition = new Milestone(new MilestoneId(h.NextGuid()), student.Id, MilestoneKind.ExhibitionOfLearning, context, start.AddDays(-1), MilestoneStatus.Scheduled)
            .WithPanel([new Panelist(ExhibitionPanelist, PanelRole.Educator)])
            .WithShowcase([new ShowcaseEntry(Collaborator, [team.Id])]);
        exhibition = await h.SaveMilestoneAsync(null, exhibition);
        exhibition = await h.SaveMilestoneAsync(exhibition, exhibition.Hold(start.AddDays(-1), ShowcaseView.Snapshot(exhibition.Showcase, artifacts)));
        await h.DrainAsync();

        // Graduation, yesterday.
        var graduated = await h.SaveStudentAsync(student, student with { Enrollments = [student.Enrollments[0] with { ExitDate = DateOnly.FromDateTime(start.AddDays(-1).UtcDateTime), ExitReason = ExitReason.Graduated }] });
        return new HandoffWorld(graduated, model, team, defense, exhibition);
    }

    /// <summary>Runs the handoff as the district and returns the archive's bytes.</summary>
    public static async Task<(HandoffResult Result, byte[] Archive)> RunAsync(DriveHarness h, HandoffWorld w, Stream? into = null)
    {
        using var buffer = new MemoryStream();
        var result = await h.RunHandoffAsync(Admin, w.Student.Id, new HandoffRequest { PersonalEmail = PersonalEmail }, into ?? buffer);
        return (result, buffer.ToArray());
    }

    public static string Entry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entry = archive.GetEntry(name) ?? throw new InvalidOperationException($"The archive has no {name}.");
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<string> EntryNames(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e => e.FullName).ToArray();
    }

    /// <summary>The folders Backpack made for the student (by appProperties).</summary>
    public static IReadOnlyList<JsonObject> Folders(DriveHarness h, StudentId student, string kind) =>
        h.Live(kind).Where(f => (string?)f["appProperties"]?[DriveLayout.StudentKey] == student.ToString()).ToList();

    /// <summary>A folder's non-owner permissions as "type:email:role:expiration".</summary>
    public static IReadOnlyList<JsonObject> Permissions(JsonObject file) =>
        ((JsonArray?)file["permissions"] ?? []).Select(p => (JsonObject)p!).Where(p => (string?)p["role"] != "owner").ToList();

    private static async Task<Artifact> OriginalAsync(DriveHarness h, Student student, string fileId, string title, SkillAlignment alignment, ValueList<Reflection> reflections)
    {
        h.Emulator.SeedDriveFile(new JsonObject { ["id"] = fileId, ["name"] = title, ["mimeType"] = "application/pdf" }, [1, 2, 3]);
        var a = new Artifact(new ArtifactId(h.NextGuid()), student.Id, title, new DriveFileSource(fileId), new CaptureContext(h.Year, GradeLevel.Grade(12), School), CurationState.Collected, h.Clock.GetUtcNow().AddDays(-60))
        {
            Alignments = [alignment],
            Reflections = reflections,
        };
        return await h.SaveArtifactAsync(null, a);
    }
}
