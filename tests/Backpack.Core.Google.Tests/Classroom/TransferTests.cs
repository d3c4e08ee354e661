using Backpack.Core.Artifacts;
using Backpack.Core.Students;

namespace Backpack.Core.Google.Tests.Classroom;

public sealed class TransferTests
{
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(ClassroomHarness.Start.UtcDateTime);

    private static ClassroomWorld ThreeSchools()
    {
        var w = new ClassroomWorld();
        w.AddUser("mover", "Moving Student");
        w.AddUser("stayer", "Staying Student");
        foreach (var t in new[] { "t1", "t2", "t3" })
        {
            w.AddUser(t, "Teacher " + t);
        }

        w.Courses.Add(new WorldCourse("e1", "Grade 5 Science", School: 1, Grade: 5) { Students = ["mover", "stayer"], Teachers = ["t1"] });
        w.Courses.Add(new WorldCourse("e2", "Grade 5 Science", School: 2, Grade: 5) { Teachers = ["t2"] });
        w.Courses.Add(new WorldCourse("m3", "Grade 6 Science", School: 3, Grade: 6) { Teachers = ["t3"] });
        w.Work.Add(new WorldWork("e1", "w1", "Volcano model #communicator"));
        w.Submissions.Add(new WorldSubmission("e1", "w1", "sub1", "mover", "TURNED_IN", ClassroomHarness.Start.AddDays(-1)) { Attachments = [new WorldAttachment("f1", null, "Volcano.pdf")] });
        return w;
    }

    private static void Move(ClassroomWorld w, string student, string from, string to)
    {
        w.Course(from).Students.Remove(student);
        w.Course(to).Students.Add(student);
    }

    [Fact]
    public async Task SyncAsync_MidYearMoveToAnotherSchool_TransfersWithOneBackpack()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = ThreeSchools();
        w.SeedInto(h.Emulator);
        await h.SyncAsync();
        var before = (await h.Store.FindStudentAsync(Storage.StudentIdentityKind.GoogleUserId, "mover"))!;

