using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.Tests;

/// <summary>
/// The trust boundary's findings, one test (or more) each: every one of these held on the code before the
/// command path and the relation-based policy, and must not hold again.
/// </summary>
public sealed class TrustBoundaryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));
    private readonly Actor _district = Actor.ForDistrictAdmin(PersonId.New());
    private readonly PersonId _teacherA = PersonId.New();
    private readonly PersonId _teacherB = PersonId.New();
    private readonly PersonId _guardian = PersonId.New();
    private readonly PersonId _panelist = PersonId.New();
    private readonly SchoolId _a = SchoolId.New();
    private readonly SchoolId _b = SchoolId.New();
    private readonly RecordingPlanner _planner = new();
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;
    private Student _atA = null!;
    private Student _atB = null!;
    private Roster _rosterA = null!;
    private Roster _rosterB = null!;
    private SkillsFramework _framework = null!;
    private Rubrics.Rubric _rubric = null!;

    private SkillId Skill => _framework.Current!.Content.Skills[0].Id;

    private InMemoryBackpackStore Store => _provider.GetRequiredService<InMemoryBackpackStore>();

    private Actor AdminOfA => Actor.ForSchoolAdmin(PersonId.New(), _a);

    private T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock).AddSingleton<ISideEffectPlanner>(_planner);
        services.AddBackpack(o =>
        {
            o.DistrictId = "trust";
            o.TimeZone = "America/Denver";
            o.PanelAccessDays = 7;
        }).UseInMemoryStore();
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateScope();
        var frameworks = Get<FrameworkService>();
        var created = await frameworks.CreateAsync(_district, FrameworkId.New(), Samples.SuccessSkills());
        _framework = await frameworks.PublishAsync(_district, created.Id);
        _rubric = await frameworks.AddRubricVersionAsync(_district, Samples.FourLevelRubric(2));
        var rosters = Get<RosterService>();
        await rosters.SaveSchoolAsync(_district, new School(_a, "Aspen Elementary"));
        await rosters.SaveSchoolAsync(_district, new School(_b, "Birch Elementary"));
        var year = new SchoolYear(2025);
        _atA = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "A1", "Student A", [new Enrollment(_a, GradeLevel.Grade(5), year, new DateOnly(2025, 8, 20))]) { Guardians = [_guardian] });
        _atB = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "B1", "Student B", [new Enrollment(_b, GradeLevel.Grade(5), year, new DateOnly(2025, 8, 20))]));
        _rosterA = await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _a, year, "Grade 5", [_teacherA], [_atA.Id]));
        _rosterB = await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _b, year, "Grade 5", [_teacherB], [_atB.Id]));
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _provider.DisposeAsync();
    }

    private async Task<Artifact> ArtifactOfAsync(Student student)
    {
        var me = Actor.ForStudent(student.Id);
        var a = await Get<BackpackService>().AddArtifactAsync(me, student.Id, "Water cycle model", new DriveFileSource("file-1"));
        return await Get<BackpackService>().AlignAsync(me, a.Id, Skill, "I explained it to my class.");
    }

    private async Task<Milestone> DefenseAsync(Artifact artifact, bool hold)
    {
        var teacher = Actor.ForTeacher(_teacherA);
        var milestones = Get<MilestoneService>();
        var m = await milestones.ScheduleAsync(teacher, _atA.Id, MilestoneKind.DefenseOfLearning, _clock.GetUtcNow().AddDays(3), _rubric.Ref);
        m = await milestones.SetPanelAsync(teacher, m.Id, [new Panelist(_panelist, PanelRole.CommunityPartner)]);
        m = await milestones.SetShowcaseAsync(Actor.ForStudent(_atA.Id), m.Id, [new ShowcaseEntry(Skill, [artifact.Id])]);
        return hold ? await milestones.HoldAsync(teacher, m.Id) : m;
    }

    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var s in new[] { _atA.Id, _atB.Id })
        {
            parts.Add(BackpackJson.Serialize(await Store.LoadPassportAsync(s)));
        }

        parts.Add(BackpackJson.Serialize(await Store.GetRosterAsync(_rosterA.Id)));
        parts.Add(BackpackJson.Serialize(await Store.GetRosterAsync(_rosterB.Id)));
        return string.Join('\n', parts);
    }

    // 1. An admin of school A moved a student of school B into A, then read their work.
    [Fact]
    public async Task TransferAsync_AdminOfDestinationSchool_DeniedAndNothingChanged()
    {
        var before = await SnapshotAsync();
        var admin = AdminOfA;

        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<RosterService>().TransferAsync(admin, _atB.Id, _a, GradeLevel.Grade(5), new DateOnly(2025, 10, 1)));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<RosterService>().SaveStudentAsync(admin, _atB.TransferTo(_a, GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 10, 1))));

        Assert.Equal(before, await SnapshotAsync());
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(admin, _atB.Id));
    }

    [Fact]
    public async Task TransferAsync_AdminOfTheSchoolTheStudentLeaves_Allowed()
    {
        var moved = await Get<RosterService>().TransferAsync(AdminOfA, _atA.Id, _b, GradeLevel.Grade(5), new DateOnly(2025, 10, 1));

        Assert.Equal(_b, moved.EnrollmentOn(new DateOnly(2025, 10, 1))!.SchoolId);
    }

    // 2. Any district student could be put on any roster; the roster's teacher then read them.
    [Fact]
    public async Task SaveRosterAsync_StudentOfAnotherSchool_ValidationErrorNamingTheStudentAndNothingSaved()
    {
        var before = await SnapshotAsync();

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<RosterService>().SaveRosterAsync(AdminOfA, _rosterA with { Students = _rosterA.Students.Add(_atB.Id) }));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("$.students[1]", "roster.student.enrolled"), (problem.Path, problem.Rule));
        Assert.Equal(before, await SnapshotAsync());
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(Actor.ForTeacher(_teacherA), _atB.Id));
    }

    [Fact]
    public async Task SaveRosterAsync_SchoolAdminOverwritesAnotherSchoolsRoster_Denied()
    {
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<RosterService>().SaveRosterAsync(AdminOfA, _rosterB with { SchoolId = _a, Students = [_atA.Id] }));

        Assert.Equal(_rosterB, await Store.GetRosterAsync(_rosterB.Id));
    }

    // 3. After a transfer the student stayed on the old rosters: the old teacher kept reading, Drive sharing stayed.
    [Fact]
    public async Task TransferAsync_OldTeacher_LosesAccessRosterEndsAndSharingIsReplanned()
    {
        await Get<RosterService>().TransferAsync(_district, _atA.Id, _b, GradeLevel.Grade(5), new DateOnly(2025, 10, 1));

        var roster = await Store.GetRosterAsync(_rosterA.Id);
        Assert.DoesNotContain(_atA.Id, roster!.Students);
        Assert.Equal(new RosterDeparture(_atA.Id, new DateOnly(2025, 9, 30)), Assert.Single(roster.Departures));
        Assert.Contains(_planner.Rosters, r => r.Before?.Students.Contains(_atA.Id) == true && !r.After.Students.Contains(_atA.Id));
        var ex = await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(Actor.ForTeacher(_teacherA), _atA.Id));
        Assert.Equal(AccessRelation.FormerRoster, ex.Decision.Relation);
    }

    // 4. Ids naming other aggregates were not checked; Drive got a folder named after a raw id.
    [Fact]
    public async Task AlignAsync_SkillNotInTheFramework_ValidationErrorNamingTheFieldAndNothingSaved()
    {
        var artifact = await ArtifactOfAsync(_atA);
        var outbox = (await Store.CountAsync()).Pending;

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<BackpackService>().AlignAsync(Actor.ForStudent(_atA.Id), artifact.Id, SkillId.New(), "Because."));

        Assert.Equal(("$.alignments[1].skillId", "reference.skill.active"), (Assert.Single(ex.Problems).Path, ex.Problems[0].Rule));
        Assert.Equal(artifact, await Store.GetArtifactAsync(artifact.Id));
        Assert.Equal(outbox, (await Store.CountAsync()).Pending);
    }

    [Fact]
    public async Task Services_IdsNamingNothing_ValidationErrorsNamingTheField()
    {
        var artifact = await ArtifactOfAsync(_atA);
        var teacher = Actor.ForTeacher(_teacherA);
        var unknownRubric = new Rubrics.RubricRef(RubricId.New(), 1);
        var c = _rubric.Criteria[0];

        var score = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<BackpackService>().ScoreArtifactAsync(teacher, artifact.Id, unknownRubric, [new CriterionLevel(c.Name, c.Levels[0].Name)]));
        var schedule = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<MilestoneService>().ScheduleAsync(teacher, _atA.Id, MilestoneKind.MiniDefense, _clock.GetUtcNow(), unknownRubric));
        var enroll = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<RosterService>().SaveStudentAsync(_district, new Student(StudentId.New(), "N1", "New", [new Enrollment(SchoolId.New(), GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 9, 1))])));
        var roster = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<RosterService>().SaveRosterAsync(_district, new Roster(RosterId.New(), SchoolId.New(), new SchoolYear(2025), "Nowhere", [_teacherA], [])));
        var m = await Get<MilestoneService>().ScheduleAsync(teacher, _atA.Id, MilestoneKind.MiniDefense, _clock.GetUtcNow(), null);
        var showcase = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<MilestoneService>().SetShowcaseAsync(teacher, m.Id, [new ShowcaseEntry(SkillId.New(), [artifact.Id])]));

        Assert.Equal("$.rubric", score.Problems[0].Path);
        Assert.Equal(("$.rubric", "reference.rubric.exists"), (schedule.Problems[0].Path, schedule.Problems[0].Rule));
        Assert.Equal(("$.enrollments[0].schoolId", "reference.school.exists"), (enroll.Problems[0].Path, enroll.Problems[0].Rule));
        Assert.Equal(("$.schoolId", "reference.school.exists"), (roster.Problems[0].Path, roster.Problems[0].Rule));
        Assert.Equal(("$.showcase[0].skillId", "reference.skill.active"), (showcase.Problems[0].Path, showcase.Problems[0].Rule));
    }

    // 5. Panel access lasted until close (forever if never closed); panelists scored scheduled milestones.
    [Fact]
    public async Task GetShowcaseAsync_PanelistHeldLongerAgoThanPanelAccessDays_Denied()
    {
        var m = await DefenseAsync(await ArtifactOfAsync(_atA), hold: true);
        var panelist = Actor.ForPanelist(_panelist);
        await Get<BackpackService>().GetShowcaseAsync(panelist, m.Id);

        _clock.Advance(TimeSpan.FromDays(7));

        var ex = await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetShowcaseAsync(panelist, m.Id));
        Assert.Equal(AccessRelation.PanelEnded, ex.Decision.Relation);
        Assert.Equal(MilestoneStatus.Held, (await Store.GetMilestoneAsync(m.Id))!.Status);
    }

    [Fact]
    public async Task ScoreAsync_PanelistOfScheduledMilestone_Denied()
    {
        var m = await DefenseAsync(await ArtifactOfAsync(_atA), hold: false);
        var c = _rubric.Criteria[0];

        var ex = await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().ScoreMilestoneAsync(Actor.ForPanelist(_panelist), m.Id, [new CriterionLevel(c.Name, c.Levels[2].Name)]));

        Assert.Equal(AccessRelation.PanelOpen, ex.Decision.Relation);
        Assert.Empty(await Store.ListEvaluationsAsync(_atA.Id));
    }

    [Fact]
    public async Task GetShowcaseAsync_PanelistBeforeTheShowcaseIsSet_Denied()
    {
        var m = await Get<MilestoneService>().ScheduleAsync(Actor.ForTeacher(_teacherA), _atA.Id, MilestoneKind.DefenseOfLearning, _clock.GetUtcNow().AddDays(3), _rubric.Ref);
        m = await Get<MilestoneService>().SetPanelAsync(Actor.ForTeacher(_teacherA), m.Id, [new Panelist(_panelist, PanelRole.Educator)]);

        var ex = await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetShowcaseAsync(Actor.ForPanelist(_panelist), m.Id));

        Assert.Equal(AccessRelation.PanelWaiting, ex.Decision.Relation);
    }

    // 6. Guardians and panelists got whole artifact records, and "frozen" froze only the list of ids.
    [Fact]
    public async Task GetShowcaseAsync_GuardianAndPanelist_SnapshotAtHoldWithoutFeedbackGradesOrLaterEdits()
    {
        var artifact = await ArtifactOfAsync(_atA);
        var backpack = Get<BackpackService>();
        await backpack.ReflectAsync(Actor.ForStudent(_atA.Id), artifact.Id, "Reflection at the defense.");
        await backpack.GiveFeedbackAsync(Actor.ForTeacher(_teacherA), artifact.Id, "Teacher-only feedback.");
        var m = await DefenseAsync(artifact, hold: true);
        await backpack.ReflectAsync(Actor.ForStudent(_atA.Id), artifact.Id, "Edited after the defense.");
        await backpack.AlignAsync(Actor.ForStudent(_atA.Id), artifact.Id, Skill, "Reasoning rewritten later.");

        foreach (var actor in new[] { Actor.ForGuardian(_guardian), Actor.ForPanelist(_panelist) })
        {
            var view = await backpack.GetShowcaseAsync(actor, m.Id);
            var item = Assert.Single(Assert.Single(view.Skills).Items);
            Assert.Equal("Reflection at the defense.", item.Reflection!.Text);
            Assert.Equal("I explained it to my class.", item.Reasoning);
            Assert.Equal("file-1", item.Link.DriveFileId);
            var json = BackpackJson.Serialize(view);
            Assert.DoesNotContain("Teacher-only feedback", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Edited after the defense", json, StringComparison.Ordinal);
        }

        var full = await backpack.GetBackpackAsync(Actor.ForTeacher(_teacherA), _atA.Id);
        Assert.Single(Assert.Single(full.Artifacts).Feedback);
    }

    // 7. Framework reads took no actor; edits, school saves and report reads left no audit record.
    [Fact]
    public async Task FrameworkReadsAndAggregateReads_TakeAnActor_AndChangesAndReportsAreAudited()
    {
        var frameworks = Get<FrameworkService>();
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => frameworks.GetAsync(Actor.RosterSync, _framework.Id));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => frameworks.GetPackageAsync(Actor.RosterSync, _framework.Id, []));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => frameworks.GetRubricAsync(Actor.RosterSync, _rubric.Ref));
        Assert.Equal(_framework.Id, (await frameworks.GetAsync(Actor.ForStudent(_atA.Id), _framework.Id)).Id);

        await frameworks.EditDraftAsync(_district, _framework.Id, c => c with { Description = "Edited." });
        await Get<RosterService>().SaveSchoolAsync(_district, (await Store.ListSchoolsAsync()).Single(s => s.Id == _a) with { Name = "Aspen K-8" });
        await Get<ReportService>().GetReadinessReportAsync(_district, _framework.Id, new SchoolYear(2025));
        await Get<ReportService>().GetLevelDistributionAsync(AdminOfA, _rubric.Ref, new SchoolYear(2025), _a);

        var actions = Store.Audit.Where(a => a.Allowed).Select(a => a.Action).ToArray();
        Assert.Contains("framework.edit", actions);
        Assert.Contains("school.save", actions);
        Assert.Contains("report.readiness", actions);
        Assert.Contains("report.levels", actions);
    }

    // 8. Aggregates had no small-cell suppression. (The suppression itself is proven in Aggregates/ReportSuppressionTests.)
    [Fact]
    public async Task GetReadinessReportAsync_OneSchoolAndGrade_SingleStudentsReadinessWithheld()
    {
        var report = await Get<ReportService>().GetReadinessReportAsync(_district, _framework.Id, new SchoolYear(2025), _a, [GradeLevel.Grade(5)]);

        var row = Assert.Single(report.Rows);
        Assert.Null(row.Students);
        Assert.Null(row.Ready);
    }

    // 9. Actor.System was public and allowed everything; "today" was the UTC date.
    [Fact]
    public async Task SystemJobs_NoAllowAllActor_JobsDeniedStudentWork()
    {
        Assert.Null(typeof(Actor).GetProperty("System"));
        Assert.DoesNotContain(Enum.GetNames<ActorRole>(), n => n == "System");

        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(Actor.RosterSync, _atA.Id));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(Actor.CourseworkSync, _atA.Id));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<FrameworkService>().PublishAsync(Actor.RosterSync, _framework.Id));
    }

    [Fact]
    public async Task AddArtifactAsync_EveningInDenverAfterMidnightUtc_CapturedOnTheDistrictsDate()
    {
        // Moves from A to B on October 2; at 8 pm on October 1 in Denver it is already October 2 in UTC.
        await Get<RosterService>().SaveStudentAsync(_district, (await Store.GetStudentAsync(_atA.Id))!.TransferTo(_b, GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 10, 2)));
        _clock.SetUtcNow(new DateTimeOffset(2025, 10, 2, 2, 0, 0, TimeSpan.Zero));

        var artifact = await Get<BackpackService>().AddArtifactAsync(Actor.ForStudent(_atA.Id), _atA.Id, "Evening work", new DriveFileSource("file-2"));

        Assert.Equal(_a, artifact.Captured.SchoolId);
    }

    // 10. Looking the subject up before asking the policy told an actor whether an id exists.
    [Fact]
    public async Task Operations_UnknownIdAndOthersId_SameExceptionAndMessage()
    {
        var other = await ArtifactOfAsync(_atB);
        var held = await DefenseAsync(await ArtifactOfAsync(_atA), hold: true);
        var stranger = Actor.ForStudent(_atB.Id);
        var teacher = Actor.ForTeacher(_teacherB);
        var backpack = Get<BackpackService>();
        var pairs = new (Func<Task> Existing, Func<Task> Missing)[]
        {
            (() => backpack.GetShowcaseAsync(teacher, held.Id), () => backpack.GetShowcaseAsync(teacher, MilestoneId.New())),
            (() => backpack.AlignAsync(Actor.ForStudent(_atA.Id), other.Id, Skill, "x"), () => backpack.AlignAsync(Actor.ForStudent(_atA.Id), ArtifactId.New(), Skill, "x")),
            (() => backpack.ReflectAsync(Actor.ForStudent(_atA.Id), other.Id, "x"), () => backpack.ReflectAsync(Actor.ForStudent(_atA.Id), ArtifactId.New(), "x")),
            (() => backpack.GiveFeedbackAsync(Actor.ForTeacher(_teacherA), other.Id, "x"), () => backpack.GiveFeedbackAsync(Actor.ForTeacher(_teacherA), ArtifactId.New(), "x")),
            (() => Get<RosterService>().TransferAsync(AdminOfA, _atB.Id, _a, GradeLevel.Grade(5), new DateOnly(2025, 10, 1)), () => Get<RosterService>().TransferAsync(AdminOfA, StudentId.New(), _a, GradeLevel.Grade(5), new DateOnly(2025, 10, 1))),
            (() => backpack.GetBackpackAsync(stranger, _atA.Id), () => backpack.GetBackpackAsync(stranger, StudentId.New())),
        };

        foreach (var (existing, missing) in pairs)
        {
            var a = await Assert.ThrowsAsync<BackpackAccessDeniedException>(existing);
            var b = await Assert.ThrowsAsync<BackpackAccessDeniedException>(missing);
            Assert.Equal(a.Message, b.Message);
        }
    }

    /// <summary>Records what the command path hands the side-effect planners.</summary>
    private sealed class RecordingPlanner : ISideEffectPlanner
    {
        public List<(Roster? Before, Roster After)> Rosters { get; } = [];

        public void OnRosterSaved(Roster? before, Roster after, ChangeSet changes) => Rosters.Add((before, after));
    }
}
