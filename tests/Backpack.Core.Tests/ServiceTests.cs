using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.Tests;

/// <summary>The application services over the in-memory store: access rules, audit, typed errors that change nothing.</summary>
public sealed class ServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero));
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;
    private readonly Actor _admin = Actor.ForDistrictAdmin(PersonId.New());
    private readonly PersonId _teacher = PersonId.New();
    private readonly PersonId _guardian = PersonId.New();
    private readonly SchoolId _school = SchoolId.New();
    private Student _student = null!;
    private Roster _roster = null!;

    private InMemoryBackpackStore Store => _provider.GetRequiredService<InMemoryBackpackStore>();

    private T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock);
        services.AddBackpack(o => o.DistrictId = "test-district").UseInMemoryStore();
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateScope();
        var rosters = Get<RosterService>();
        var frameworks = Get<FrameworkService>();
        var framework = await frameworks.CreateAsync(_admin, FrameworkId.New(), Samples.SuccessSkills());
        await frameworks.PublishAsync(_admin, framework.Id);
        await rosters.SaveSchoolAsync(_admin, new School(_school, "Aspen Elementary"));
        _student = await rosters.SaveStudentAsync(_admin, new Student(StudentId.New(), "D1", "Student 1", [new Enrollment(_school, GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 8, 20))]) { Guardians = [_guardian] });
        _roster = await rosters.SaveRosterAsync(_admin, new Roster(RosterId.New(), _school, new SchoolYear(2025), "Grade 5", [_teacher], [_student.Id]));
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _provider.DisposeAsync();
    }

    private Task<Artifact> AddAsync() =>
        Get<BackpackService>().AddArtifactAsync(Actor.ForStudent(_student.Id), _student.Id, "Poster", new DriveFileSource("f1"));

    [Fact]
    public async Task AddArtifactAsync_ByStudent_CollectedAndAuditedWithIdsOnly()
    {
        var artifact = await AddAsync();

        Assert.Equal(CurationState.Collected, artifact.State);
        Assert.Equal(new CaptureContext(new SchoolYear(2025), GradeLevel.Grade(5), _school), artifact.Captured);
        var audit = await Store.ReadAuditAsync(new AuditQuery { StudentId = _student.Id });
        Assert.Contains(audit, a => a.Action == "artifact.add" && a.Allowed && a.ActorId == $"student:{_student.Id}");
        Assert.DoesNotContain(audit, a => (a.Detail ?? string.Empty).Contains("Student 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddArtifactAsync_SameWorkAgain_ReturnsTheFirstArtifactAndSavesNoSecond()
    {
        var first = await AddAsync();
        var aligned = await Get<BackpackService>().AlignAsync(Actor.ForStudent(_student.Id), first.Id, Samples.SuccessSkills().Skills[0].Id, "My reasons.");

        // A retry after a crash or a timeout: same student, same Drive file (another title or MIME type changes nothing).
        var again = await Get<BackpackService>().AddArtifactAsync(Actor.ForStudent(_student.Id), _student.Id, "Poster (retry)", new DriveFileSource("f1", "application/pdf"));
        var teacherAdd = await Get<BackpackService>().AddArtifactAsync(Actor.ForTeacher(_teacher), _student.Id, "Poster", new DriveFileSource("f1"));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(aligned, again);
        Assert.Equal(aligned, teacherAdd);
        Assert.Single((await Get<BackpackService>().GetBackpackAsync(Actor.ForStudent(_student.Id), _student.Id)).Artifacts);
        Assert.Equal(Artifact.IdFor(_student.Id, new DriveFileSource("f1")), first.Id);
        Assert.NotEqual(Artifact.IdFor(_student.Id, new DriveFileSource("f2")), first.Id);
        Assert.NotEqual(Artifact.IdFor(StudentId.New(), new DriveFileSource("f1")), first.Id);
    }

    [Fact]
    public async Task AddArtifactAsync_ByTeacher_OnlySuggested()
    {
        var artifact = await Get<BackpackService>().AddArtifactAsync(Actor.ForTeacher(_teacher), _student.Id, "Lab report", new DriveFileSource("f2"));
        Assert.Equal(CurationState.Suggested, artifact.State);
    }

    [Fact]
    public async Task ReflectAsync_OverTheBound_TypedErrorAndStoreUnchanged()
    {
        var artifact = await AddAsync();

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<BackpackService>().ReflectAsync(Actor.ForStudent(_student.Id), artifact.Id, new string('x', 10_001)));

        Assert.Equal("reflections.text", Assert.Single(ex.Problems).Path);
        Assert.Equal(artifact, await Store.GetArtifactAsync(artifact.Id));
    }

    [Fact]
    public async Task AlignAsync_ByTeacher_DeniedBecauseReasoningIsTheStudents()
    {
        var artifact = await AddAsync();
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().AlignAsync(Actor.ForTeacher(_teacher), artifact.Id, SkillId.New(), "because"));
        Assert.Equal(artifact, await Store.GetArtifactAsync(artifact.Id));
    }

    [Fact]
    public async Task GetBackpackAsync_TeacherOnCurrentRoster_AllowedAndAudited()
    {
        await AddAsync();
        var passport = await Get<BackpackService>().GetBackpackAsync(Actor.ForTeacher(_teacher), _student.Id);
        Assert.Single(passport.Artifacts);
        Assert.Contains(await Store.ReadAuditAsync(new AuditQuery { ActorId = $"teacher:{_teacher}" }), a => a.Action == "backpack.read");
    }

    [Fact]
    public async Task GetBackpackAsync_TeacherAfterSchoolYearEnds_DeniedAndAuditedAsDenied()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));

        var ex = await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(Actor.ForTeacher(_teacher), _student.Id));

        Assert.Equal(AccessRelation.FormerRoster, ex.Decision.Relation);
        Assert.Contains(await Store.ReadAuditAsync(new AuditQuery { StudentId = _student.Id }), a => a.Action == "backpack.read" && !a.Allowed);
    }

    [Fact]
    public async Task GetBackpackAsync_ArchivedRoster_Denied()
    {
        await Get<RosterService>().SaveRosterAsync(_admin, _roster with { IsArchived = true });
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(Actor.ForTeacher(_teacher), _student.Id));
    }

    [Theory]
    [InlineData(ActorRole.DistrictAdmin)]
    [InlineData(ActorRole.Guardian)]
    [InlineData(ActorRole.Panelist)]
    public async Task GetBackpackAsync_NotStudentOrTeacher_Denied(ActorRole role)
    {
        var actor = role switch
        {
            ActorRole.DistrictAdmin => _admin,
            ActorRole.Guardian => Actor.ForGuardian(_guardian),
            _ => Actor.ForPanelist(PersonId.New()),
        };
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetBackpackAsync(actor, _student.Id));
    }

    [Fact]
    public async Task Defense_PanelistSeesShowcaseUntilClosed_GuardianAlways()
    {
        var frameworks = Get<FrameworkService>();
        var rubric = await frameworks.AddRubricVersionAsync(_admin, Samples.FourLevelRubric(2));
        var artifact = await AddAsync();
        var milestones = Get<MilestoneService>();
        var teacher = Actor.ForTeacher(_teacher);
        var panelist = PersonId.New();
        var m = await milestones.ScheduleAsync(teacher, _student.Id, MilestoneKind.DefenseOfLearning, _clock.GetUtcNow().AddDays(30), rubric.Ref);
        await milestones.SetPanelAsync(teacher, m.Id, [new Panelist(panelist, PanelRole.CommunityPartner)]);
        await milestones.SetShowcaseAsync(Actor.ForStudent(_student.Id), m.Id, [new ShowcaseEntry(SkillId.From(Samples.G(1)), [artifact.Id])]);
        await milestones.HoldAsync(teacher, m.Id);

        var shown = await Get<BackpackService>().GetShowcaseAsync(Actor.ForPanelist(panelist), m.Id);
        Assert.Equal(artifact.Id, Assert.Single(Assert.Single(shown.Skills).Items).ArtifactId);
        var c = rubric.Criteria;
        await Get<BackpackService>().ScoreMilestoneAsync(Actor.ForPanelist(panelist), m.Id, [new CriterionLevel(c[0].Name, c[0].Levels[2].Name)]);
        var closed = await milestones.CloseAsync(teacher, m.Id);

        Assert.Equal(c[0].Levels[2].Id, Assert.Single(closed.Outcome).LevelId);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetShowcaseAsync(Actor.ForPanelist(panelist), m.Id));
        await Get<BackpackService>().GetShowcaseAsync(Actor.ForGuardian(_guardian), m.Id);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<BackpackService>().GetShowcaseAsync(Actor.ForGuardian(PersonId.New()), m.Id));
        var audit = await Store.ReadAuditAsync(new AuditQuery { StudentId = _student.Id });
        Assert.Contains(audit, a => a.Action == "panel.grant");
        Assert.Contains(audit, a => a.Action == "panel.revoke");
    }

    [Fact]
    public async Task ScheduleAsync_SameMilestoneAgain_ReturnsTheFirstAndSavesNoSecond()
    {
        var milestones = Get<MilestoneService>();
        var teacher = Actor.ForTeacher(_teacher);
        var at = _clock.GetUtcNow().AddDays(30);
        var first = await milestones.SetPanelAsync(teacher, (await milestones.ScheduleAsync(teacher, _student.Id, MilestoneKind.DefenseOfLearning, at, null)).Id, [new Panelist(PersonId.New(), PanelRole.Educator)]);

        // A retry after a crash or a timeout (the same instant in another offset is the same time).
        var again = await milestones.ScheduleAsync(teacher, _student.Id, MilestoneKind.DefenseOfLearning, at.ToOffset(TimeSpan.FromHours(-6)), null);
        var later = await milestones.ScheduleAsync(teacher, _student.Id, MilestoneKind.DefenseOfLearning, at.AddHours(1), null);
        var mini = await milestones.ScheduleAsync(teacher, _student.Id, MilestoneKind.MiniDefense, at, null);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Id, later.Id);
        Assert.NotEqual(first.Id, mini.Id);
        Assert.Equal(3, (await Store.ListMilestonesAsync(_student.Id)).Count);
    }

    [Fact]
    public async Task ScheduleAsync_DefenseOutsideTransitionGrade_TypedError()
    {
        var rosters = Get<RosterService>();
        var s = await rosters.SaveStudentAsync(_admin, new Student(StudentId.New(), "D2", "Student 2", [new Enrollment(_school, GradeLevel.Grade(4), new SchoolYear(2025), new DateOnly(2025, 8, 20))]));
        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<MilestoneService>().ScheduleAsync(Actor.ForSchoolAdmin(PersonId.New(), _school), s.Id, MilestoneKind.DefenseOfLearning, _clock.GetUtcNow(), null));
        Assert.Equal("milestone.defense.transition-grade", Assert.Single(ex.Problems).Rule);
    }

    [Fact]
    public async Task ScoreArtifactAsync_SameTeacherTwice_OneVoteLatestLevelEarlierInHistory()
    {
        var rubric = await Get<FrameworkService>().AddRubricVersionAsync(_admin, Samples.FourLevelRubric(1));
        var artifact = await AddAsync();
        var c = rubric.Criteria[0];
        var teacher = Actor.ForTeacher(_teacher);

        var first = await Get<BackpackService>().ScoreArtifactAsync(teacher, artifact.Id, rubric.Ref, [new CriterionLevel(c.Name, "Developing")]);
        var second = await Get<BackpackService>().ScoreArtifactAsync(teacher, artifact.Id, rubric.Ref, [new CriterionLevel(c.Name.ToUpperInvariant(), "ready")]);

        Assert.Equal(first.Id, second.Id);
        var stored = Assert.Single(await Store.ListEvaluationsAsync(_student.Id));
        Assert.Equal(c.Levels[2].Id, Assert.Single(stored.Scores).LevelId);
        Assert.Equal(c.Levels[1].Id, Assert.Single(Assert.Single(stored.History).Scores).LevelId);
    }

    [Fact]
    public async Task AddRubricVersionAsync_UnorderedLevels_TypedErrorAndNothingStored()
    {
        var rubric = Samples.FourLevelRubric(1);
        var c = rubric.Criteria[0];
        var bad = rubric with { Criteria = [c with { Levels = c.Levels.SetItem(3, c.Levels[3] with { Score = 0 }) }] };

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<FrameworkService>().AddRubricVersionAsync(_admin, bad));

        Assert.Contains(ex.Problems, p => p.Path == "$.criteria[0].levels[3].score");
        Assert.Null(await Store.GetLatestRubricAsync(rubric.Id));
    }
}