        Move(w, "mover", "e1", "e2");
        w.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromDays(30));
        var result = await h.SyncAsync();

        Assert.Equal(1, result.StudentsTransferred);
        var after = (await h.Store.FindStudentAsync(Storage.StudentIdentityKind.GoogleUserId, "mover"))!;
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(
            [
                new Enrollment(ClassroomWorld.School(1), GradeLevel.Grade(5), new SchoolYear(2025), Day0, Day0.AddDays(29)),
                new Enrollment(ClassroomWorld.School(2), GradeLevel.Grade(5), new SchoolYear(2025), Day0.AddDays(30)),
            ],
            after.Enrollments.ToArray());
        var artifact = Assert.Single(await h.Store.ListArtifactsAsync(after.Id));
        Assert.Equal(ClassroomWorld.School(1), artifact.Captured.SchoolId);
        var rosters = await h.Store.AllRostersAsync();
        Assert.DoesNotContain(after.Id, rosters.Single(r => r.ClassroomCourseId == "e1").Students);
        Assert.Contains(after.Id, rosters.Single(r => r.ClassroomCourseId == "e2").Students);
        var stayer = (await h.Store.FindStudentAsync(Storage.StudentIdentityKind.GoogleUserId, "stayer"))!;
        Assert.Single(stayer.Enrollments);
    }

    [Fact]
    public async Task SyncAsync_MoveAndMoveBack_KeepsEveryEnrollmentInOrder()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = ThreeSchools();
        w.SeedInto(h.Emulator);
        await h.SyncAsync();
        Move(w, "mover", "e1", "e2");
        w.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromDays(20));
        await h.SyncAsync();

        Move(w, "mover", "e2", "e1");
        w.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromDays(20));
        var result = await h.SyncAsync();

        Assert.Equal(1, result.StudentsTransferred);
        var mover = (await h.Store.FindStudentAsync(Storage.StudentIdentityKind.GoogleUserId, "mover"))!;
        Assert.Equal(
            [(1, Day0, Day0.AddDays(19)), (2, Day0.AddDays(20), Day0.AddDays(39)), (1, Day0.AddDays(40), (DateOnly?)null)],
            mover.Enrollments.Select(e => (e.SchoolId == ClassroomWorld.School(1) ? 1 : 2, e.EntryDate, e.ExitDate)).ToArray());
        Assert.Empty(RosterServiceProblems(mover));
        Assert.Single(await h.Store.ListArtifactsAsync(mover.Id));
    }

    [Fact]
    public async Task SyncAsync_MoveAcrossGradeBandsIntoNextYear_NewGradeAndYearSameBackpack()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = ThreeSchools();
        w.SeedInto(h.Emulator);
        await h.SyncAsync();

        // Summer: the elementary course is archived, the student is in the middle school's grade 6 course.
        w.Courses[0] = w.Course("e1") with { State = "ARCHIVED" };
        Move(w, "mover", "e1", "m3");
        w.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromDays(180)); // 2026-08-29: school year 2026-27
        var result = await h.SyncAsync();

        Assert.Equal(1, result.StudentsTransferred);
        var mover = (await h.Store.FindStudentAsync(Storage.StudentIdentityKind.GoogleUserId, "mover"))!;
        Assert.Equal(2, mover.Enrollments.Count);
        var latest = mover.Enrollments[^1];
        Assert.Equal((ClassroomWorld.School(3), GradeLevel.Grade(6), new SchoolYear(2026)), (latest.SchoolId, latest.Grade, latest.Year));
        Assert.Equal(GradeLevel.Grade(5), mover.Enrollments[0].Grade);
        Assert.NotNull(mover.Enrollments[0].ExitDate);
        var artifact = Assert.Single(await h.Store.ListArtifactsAsync(mover.Id));
        Assert.Equal(GradeLevel.Grade(5), artifact.Captured.Grade);
        Assert.True((await h.Store.AllRostersAsync()).Single(r => r.ClassroomCourseId == "e1").IsArchived);
    }

    [Fact]
    public async Task SyncAsync_TwoChangesOnTheSameDay_CorrectsTodaysEnrollment()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = ThreeSchools();
        w.SeedInto(h.Emulator);
        await h.SyncAsync();
        Move(w, "mover", "e1", "e2");
        w.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromDays(10));
        await h.SyncAsync();

        Move(w, "mover", "e2", "m3");
        w.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.SyncAsync();

        var mover = (await h.Store.FindStudentAsync(Storage.StudentIdentityKind.GoogleUserId, "mover"))!;
        Assert.Equal(2, mover.Enrollments.Count);
        Assert.Equal(ClassroomWorld.School(3), mover.Enrollments[^1].SchoolId);
        Assert.Equal(Day0.AddDays(10), mover.Enrollments[^1].EntryDate);
        Assert.Empty(RosterServiceProblems(mover));
    }

    [Fact]
    public async Task SyncAsync_StudentAndTeacherRemoved_LeaveTheRosterKeepTheirWork()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = ThreeSchools();
        w.Course("e1").Teachers.Add("t2");
        w.SeedInto(h.Emulator);
        await h.SyncAsync();

        w.Course("e1").Students.Remove("mover");
        w.Course("e1").Teachers.Remove("t2");
        w.SeedInto(h.Emulator);
        h.Clock.Advance(TimeSpan.FromDays(1));
        var result = await h.SyncAsync();

        Assert.Equal(1, result.RostersSaved);
        var roster = (await h.Store.AllRostersAsync()).Single(r => r.ClassroomCourseId == "e1");
        Assert.Single(roster.Students);
        Assert.Single(roster.Teachers);
        var mover = (await h.Store.FindStudentAsync(Storage.StudentIdentityKind.GoogleUserId, "mover"))!;
        Assert.Single(mover.Enrollments);
        Assert.Equal(CurationState.Suggested, Assert.Single(await h.Store.ListArtifactsAsync(mover.Id)).State);
    }

    private static IReadOnlyList<ValidationProblem> RosterServiceProblems(Student s) => RosterService.Validate(s);
}
