using System.Text.Json.Nodes;
using Backpack.Core.Artifacts;
using Backpack.Core.Frameworks;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Storage;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Tests.Classroom;

public sealed class CourseWorkTests
{
    private static readonly Skill[] Skills =
    [
        new(ClassroomHarness.Communicator, "Effective Communicator", 1) { Code = "EC" },
        new(ClassroomHarness.Collaborator, "Productive Collaborator", 2),
        new(ClassroomHarness.Innovator, "Emerging Innovator", 3),
    ];

    private static ClassroomWorld OneCourse()
    {
        var w = new ClassroomWorld();
        w.AddUser("s1");
        w.AddUser("t1");
        w.Courses.Add(new WorldCourse("c1", "Art", School: 4, Grade: 8) { Students = ["s1"], Teachers = ["t1"] });
        return w;
    }

    [Theory]
    [InlineData("Poster #communicator", "communicator")]
    [InlineData("Poster [Effective Communicator]", null)]
    [InlineData("[EC] speech", null)]
    [InlineData("Team build (#Collaboration)", "collaboration")]
    public void TagSkillStrategy_TagInTitle_SuggestsTheSkill(string title, string? tag)
    {
        var tags = new Dictionary<string, SkillId> { ["communicator"] = ClassroomHarness.Communicator, ["collaboration"] = ClassroomHarness.Collaborator };
        var strategy = new TagSkillStrategy(tags);

        var skills = strategy.SuggestSkills(new ClassroomCourseWork("c", "w", title), Skills).ToArray();

        Assert.Single(skills);
        Assert.Equal(tag == "collaboration" ? ClassroomHarness.Collaborator : ClassroomHarness.Communicator, skills[0]);
    }

