using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.TestSupport.Drive;

/// <summary>A small district's year: students, a roster, aligned artifacts, a defense held then closed, a teacher leaving.</summary>
public static class Scenario
{
    public static async Task RunAsync(DriveHarness h, int students = 2, int artifactsPerStudent = 3)
    {
        var framework = await h.SaveFrameworkAsync("Communicator", "Collaborator");
        var skills = framework.Current!.Content.Skills.Select(s => s.Id).ToArray();
        var t1 = new PersonId(Guid.Parse("00000000-0000-0000-0000-0000000000a1"));
        var t2 = new PersonId(Guid.Parse("00000000-0000-0000-0000-0000000000a2"));
        var p1 = new PersonId(Guid.Parse("00000000-0000-0000-0000-0000000000b1"));
        var g1 = new PersonId(Guid.Parse("00000000-0000-0000-0000-0000000000c1"));
        h.Directory.Add(t1, "t1@district.test").Add(t2, "t2@district.test").Add(p1, "panel1@partner.test").Add(g1, "guardian1@family.test");

        var list = new List<Student>();
        for (var i = 0; i < students; i++)
        {
            var s = await h.NewStudentAsync($"s{i}@district.test", g1);
            list.Add(s with { Id = s.Id });
        }

        var roster = await h.SaveRosterAsync(null, new Roster(new RosterId(Guid.Parse("00000000-0000-0000-0000-00000000d001")), SchoolId.New(), h.Year, "Grade 5", [t1, t2], list.Select(s => s.Id).ToValueList()));
        var showcase = new List<ArtifactId>();
        for (var i = 0; i < students; i++)
        {
            for (var j = 0; j < artifactsPerStudent; j++)
            {
                var a = await h.NewArtifactAsync(list[i], $"orig-{i}-{j}", j % 2 == 0 ? [skills[0], skills[1]] : [skills[1]]);
                if (i == 0)
                {
                    showcase.Add(a.Id);
                }
            }
        }

        await h.DrainAsync();
        var m = new Milestone(new MilestoneId(h.NextGuid()), list[0].Id, MilestoneKind.DefenseOfLearning, new Artifacts.CaptureContext(h.Year, GradeLevel.FromOrdinal(5), SchoolId.New()), h.Clock.GetUtcNow().AddDays(3), MilestoneStatus.Scheduled)
            .WithPanel([new Panelist(p1, PanelRole.CommunityPartner)])
            .WithShowcase([new ShowcaseEntry(skills[0], showcase.ToValueList())]);
        m = await h.SaveMilestoneAsync(null, m);
        var held = await h.SaveMilestoneAsync(m, m.Hold(h.Clock.GetUtcNow()));
        await h.DrainAsync();
        await h.SaveRosterAsync(roster, roster with { Teachers = [t1] });
        await h.SaveMilestoneAsync(held, held.Close([], h.Clock.GetUtcNow()));
        await h.DrainAsync();
    }
}
