using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Lifecycle;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.Tests;

/// <summary>A backpack's whole life: inspection (the student record export) and retention (purge after exit).</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));
    private readonly Actor _district = Actor.ForDistrictAdmin(PersonId.New());
    private readonly PersonId _teacher = PersonId.New();
    private readonly PersonId _guardian = PersonId.New();
    private readonly SchoolId _school = SchoolId.New();
    private readonly SchoolYear _year = new(2025);
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;
    private Student _student = null!;
    private Artifact _artifact = null!;

    private InMemoryBackpackStore Store => _provider.GetRequiredService<InMemoryBackpackStore>();

    private T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock);
        services.AddBackpack(o =>
        {
            o.DistrictId = "lifecycle";
            o.RetentionDaysAfterExit = 10;
        }).UseInMemoryStore();
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateScope();
        var frameworks = Get<FrameworkService>();
        var framework = await frameworks.PublishAsync(_district, (await frameworks.CreateAsync(_district, FrameworkId.New(), Samples.SuccessSkills())).Id);
        var rubric = await frameworks.AddRubricVersionAsync(_district, Samples.FourLevelRubric(2));
        var rosters = Get<RosterService>();
        await rosters.SaveSchoolAsync(_district, new School(_school, "Aspen Elementary"));
        _student = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "A1", "Student A", [new Enrollment(_school, GradeLevel.Grade(5), _year, new DateOnly(2025, 8, 20))]) { Guardians = [_guardian], Email = "a@example.org" });
        await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _school, _year, "Grade 5", [_teacher], [_student.Id]));
        var backpack = Get<BackpackService>();
        var me = Actor.ForStudent(_student.Id);
        var skill = framework.Current!.Content.Skills[0].Id;
        _artifact = await backpack.AddArtifactAsync(me, _student.Id, "Water <b>cycle</b> model", new WebLinkSource(new Uri("https://example.org/w")));
        _artifact = await backpack.AlignAsync(me, _artifact.Id, skill, "I explained it.");
        _artifact = await backpack.ReflectAsync(me, _artifact.Id, "First thoughts.");
        _artifact = await backpack.ReflectAsync(me, _artifact.Id, "Second thoughts.");
        _artifact = await backpack.GiveFeedbackAsync(Actor.ForTeacher(_teacher), _artifact.Id, "Well argued.");
        var criterion = rubric.Criteria[0];
        await backpack.ScoreArtifactAsync(Actor.ForTeacher(_teacher), _artifact.Id, rubric.Ref, [new CriterionLevel(criterion.Name, criterion.Levels[2].Name)]);
        await backpack.GetBackpackAsync(Actor.ForTeacher(_teacher), _student.Id);
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task ExportStudentRecordAsync_Guardian_EveryRecordAndValidAgainstTheShippedSchema()
    {
        var json = await Get<StudentRecordService>().ExportStudentRecordAsync(Actor.ForGuardian(_guardian), _student.Id);

        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(StudentRecordService.JsonSchema);
        Assert.Empty(schema.Validate(json));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(StudentRecordService.Format, root.GetProperty("format").GetString());
        Assert.Equal("Student A", root.GetProperty("student").GetProperty("displayName").GetString());
        var artifact = Assert.Single(root.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("Water <b>cycle</b> model", artifact.GetProperty("title").GetString());
        Assert.Equal(["First thoughts.", "Second thoughts."], artifact.GetProperty("reflections").EnumerateArray().Select(r => r.GetProperty("text").GetString()));
        Assert.Equal("Well argued.", Assert.Single(artifact.GetProperty("feedback").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal("teacher", Assert.Single(root.GetProperty("evaluations").EnumerateArray()).GetProperty("role").GetString(), ignoreCase: true);
        Assert.Single(root.GetProperty("rosters").EnumerateArray());
        var audit = root.GetProperty("auditTrail").EnumerateArray().ToArray();
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "backpack.read" && a.GetProperty("actorRole").GetString() == "teacher" && a.GetProperty("actorId").GetString() == $"teacher:{_teacher}");
        Assert.DoesNotContain("<b>", json, StringComparison.Ordinal);
        Assert.Equal("student.export", Store.Audit[^1].Action);
        Assert.Equal(_student.Id, Store.Audit[^1].StudentId);
    }

    [Fact]
    public async Task ExportStudentRecordAsync_OtherGuardianOrTeacher_DeniedAndAudited()
    {
        var service = Get<StudentRecordService>();

        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => service.ExportStudentRecordAsync(Actor.ForGuardian(PersonId.New()), _student.Id));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => service.ExportStudentRecordAsync(Actor.ForTeacher(_teacher), _student.Id));
        await Assert.ThrowsAsync<BackpackNotFoundException>(() => service.ExportStudentRecordAsync(_district, StudentId.New()));

        Assert.All(Store.Audit.TakeLast(2), a => Assert.False(a.Allowed));
    }

    [Fact]
    public async Task RunAsync_StudentPastRetention_PurgedOthersKept()
    {
        var rosters = Get<RosterService>();
        var exited = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "X1", "Exited", [new Enrollment(_school, GradeLevel.Grade(5), _year, new DateOnly(2025, 8, 20), new DateOnly(2025, 9, 15))]));
        var recent = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "X2", "Recent", [new Enrollment(_school, GradeLevel.Grade(5), _year, new DateOnly(2025, 8, 20), new DateOnly(2025, 9, 25))]));
        var retention = Get<RetentionService>();

        var plan = await retention.RunAsync(Actor.Retention, dryRun: true);
        Assert.Equal([new RetentionCandidate(exited.Id, new DateOnly(2025, 9, 15), new DateOnly(2025, 9, 25))], plan.Due);
        Assert.Empty(plan.Purged);
        Assert.NotNull(await Store.GetStudentAsync(exited.Id));

        var run = await retention.RunAsync(Actor.Retention);
        var purged = Assert.Single(run.Purged);
        Assert.Equal(exited.Id, purged.StudentId);
        Assert.True(purged.StudentRemoved);
        Assert.Null(await Store.GetStudentAsync(exited.Id));
        Assert.NotNull(await Store.GetStudentAsync(recent.Id));
        Assert.NotNull(await Store.GetStudentAsync(_student.Id));
        Assert.Contains(Store.Audit, a => a.Action == "student.purge" && a.StudentId == exited.Id && a.ActorId == "system:retention");

        var again = await retention.RunAsync(Actor.Retention);
        Assert.Empty(again.Due);
        Assert.Equal(2, Store.StudentCount);
    }

    [Fact]
    public async Task RunAsync_AsOfInTheFuture_ValidationErrorAndNothingChanged()
    {
        var audit = Store.Audit.Count;

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<RetentionService>().RunAsync(_district, new DateOnly(2025, 10, 2)));

        Assert.Contains("$.asOf", e.Message, StringComparison.Ordinal);
        Assert.Equal(audit, Store.Audit.Count);
    }

    [Fact]
    public async Task RunAsync_Teacher_Denied()
    {
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<RetentionService>().RunAsync(Actor.ForTeacher(_teacher), dryRun: true));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void BackpackOptionsValidator_RetentionDaysNotPositive_FailsNamingTheSetting(int days)
    {
        var options = new BackpackOptions { DistrictId = "x", RetentionDaysAfterExit = days };

        var result = new BackpackOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("RetentionDaysAfterExit", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ExitedOn_LastEnrollmentEndedNoLaterOne_TheLastExitDate()
    {
        var ended = new Enrollment(_school, GradeLevel.Grade(5), _year, new DateOnly(2025, 8, 20), new DateOnly(2025, 12, 1));
        var moved = new Enrollment(_school, GradeLevel.Grade(5), _year, new DateOnly(2025, 12, 2), new DateOnly(2026, 5, 30));

        Assert.Equal(new DateOnly(2026, 5, 30), (_student with { Enrollments = [ended, moved] }).ExitedOn());
        Assert.Null((_student with { Enrollments = [ended, moved with { ExitDate = null }] }).ExitedOn());
        Assert.Null((_student with { Enrollments = [] }).ExitedOn());
    }

    [Fact]
    public async Task SaveStudentAsync_ExitReasonWithoutExitDate_ValidationErrorNamingTheFieldAndNothingChanged()
    {
        var audit = Store.Audit.Count;
        var open = _student.Enrollments[0] with { ExitReason = ExitReason.Withdrew };

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<RosterService>().SaveStudentAsync(_district, _student with { Enrollments = [open] }));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("$.enrollments[0].exitReason", problem.Path);
        Assert.Equal("enrollment.exit-reason.needs-exit-date", problem.Rule);
        Assert.Null((await Store.GetStudentAsync(_student.Id))!.Enrollments[0].ExitReason);
        Assert.Equal(audit, Store.Audit.Count);
    }

    [Fact]
    public async Task SaveStudentAsync_ExitDateBeforeEntry_ValidationErrorNamingTheFieldAndNothingChanged()
    {
        var audit = Store.Audit.Count;
        var before = await Store.LoadPassportAsync(_student.Id);
        var backwards = _student.Enrollments[0] with { ExitDate = new DateOnly(2025, 8, 19), ExitReason = ExitReason.Withdrew };

        var e = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<RosterService>().SaveStudentAsync(_district, _student with { Enrollments = [backwards] }));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("$.enrollments[0].exitDate", problem.Path);
        Assert.Equal("enrollment.dates.ordered", problem.Rule);
        Assert.Equal(Serialization.BackpackJson.Serialize(before), Serialization.BackpackJson.Serialize(await Store.LoadPassportAsync(_student.Id)));
        Assert.Single(Store.Rosters[0].Students);
        Assert.Equal(audit, Store.Audit.Count);
    }

    [Fact]
    public async Task ExportStudentRecordAsync_StudentOfAnotherFamily_DeniedAndOnlyTheDenialRecorded()
    {
        var other = Actor.ForStudent((await Get<RosterService>().SaveStudentAsync(_district, new Student(StudentId.New(), "B1", "Student B", [new Enrollment(_school, GradeLevel.Grade(5), _year, new DateOnly(2025, 8, 20))]))).Id);
        var before = Serialization.BackpackJson.Serialize(await Store.LoadPassportAsync(_student.Id));
        var audit = Store.Audit.Count;

        var e = await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<StudentRecordService>().ExportStudentRecordAsync(other, _student.Id));

        Assert.Equal(BackpackOperation.ExportStudentRecord, e.Decision.Request.Operation);
        Assert.Equal(AccessRelation.Unrelated, e.Decision.Relation);
        Assert.Equal(before, Serialization.BackpackJson.Serialize(await Store.LoadPassportAsync(_student.Id)));
        var denial = Assert.Single(Store.Audit.Skip(audit));
        Assert.Equal(("student.export", false, _student.Id), (denial.Action, denial.Allowed, denial.StudentId!.Value));
    }

    [Fact]
    public async Task SaveStudentAsync_ExitDateAndReason_KeptInTheDocumentAndTheExport()
    {
        var graduated = _student.Enrollments[0] with { ExitDate = new DateOnly(2025, 9, 30), ExitReason = ExitReason.Graduated };

        await Get<RosterService>().SaveStudentAsync(_district, _student with { Enrollments = [graduated] });

        var stored = (await Store.GetStudentAsync(_student.Id))!;
        Assert.Equal(ExitReason.Graduated, stored.Enrollments[0].ExitReason);
        var json = Backpack.Core.Serialization.BackpackJson.Serialize(stored);
        Assert.Equal(stored, Backpack.Core.Serialization.BackpackJson.Deserialize<Student>(json));
        Assert.Contains("\"exitReason\":\"Graduated\"", json, StringComparison.Ordinal);
        var export = await Get<StudentRecordService>().ExportStudentRecordAsync(Actor.ForGuardian(_guardian), _student.Id);
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(StudentRecordService.JsonSchema);
        Assert.Empty(schema.Validate(export));
        using var doc = System.Text.Json.JsonDocument.Parse(export);
        Assert.Equal("Graduated", doc.RootElement.GetProperty("student").GetProperty("enrollments")[0].GetProperty("exitReason").GetString());
    }
}
