using Backpack.Core.Google.Emulator;
using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.TestSupport.Drive;

/// <summary>Quota units and HTTP requests of one Drive step, from the emulator's counters.</summary>
public readonly record struct DriveCost(long Units, long Http, long Grants, long Copies, long Creates, long GenerateIds);

/// <summary>What <see cref="DriveCostScenario.RunAsync"/> measured.</summary>
public sealed record DriveCosts(
    bool Batch,
    DriveCost Onboard,
    DriveCost FirstInSkill,
    int SteadyArtifacts,
    DriveCost Steady,
    DriveCost TwoSkills,
    IReadOnlyList<(int Artifacts, DriveCost Cost)> PanelShares);

/// <summary>
/// The Drive cost scenario: 20 students onboarded with a roster of 2 teachers, artifacts in new and existing skill
/// folders, and panel shares of 4 and 16 artifacts; each step measured from the emulator's counters (no clock).
/// Asserted by <c>DriveCostTests</c>, printed by <c>benchmarks/Backpack.Core.Benchmarks.Google -- drive</c>.
/// </summary>
public static class DriveCostScenario
{
    public static async Task<DriveCosts> RunAsync(GoogleEmulator emulator, VirtualClock clock, bool batch)
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
        var onboard = Delta(emulator, mark);

        // First artifact per student per skill (creates the skill folder), then 3 more artifacts per student and skill.
        mark = emulator.GetStatistics();
        foreach (var s in students)
        {
            await h.NewArtifactAsync(s, $"f-{s.Id}-0", skills[0]);
        }

        await h.DrainAsync();
        var firstInSkill = Delta(emulator, mark);
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
        var steady = Delta(emulator, mark);
        mark = emulator.GetStatistics();
        foreach (var s in students.Take(10))
        {
            await h.NewArtifactAsync(s, $"f2-{s.Id}", skills[0], skills[1]);
        }

        await h.DrainAsync();
        var twoSkillCost = Delta(emulator, mark);

        // Panel share: a defense with 3 panelists and a guardian, showcasing 4 then 16 artifacts.
        var shares = new List<(int, DriveCost)>();
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
            shares.Add((count, Delta(emulator, mark)));
        }

        return new DriveCosts(batch, onboard, firstInSkill, n, steady, twoSkillCost, shares);
    }

    /// <summary>
    /// The small district year of <see cref="Scenario"/> (8 students, 4 artifacts each) under emulated Drive quotas of
    /// 60/min per user and 90/min per project, the adapter paced at the same figures, on the virtual clock.
    /// </summary>
    public static async Task<(long Calls, long RateLimited, long PacedWaits)> RunPacedUnderQuotaAsync(GoogleEmulator emulator, VirtualClock clock)
    {
        emulator.Reset();
        emulator.SetQuotas(new QuotaOptions { PerUserPerMinute = 60, PerProjectPerMinute = 90 });
        try
        {
            await using var h = new DriveHarness(emulator, clock, o =>
            {
                o.PerUserQueriesPerMinute = 60;
                o.PerProjectQueriesPerMinute = 90;
            });
            await Scenario.RunAsync(h, students: 8, artifactsPerStudent: 4);
            var stats = emulator.GetStatistics();
            return (stats.TotalMethodCalls, stats.RateLimitedCalls, h.Connections.Pacer.Waits);
        }
        finally
        {
            emulator.SetQuotas(new QuotaOptions(), new QuotaOptions());
        }
    }

    private static DriveCost Delta(GoogleEmulator emulator, EmulatorStatistics before)
    {
        var now = emulator.GetStatistics();
        return new(now.QuotaUnits - before.QuotaUnits, now.HttpRequests - before.HttpRequests,
            now.CallsOf("drive.permissions.create") - before.CallsOf("drive.permissions.create"),
            now.CallsOf("drive.files.copy") - before.CallsOf("drive.files.copy"),
            now.CallsOf("drive.files.create") - before.CallsOf("drive.files.create"),
            now.CallsOf("drive.files.generateIds") - before.CallsOf("drive.files.generateIds"));
    }
}
