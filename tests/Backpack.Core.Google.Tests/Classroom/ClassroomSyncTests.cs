using Backpack.Core.Artifacts;
using Backpack.Core.Google.Classroom;

namespace Backpack.Core.Google.Tests.Classroom;

public sealed class ClassroomSyncTests
{
    private static ClassroomWorld SmallWorld()
    {
        var w = new ClassroomWorld();
        w.AddUser("s1", "Ada Lovelace");
        w.AddUser("s2", "Grace Hopper");
        w.AddUser("t1", "Teacher One");
        w.Courses.Add(new WorldCourse("c1", "Biology", School: 1, Grade: 5) { Students = ["s1", "s2"], Teachers = ["t1"] });
        w.Work.Add(new WorldWork("c1", "w1", "Water cycle poster #communicator"));
        w.Work.Add(new WorldWork("c1", "w2", "Lab report [Productive Collaborator]"));
        w.Submissions.Add(new WorldSubmission("c1", "w1", "sub1", "s1", "TURNED_IN", ClassroomHarness.Start.AddDays(-3)) { Attachments = [new WorldAttachment("drive1", null, "Poster.pdf")] });
        w.Submissions.Add(new WorldSubmission("c1", "w2", "sub2", "s1", "RETURNED", ClassroomHarness.Start.AddDays(-2), Grade: 91) { Attachments = [new WorldAttachment(null, "https://example.org/lab", "Lab site"), new WorldAttachment("drive2", null, "Data.xlsx")] });
        w.Submissions.Add(new WorldSubmission("c1", "w1", "sub3", "s2", "CREATED", ClassroomHarness.Start.AddDays(-3)) { Attachments = [new WorldAttachment("drive3", null, "Draft")] });
        w.Guardians.Add(("s1", "g1"));
        return w;
    }

    [Fact]
    public async Task SyncAsync_SmallCourse_CreatesStudentsRosterAndSuggestedArtifacts()
    {
        await using var h = await ClassroomHarness.StartAsync();
        SmallWorld().SeedInto(h.Emulator);

        var result = await h.SyncAsync();

        Assert.Empty(result.FailedCourses);
        Assert.Equal(2, result.StudentsCreated);
        Assert.Equal(1, result.RostersSaved);
        Assert.Equal(3, result.ArtifactsSuggested);
        var students = await h.Store.AllStudentsAsync();
        Assert.Equal(2, students.Count);
        Assert.All(students, s => Assert.Equal(ClassroomWorld.School(1), Assert.Single(s.Enrollments).SchoolId));
        Assert.Single(students.Single(s => s.GoogleUserId == "s1").Guardians);
        var roster = Assert.Single(await h.Store.AllRostersAsync());
        Assert.Equal("c1", roster.ClassroomCourseId);
        Assert.Equal(2, roster.Students.Count);
        Assert.Single(roster.Teachers);
        var artifacts = await h.Store.AllArtifactsAsync();
        Assert.All(artifacts, a => Assert.Equal(CurationState.Suggested, a.State));
        Assert.All(artifacts, a => Assert.Empty(a.Alignments));
        var returned = artifacts.Select(a => (ClassroomSubmissionSource)a.Source).Where(s => s.SubmissionId == "sub2").ToList();
        Assert.Equal(2, returned.Count);
        Assert.All(returned, s => Assert.Equal(91, s.AssignedGrade));
        var poster = artifacts.Single(a => ((ClassroomSubmissionSource)a.Source).AttachmentKey == "drive1");
        Assert.Equal([ClassroomHarness.Communicator], await h.Sync().GetSuggestedSkillsAsync(poster.Id));
        var lab = artifacts.Single(a => ((ClassroomSubmissionSource)a.Source).AttachmentKey == "drive2");
        Assert.Equal([ClassroomHarness.Collaborator], await h.Sync().GetSuggestedSkillsAsync(lab.Id));
    }

    [Fact]
    public async Task SyncAsync_NothingChanged_WritesNothing()
    {
        await using var h = await ClassroomHarness.StartAsync();
        SmallWorld().SeedInto(h.Emulator);
        await h.SyncAsync();
        var saves = h.Store.Saves;
        var before = await h.Store.DumpAsync();

        var again = await h.SyncAsync();

        Assert.True(again.ChangedNothing);
        Assert.Equal(saves, h.Store.Saves);
        Assert.Equal(before, await h.Store.DumpAsync());
    }
}
