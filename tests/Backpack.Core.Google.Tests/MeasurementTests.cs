using Backpack.Core.Google.Emulator;
using Backpack.Core.Milestones;
using Backpack.Core.Students;
using Xunit.Abstractions;

namespace Backpack.Core.Google.Tests;

/// <summary>
/// Prints the Drive cost figures recorded in benchmarks/README-drive.md, from the emulator's counters:
/// <c>dotnet test tests/Backpack.Core.Google.Tests --filter "FullyQualifiedName~MeasurementTests" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class MeasurementTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly VirtualClock clock = new(DriveHarness.Start);
    private GoogleEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await DriveHarness.StartEmulatorAsync(clock);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Measure_QuotaUnitsAndHttpRequests_PrintsFigures(bool batch)
    {
        emulator.Reset();
        await using var h = new DriveHarness(emulator, clock, o => o.UseBatch = batch);
        var framework = await h.SaveFrameworkAsync("Communicator", "Collaborator", "Innovator");
        var skills = framework.Current!.Content.Skills.Select(s => s.Id).ToArray();
        PersonId t1 = PersonId.New(), t2 = PersonId.New(), g = PersonId.New();
        h.Directory.Add(t1, "t1@district.test").Add(t2, "t2@district.test").Add(g, "g@family.test");
        var panel = Enumerable.Range(0, 3).Select(i => PersonId.New()).ToList();
        for (var i = 0; i < panel.Count; i++)
        {
            h.Directory.Add(panel[i], $"p{i}@district.test");
        }

        // Onboarding: 20 students, then one roster with 2 teachers.
        var mark = emulator.GetStatistics();
        var students = new List<Student>();
        for (var i = 0; i < 20; i++)
        {
            students.Add(await h.NewStudentAsync($"m{i}@district.test", g));
        }

        await h.SaveRosterAsync(null, new Roster(RosterId.New(), SchoolId.New(), h.Year, "5A", [t1, t2], students.Select(s => s.Id).ToValueList()));
        await h.DrainAsync();
        var onboard = Delta(mark);

        // First artifact per student per skill (creates the skill folder), then 3 more artifacts per student and skill.
        mark = emulator.GetStatistics();
        foreach (var s in students)
        {
            await h.NewArtifactAsync(s, $"f-{s.Id}-0", skills[0]);
        }

        await h.DrainAsync();
        var firstInSkill = Delta(mark);
        mark = emulator.GetStatistics();
        var n = 0;
        foreach (var s in students)
        {
            for (var j = 1; j <= 3; j++)
            {
                await h.NewArtifactAsync(s, $"f-{s.Id}-{j}", skills[0]);
                n++;
            }
        }

        await h.DrainAsync();
        var steady = Delta(mark);
        mark = emulator.GetStatistics();
        var twoSkills = new List<Artifacts.Artifact>();
        foreach (var s in students.Take(10))
        {
            twoSkills.Add(await h.NewArtifactAsync(s, $"f2-{s.Id}", skills[0], skills[1]));
        }

        await h.DrainAsync();
        var twoSkillCost = Delta(mark);

        // Panel share: a defense with 3 panelists and a guardian, showcasing 4 then 16 artifacts.
        var shares = new List<string>();
        foreach (var (student, count) in new[] { (students[0], 4), (students[1], 16) })
        {
            var ids = new List<ArtifactId>();
            for (var j = 0; j < count; j++)
            {
                ids.Add((await h.NewArtifactAsync(student, $"show-{student.Id}-{j}", skills[2])).Id);
            }

            await h.DrainAsync();
            var m = await h.SaveMilestoneAsync(null, new Milestone(MilestoneId.New(), student.Id, MilestoneKind.DefenseOfLearning, new Artifacts.CaptureContext(h.Year, GradeLevel.FromOrdinal(5), SchoolId.New()), clock.GetUtcNow().AddDays(2), MilestoneStatus.Scheduled)
                .WithPanel(panel.Select(p => new Panelist(p, PanelRole.Educator)))
                .WithShowcase([new ShowcaseEntry(skills[2], ids.ToValueList())]));
            await h.DrainAsync();
            mark = emulator.GetStatistics();
            await h.SaveMilestoneAsync(m, m.Hold(clock.GetUtcNow()));
            await h.DrainAsync();
            var d = Delta(mark);
            shares.Add($"| panel share (hold), {count} artifacts, 3 panelists + 1 guardian | {d.Units} | {d.Http} | permissions.create {d.Grants}, files.copy {d.Copies} |");
            Assert.Equal(4, d.Grants);
        }

        var mode = batch ? "batching on" : "batching off";
        output.WriteLine($"### Drive costs ({mode})");
        output.WriteLine("| operation | quota units | HTTP requests | notes |");
        output.WriteLine("| --- | ---: | ---: | --- |");
        output.WriteLine($"| onboarding 20 students + roster of 2 teachers | {onboard.Units} ({onboard.Units / 20.0:F2}/student) | {onboard.Http} ({onboard.Http / 20.0:F2}/student) | root + year folder + 2 commenter grants per student |");
        output.WriteLine($"| first artifact in a new skill folder (20 students) | {firstInSkill.Units} ({firstInSkill.Units / 20.0:F2}/artifact) | {firstInSkill.Http} | includes the skill folder lookup + create |");
        output.WriteLine($"| new artifact, 1 skill, folder exists ({n} artifacts) | {steady.Units} ({steady.Units / (double)n:F2}/artifact) | {steady.Http} ({steady.Http / (double)n:F2}/artifact) | files.create {steady.Creates}, generateIds {steady.GenerateIds} |");
        output.WriteLine($"| new artifact, 2 skills, second skill folder new (10 artifacts) | {twoSkillCost.Units} ({twoSkillCost.Units / 10.0:F2}/artifact) | {twoSkillCost.Http} ({twoSkillCost.Http / 10.0:F2}/artifact) | 2 shortcuts + lookup and create of the new folder |");
        foreach (var s in shares)
        {
            output.WriteLine(s);
        }

        Assert.True(steady.Units <= n * 1.05, $"{steady.Units} units for {n} artifacts");
    }

    private (long Units, long Http, long Grants, long Copies, long Creates, long GenerateIds) Delta(EmulatorStatistics before)
    {
        var now = emulator.GetStatistics();
        return (now.QuotaUnits - before.QuotaUnits, now.HttpRequests - before.HttpRequests,
            now.CallsOf("drive.permissions.create") - before.CallsOf("drive.permissions.create"),
            now.CallsOf("drive.files.copy") - before.CallsOf("drive.files.copy"),
            now.CallsOf("drive.files.create") - before.CallsOf("drive.files.create"),
            now.CallsOf("drive.files.generateIds") - before.CallsOf("drive.files.generateIds"));
    }
}