    [Fact]
    public void TagSkillStrategy_AnySurroundingText_FindsTheTagAndNothingElse()
    {
        var strategy = new TagSkillStrategy(new Dictionary<string, SkillId> { ["communicator"] = ClassroomHarness.Communicator });
        var text = Gen.Elements("a", "b", " ", "-", ".", "x1", "\n", "é", "(", ")").ArrayOf().Select(parts => string.Concat(parts));
        var property = Prop.ForAll(text.ToArbitrary(), text.ToArbitrary(), (before, after) =>
        {
            var found = strategy.SuggestSkills(new ClassroomCourseWork("c", "w", before + " #communicator " + after), Skills).Distinct().ToArray();
            var none = strategy.SuggestSkills(new ClassroomCourseWork("c", "w", before + after), Skills).ToArray();
            return found.SequenceEqual([ClassroomHarness.Communicator]) && none.Length == 0;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    [Fact]
    public void CompositeSkillStrategy_SeveralStrategies_UnionWithoutDuplicates()
    {
        var composite = new CompositeSkillStrategy([
            new TagSkillStrategy(new Dictionary<string, SkillId> { ["communicator"] = ClassroomHarness.Communicator }),
            new RubricCriteriaSkillStrategy(),
            new LearningStandardSkillStrategy(),
        ]);
        var work = new ClassroomCourseWork("c", "w", "Speech #communicator")
        {
            RubricCriteria = ["Effective communicator", "Spelling"],
            LearningStandards = [ClassroomHarness.Innovator.Value, Guid.NewGuid()],
        };

        Assert.Equal([ClassroomHarness.Communicator, ClassroomHarness.Innovator], composite.SuggestSkills(work, Skills).ToArray());
    }

    [Fact]
    public async Task SyncAsync_UnknownFieldsRubricAndStandards_ParsedTolerantly()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = OneCourse();
        w.Work.Add(new WorldWork("c1", "w1", "Mural")
        {
            Extra = new JsonObject
            {
                ["rubric"] = new JsonObject { ["criteria"] = new JsonArray(new JsonObject { ["title"] = "Productive Collaborator", ["levels"] = new JsonArray() }, new JsonObject { ["title"] = 42 }) },
                ["learningStandards"] = new JsonArray(new JsonObject { ["caseItemUri"] = "https://case.example/uri/" + ClassroomHarness.Innovator }),
                ["somethingNew"] = new JsonObject { ["deep"] = new JsonArray(1, "x", null) },
                ["workType"] = "A_WORK_TYPE_FROM_THE_FUTURE",
            },
        });
        w.Submissions.Add(new WorldSubmission("c1", "w1", "sub1", "s1", "TURNED_IN", ClassroomHarness.Start.AddDays(-1)) { Attachments = [new WorldAttachment(null, "https://example.org/mural", "Mural photos")] });
        w.SeedInto(h.Emulator);
        h.Emulator.SeedClassroomCourse(new JsonObject { ["id"] = "c2", ["name"] = "Future", ["section"] = "S4-G8", ["courseState"] = "A_STATE_FROM_THE_FUTURE" });

        var result = await h.SyncAsync();

        Assert.Empty(result.FailedCourses);
        var artifact = Assert.Single(await h.Store.AllArtifactsAsync());
        Assert.IsType<ClassroomSubmissionSource>(artifact.Source);
        Assert.Equal("https://example.org/mural", ((ClassroomSubmissionSource)artifact.Source).AttachmentKey);
        Assert.Equal([ClassroomHarness.Collaborator, ClassroomHarness.Innovator], await h.Sync().GetSuggestedSkillsAsync(artifact.Id));
        Assert.Single(await h.Store.AllRostersAsync());
    }

    [Fact]
    public async Task SyncAsync_CourseWorkDeleted_WithdrawsSuggestionsKeepsCollected()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = OneCourse();
        w.Work.Add(new WorldWork("c1", "w1", "Essay"));
        w.Work.Add(new WorldWork("c1", "w2", "Poem"));
        w.Submissions.Add(new WorldSubmission("c1", "w1", "sub1", "s1", "TURNED_IN", ClassroomHarness.Start.AddDays(-1)) { Attachments = [new WorldAttachment("f1", null, "Essay"), new WorldAttachment("f2", null, "Notes")] });
        w.Submissions.Add(new WorldSubmission("c1", "w2", "sub2", "s1", "TURNED_IN", ClassroomHarness.Start.AddDays(-1)) { Attachments = [new WorldAttachment("f3", null, "Poem")] });
        w.SeedInto(h.Emulator);
        await h.SyncAsync();
        var collected = (await h.Store.AllArtifactsAsync()).Single(a => ((ClassroomSubmissionSource)a.Source).AttachmentKey == "f1");
        await h.Store.SaveAsync(new ChangeSet().Put(collected.MoveTo(CurationState.Collected)));

        w.Work.RemoveAll(x => x.Id == "w1");
        w.Submissions.RemoveAll(x => x.WorkId == "w1");
        w.Work.Add(new WorldWork("c1", "w9", "Deleted one", State: "DELETED"));
        w.SeedInto(h.Emulator);
        var result = await h.SyncAsync();

        Assert.Equal(1, result.ArtifactsWithdrawn);
        var artifacts = await h.Store.AllArtifactsAsync();
        Assert.Equal(CurationState.Collected, artifacts.Single(a => ((ClassroomSubmissionSource)a.Source).AttachmentKey == "f1").State);
        Assert.Equal(CurationState.Archived, artifacts.Single(a => ((ClassroomSubmissionSource)a.Source).AttachmentKey == "f2").State);
        Assert.Equal(CurationState.Suggested, artifacts.Single(a => ((ClassroomSubmissionSource)a.Source).AttachmentKey == "f3").State);
        Assert.True((await h.SyncAsync()).ChangedNothing);
    }

    [Fact]
    public async Task SyncAsync_GradeReturnedLater_UpdatesTheSuggestion()
    {
        await using var h = await ClassroomHarness.StartAsync();
        var w = OneCourse();
        w.Work.Add(new WorldWork("c1", "w1", "Essay"));
        w.Submissions.Add(new WorldSubmission("c1", "w1", "sub1", "s1", "TURNED_IN", ClassroomHarness.Start.AddDays(-2)) { Attachments = [new WorldAttachment("f1", null, "Essay")] });
        w.SeedInto(h.Emulator);
        await h.SyncAsync();

        w.Submissions[0] = w.Submissions[0] with { State = "RETURNED", Grade = 88, UpdateTime = ClassroomHarness.Start.AddDays(-1) };
        w.SeedInto(h.Emulator);
        var result = await h.SyncAsync();

        Assert.Equal(1, result.ArtifactsUpdated);
        var artifact = Assert.Single(await h.Store.AllArtifactsAsync());
        Assert.Equal(88, ((ClassroomSubmissionSource)artifact.Source).AssignedGrade);
        Assert.Equal(100, ((ClassroomSubmissionSource)artifact.Source).MaxPoints);
    }

    [Fact]
    public async Task SyncAsync_NonRetryableFailures_BecomeBackpackGoogleException()
    {
        await using var h = await ClassroomHarness.StartAsync(o => o.MaxAttempts = 2);
        OneCourse().SeedInto(h.Emulator);
        var faults = new FaultOptions();
        faults.Schedule.Add(new ScheduledFault("classroom.courses.list", 1, FaultKind.InternalError));
        faults.Schedule.Add(new ScheduledFault("classroom.courses.list", 2, FaultKind.ServiceUnavailable));
        h.Emulator.SetFaults(faults);

        var ex = await Assert.ThrowsAsync<BackpackGoogleException>(() => h.SyncAsync());

        Assert.True(ex.IsTransient);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.IsType<global::Google.GoogleApiException>(ex.InnerException);
    }

    [Fact]
    public async Task SyncAsync_CourseWorkListFailsForOneCourse_OtherCoursesStillSync()
    {
        await using var h = await ClassroomHarness.StartAsync(o => { o.MaxAttempts = 1; o.MaxConcurrentCourses = 1; });
        var w = OneCourse();
        w.Courses.Add(new WorldCourse("c2", "Music", School: 4, Grade: 8) { Students = ["s1"], Teachers = ["t1"] });
        w.SeedInto(h.Emulator);
        var faults = new FaultOptions();
        faults.Schedule.Add(new ScheduledFault("classroom.courses.courseWork.list", 1, FaultKind.InternalError));
        h.Emulator.SetFaults(faults);

        var result = await h.SyncAsync();

        Assert.Equal(["c1"], result.FailedCourses.Keys);
        Assert.Equal(1, result.CoursesSaved);
        Assert.Null(await h.Store.GetCheckpointAsync("classroom:course:c1"));
        h.Emulator.SetFaults(null);
        Assert.Equal(1, (await h.SyncAsync()).CoursesSaved);
    }

    [Fact]
    public async Task AddGoogleClassroom_NoMappingNoCredential_FailsValidationNamingTheSettings()
    {
        await using var h = await ClassroomHarness.StartAsync(o =>
        {
            o.MapCourse = null;
            o.AccessToken = null;
            o.PageSize = 0;
            o.PubSubTopic = "not-a-topic";
        });

        var ex = Assert.Throws<OptionsValidationException>(() => h.Get<IOptions<GoogleClassroomOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("MapCourse", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("AccessToken", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("PageSize is 0", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("PubSubTopic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisterForChangesAsync_Topic_CreatesDomainAndCourseWorkRegistrations()
    {
        await using var h = await ClassroomHarness.StartAsync(o => o.PubSubTopic = "projects/district/topics/classroom");
        OneCourse().SeedInto(h.Emulator);

        var ids = await h.Sync().RegisterForChangesAsync(["c1"]);

        Assert.Equal(2, ids.Count);
        Assert.Equal(2, h.Emulator.GetStatistics().CallsOf("classroom.registrations.create"));
    }
}
