using System.Text;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;

namespace Backpack.Core.TestSupport.StoreContract;

/// <content>Retention: listing exited students, purging one, and proving the purge on the store's files.</content>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task ListExitedStudentsAsync_ExitedAndEnrolled_ListsOnlyThoseExitedByTheDate()
    {
        var store = Store();
        var school = TestData.School();
        var first = TestData.Year.FirstDay(8);
        var exited = TestData.Student(school.Id) with { Enrollments = [new Enrollment(school.Id, GradeLevel.Grade(5), TestData.Year, first, first.AddDays(30))] };
        var later = TestData.Student(school.Id) with { Enrollments = [new Enrollment(school.Id, GradeLevel.Grade(5), TestData.Year, first, first.AddDays(60))] };
        var enrolled = TestData.Student(school.Id);
        await store.SaveAsync(TestData.Set(school, exited, later, enrolled));

        var byDay40 = await store.ListExitedStudentsAsync(first.AddDays(40));
        var byDay60 = await store.ListExitedStudentsAsync(first.AddDays(60));

        Assert.Equal([exited.Id], byDay40.Select(s => s.Id));
        Assert.Equal(new[] { exited.Id, later.Id }.Order(), byDay60.Select(s => s.Id));
    }

    [StoreFact]
    public async Task PurgeStudentAsync_StudentWithEverything_RemovesEveryRecordKeepsOthersAndLeavesNoBytes()
    {
        var store = Store();
        var framework = TestData.Framework();
        var skill = framework.Current!.Content.Skills[0].Id;
        var rubric = TestData.Rubric();
        var school = TestData.School();
        var (gone, goneItems, goneMarkers) = Marked("PURGED", school.Id, skill, rubric);
        var (kept, keptItems, keptMarkers) = Marked("KEPT", school.Id, skill, rubric);
        var teacher = PersonId.New();
        var roster = TestData.Roster(school.Id, teacher, gone.Id, kept.Id);
        var departed = TestData.Roster(school.Id, teacher, kept.Id) with { Departures = [new RosterDeparture(gone.Id, TestData.Year.FirstDay(8).AddDays(10))] };
        await store.SaveAsync(TestData.Set([framework, rubric, school, gone, kept, roster, departed, .. goneItems, .. keptItems]));
        await store.SaveAsync(new ChangeSet()
            .Put(new SyncCheckpoint($"drive:student:{gone.Id}", "folder-1"))
            .Put(new SyncCheckpoint($"drive:student:{kept.Id}", "folder-2"))
            .Put(new OutboxMessage("drive.share", $"drive.share:{gone.Id}", $"{{\"studentId\":\"{gone.Id}\"}}", TestData.T0))
            .Put(new OutboxMessage("drive.share", $"drive.share:{kept.Id}", $"{{\"studentId\":\"{kept.Id}\"}}", TestData.T0))
            .Put(TestData.Audit("teacher:x", gone.Id, TestData.T0))
            .Put(TestData.Audit("teacher:x", kept.Id, TestData.T0)));
        var outboxBefore = await store.Outbox().CountAsync();

        var result = await store.PurgeStudentAsync(gone.Id, new AuditRecord(TestData.T0.AddDays(400), "system:retention", "student.purge", gone.Id, null, true) { Detail = "counts" });

        Assert.Equal(new StudentPurgeResult(gone.Id, true, 1, 1, 1, 1, 2, 1, 1, 1), result);
        Assert.Null(await store.GetStudentAsync(gone.Id));
        Assert.Null(await store.LoadPassportAsync(gone.Id));
        Assert.Null(await store.FindStudentAsync(StudentIdentityKind.DistrictStudentId, gone.DistrictStudentId));
        Assert.Empty(await store.ListArtifactsAsync(gone.Id));
        Assert.Empty(await store.ListEvaluationsAsync(gone.Id));
        Assert.Empty(await store.ListMilestonesAsync(gone.Id));
        Assert.Empty(await store.ListRostersForStudentAsync(gone.Id, TestData.Year));
        Assert.Equal([kept.Id], (await store.GetRosterAsync(roster.Id))!.Students);
        Assert.Empty((await store.GetRosterAsync(departed.Id))!.Departures);
        Assert.Null(await store.GetCheckpointAsync($"drive:student:{gone.Id}"));
        Assert.NotNull(await store.GetCheckpointAsync($"drive:student:{kept.Id}"));
        Assert.Equal(outboxBefore.Pending - 1, (await store.Outbox().CountAsync()).Pending);
        var audit = await store.ReadAuditAsync(new AuditQuery { StudentId = gone.Id });
        Assert.Equal(["backpack.read", "student.purge"], audit.Select(a => a.Action));
        Assert.Null(audit[0].Detail);
        Assert.Equal("counts", audit[1].Detail);
        Assert.Equal("rule:teacher-roster", Assert.Single(await store.ReadAuditAsync(new AuditQuery { StudentId = kept.Id })).Detail);
        var passport = await store.LoadPassportAsync(kept.Id);
        Assert.NotNull(passport);
        Assert.Single(passport.Artifacts);

        if (await Database.RawBytesAsync() is { } bytes)
        {
            Assert.All(goneMarkers, m => Assert.False(Contains(bytes, m), $"The purged student's marker {m} is still in the store's files."));
            Assert.All(keptMarkers, m => Assert.True(Contains(bytes, m), $"The kept student's marker {m} is missing from the store's files."));
        }
    }

    [StoreFact]
    public async Task PurgeStudentAsync_Twice_SecondRemovesNothing()
    {
        var store = Store();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        await store.SaveAsync(TestData.Set(school, student, TestData.Artifact(student.Id, school.Id)));
        var record = new AuditRecord(TestData.T0, "system:retention", "student.purge", student.Id, null, true);

        var first = await store.PurgeStudentAsync(student.Id, record);
        var second = await store.PurgeStudentAsync(student.Id, record);

        Assert.True(first.StudentRemoved);
        Assert.Equal(1, first.Artifacts);
        Assert.Equal(new StudentPurgeResult(student.Id, false, 0, 0, 0, 0, 0, 0, 0, 0), second);
    }

    [StoreFact]
    public async Task PurgeStudentAsync_RetireMessageNamingTheStudent_KeptOthersNamingThemRemoved()
    {
        var store = Store();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        var retire = "drive" + OutboxOperations.KeptOnPurgeSuffix;
        await store.SaveAsync(TestData.Set(school, student)
            .Put(new OutboxMessage(retire, $"{retire}:{student.Id}", $"{{\"student\":\"{student.Id}\"}}", TestData.T0))
            .Put(new OutboxMessage("drive.share", $"drive.share:{student.Id}", $"{{\"student\":\"{student.Id}\"}}", TestData.T0)));
        var before = (await store.Outbox().CountAsync()).Pending;

        var result = await store.PurgeStudentAsync(student.Id, new AuditRecord(TestData.T0, "system:retention", "student.purge", student.Id, null, true));

        Assert.Equal(1, result.OutboxMessages);
        Assert.Equal(before - 1, (await store.Outbox().CountAsync()).Pending);
        var leased = await store.Outbox().LeaseAsync("w", 10, TimeSpan.FromMinutes(1), TestData.T0.AddMinutes(1));
        Assert.Contains(leased, e => e.Message.Operation == retire);
        Assert.DoesNotContain(leased, e => e.Message.Operation == "drive.share");
    }

    /// <summary>A student with a unique marker in every text field, and their artifact, evaluation and milestone.</summary>
    private static (Student Student, object[] Items, string[] Markers) Marked(string prefix, SchoolId school, SkillId skill, Rubrics.Rubric rubric)
    {
        var tag = prefix + Guid.NewGuid().ToString("N")[..12];
        string M(string field) => $"{tag}{field}";
        var student = TestData.Student(school, sis: M("sis")) with { DisplayName = M("name"), Email = M("email") + "@example.org", GoogleUserId = M("google"), OneRosterSourcedId = M("oneroster") };
        var rules = new ArtifactRules();
        var artifact = TestData.Artifact(student.Id, school) with { Title = M("title") };
        artifact = artifact.AlignTo(skill, M("reasoning"), rules).Reflect(M("reflection1"), TestData.T0.AddDays(1), rules).Reflect(M("reflection2"), TestData.T0.AddDays(2), rules).GiveFeedback(PersonId.New(), M("feedback"), TestData.T0.AddDays(2), rules);
        var milestone = TestData.Milestone(student.Id, school, rubric);
        var evaluation = TestData.Evaluation(rubric, student.Id, school, artifact.Id);
        string[] markers = [M("sis"), M("name"), M("email"), M("google"), M("oneroster"), M("title"), M("reasoning"), M("reflection1"), M("reflection2"), M("feedback")];
        return (student, [artifact, milestone, evaluation], markers);
    }

    private static bool Contains(byte[] haystack, string marker) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)) >= 0;
}
