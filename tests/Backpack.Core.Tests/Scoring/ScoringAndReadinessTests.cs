using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backpack.Core.Tests.Scoring;

/// <summary>Scoring that counts each rater once and only the right raters, context from enrollment, and readiness a teacher can act on.</summary>
public sealed class ScoringAndReadinessTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 10, 1, 15, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly Actor _district = Actor.ForDistrictAdmin(PersonId.New());
    private readonly PersonId _teacher = PersonId.New();
    private readonly PersonId _otherTeacher = PersonId.New();
    private readonly SchoolId _school = SchoolId.New();
    private readonly SchoolId _middle = SchoolId.New();
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;
    private Student _student = null!;
    private Student _classmate = null!;
    private Rubric _rubric = null!;
    private SkillsFramework _framework = null!;
    private SkillId _everywhere;
    private SkillId _middleOnly;

    private InMemoryBackpackStore Store => _provider.GetRequiredService<InMemoryBackpackStore>();

    private T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_clock);
        services.AddBackpack(o => { o.DistrictId = "scoring"; o.PanelQuorum = 2; }).UseInMemoryStore();
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateScope();
        _everywhere = SkillId.New();
        _middleOnly = SkillId.New();
        var content = new FrameworkContent("Skills", [])
            .AddSkill(_everywhere, "Effective Communicator")
            .AddSkill(_middleOnly, "Emerging Innovator");
        content = content with { Skills = content.Skills.Select(s => s.Id == _middleOnly ? s with { Grades = new GradeBand(GradeLevel.Grade(6), GradeLevel.Grade(8)) } : s).ToValueList() };
        var frameworks = Get<FrameworkService>();
        var created = await frameworks.CreateAsync(_district, FrameworkId.New(), content);
        _framework = await frameworks.PublishAsync(_district, created.Id);
        var levels = new[] { "Emerging", "Developing", "Ready", "Excelling" }.Select((n, i) => new RubricLevel(LevelId.New(), n, i + 1, i + 1)).ToValueList();
        _rubric = await frameworks.AddRubricVersionAsync(_district, new Rubric(RubricId.New(), 1, "Defense", [
            new RubricCriterion(CriterionId.New(), "Evidence of growth", 1, levels) { SkillId = _everywhere },
            new RubricCriterion(CriterionId.New(), "Presentation", 2, levels.Select(l => l with { Id = LevelId.New() }).ToValueList()),
        ], "Ready"));
        var rosters = Get<RosterService>();
        await rosters.SaveSchoolAsync(_district, new School(_school, "Aspen Elementary"));
        await rosters.SaveSchoolAsync(_district, new School(_middle, "Cedar Middle"));
        var year = new SchoolYear(2025);
        _student = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "S1", "Student", [new Enrollment(_school, GradeLevel.Grade(5), year, new DateOnly(2025, 8, 20))]));
        _classmate = await rosters.SaveStudentAsync(_district, new Student(StudentId.New(), "S2", "Classmate", [new Enrollment(_school, GradeLevel.Grade(5), year, new DateOnly(2025, 8, 20))]));
        await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _school, year, "Grade 5", [_teacher], [_student.Id]));
        await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _school, year, "Grade 5 B", [_otherTeacher], [_classmate.Id]));
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _provider.DisposeAsync();
    }

    private async Task<Artifact> CollectAsync(Student student, string? reasoning = "It shows the skill.", bool reflect = true, SkillId? skill = null)
    {
        var me = Actor.ForStudent(student.Id);
        var backpack = Get<BackpackService>();
        var a = await backpack.AddArtifactAsync(me, student.Id, "Work", new DriveFileSource($"f-{Guid.NewGuid():N}"));
        a = await backpack.AlignAsync(me, a.Id, skill ?? _everywhere, reasoning);
        return reflect ? await backpack.ReflectAsync(me, a.Id, "I learned.") : a;
    }

    private async Task<Milestone> HeldDefenseAsync(params PersonId[] panel)
    {
        var teacher = Actor.ForTeacher(_teacher);
        var milestones = Get<MilestoneService>();
        var artifact = await CollectAsync(_student);
        var m = await milestones.ScheduleAsync(teacher, _student.Id, MilestoneKind.DefenseOfLearning, _clock.GetUtcNow(), _rubric.Ref);
        await milestones.SetPanelAsync(teacher, m.Id, panel.Select(p => new Panelist(p, PanelRole.Educator)));
        await milestones.SetShowcaseAsync(Actor.ForStudent(_student.Id), m.Id, [new ShowcaseEntry(_everywhere, [artifact.Id])]);
        return await milestones.HoldAsync(teacher, m.Id);
    }

    // A panel outcome combined every evaluation of the milestone, including non-panel teachers and removed panelists.
    [Fact]
    public async Task CloseAsync_RemovedPanelistAndNonPanelTeacher_OnlyPanelScoresCountWithQuorumAndUnscoredCriteria()
    {
        PersonId p1 = PersonId.New(), p2 = PersonId.New(), p3 = PersonId.New();
        var m = await HeldDefenseAsync(p1, p2, p3);
        var backpack = Get<BackpackService>();
        await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p1), m.Id, [new("Evidence of growth", "Ready")]);
        await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p2), m.Id, [new("Evidence of growth", "Excelling")]);
        await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p3), m.Id, [new("Evidence of growth", "Emerging")]);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => backpack.ScoreMilestoneAsync(Actor.ForTeacher(_teacher), m.Id, [new("Evidence of growth", "Emerging")]));
        await Get<MilestoneService>().SetPanelAsync(Actor.ForTeacher(_teacher), m.Id, [new Panelist(p1, PanelRole.Educator), new Panelist(p2, PanelRole.Educator)]);

        var closed = await Get<MilestoneService>().CloseAsync(Actor.ForTeacher(_teacher), m.Id);

        var outcome = Assert.Single(closed.Outcome);
        Assert.Equal(_rubric.Criteria[0].Levels[2].Id, outcome.LevelId); // median (lower middle) of Ready, Excelling
        Assert.Equal((2, true), (outcome.Evaluators, outcome.QuorumMet));
        Assert.Equal([_rubric.Criteria[1].Id], closed.UnscoredCriteria);
    }

    [Property(MaxTest = 100)]
    public Property PanelScores_AnyEvaluations_OnlyCurrentPanelistsWhileHeld() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 5)).ToArbitrary(), kinds =>
        {
            var panel = new[] { PersonId.New(), PersonId.New() };
            var held = Start;
            var m = new Milestone(MilestoneId.New(), StudentId.New(), MilestoneKind.DefenseOfLearning, new CaptureContext(new SchoolYear(2025), GradeLevel.Grade(5), SchoolId.New()), held, MilestoneStatus.Held)
            {
                Panel = panel.Select(p => new Panelist(p, PanelRole.Educator)).ToValueList(),
                ShowcaseFrozenAt = held,
            };
            var evaluations = kinds.Select((k, i) => new Evaluation(
                EvaluationId.New(), m.StudentId, _rubric.Ref,
                k is 0 or 1 or 4 or 5 ? panel[i % 2] : PersonId.New(),
                k == 4 ? EvaluatorRole.Teacher : EvaluatorRole.Panelist,
                [new CriterionScore(_rubric.Criteria[0].Id, _rubric.Criteria[0].Levels[0].Id)],
                k == 5 ? held.AddDays(-1) : held.AddHours(1),
                m.Context)
            { MilestoneId = k == 1 ? MilestoneId.New() : m.Id }).ToArray();

            var counted = m.PanelScores(evaluations, held.AddDays(1)).ToArray();

            return counted.All(e => e.MilestoneId == m.Id && panel.Contains(e.EvaluatorId) && e.Role == EvaluatorRole.Panelist && e.ScoredAt >= held)
                && counted.Length == kinds.Count(k => k == 0);
        });

    // One evaluator could vote twice: re-scoring with a new evaluation id added a second vote.
    [Property(MaxTest = 25)]
    public Property ScoreArtifactAsync_AnySequenceOfScores_OneVotePerTeacherAndCriterionNeverMore() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Choose(0, 1), Gen.Zip(Gen.Choose(0, 1), Gen.Choose(0, 3)))).ToArbitrary(), calls =>
        {
            var run = RunScoresAsync(calls.Select(c => (c.Item1, c.Item2.Item1, c.Item2.Item2)).ToArray()).GetAwaiter().GetResult();
            return run;
        });

    private async Task<bool> RunScoresAsync((int Teacher, int Criterion, int Level)[] calls)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
        services.AddBackpack(o => o.DistrictId = "votes").UseInMemoryStore();
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        var witness = await AccessWitnessDistrictFor(scope.ServiceProvider);
        var backpack = scope.ServiceProvider.GetRequiredService<BackpackService>();
        var store = provider.GetRequiredService<InMemoryBackpackStore>();
        var teachers = new[] { witness.TeacherA, witness.TeacherA2 };
        var votes = 0;
        foreach (var (t, c, l) in calls)
        {
            var criterion = witness.Rubric.Criteria[c];
            await backpack.ScoreArtifactAsync(Actor.ForTeacher(teachers[t]), witness.Artifact, witness.Rubric.Ref, [new(criterion.Name, criterion.Levels[l].Name)]);
            var now = (await store.ListEvaluationsAsync(witness.Student)).Sum(e => e.Scores.Count);
            if (now < votes || now > calls.Select(x => (x.Teacher, x.Criterion)).Distinct().Count())
            {
                return false;
            }

            votes = now;
        }

        var evaluations = await store.ListEvaluationsAsync(witness.Student);
        return evaluations.Count == calls.Select(x => x.Teacher).Distinct().Count()
            && votes == calls.Select(x => (x.Teacher, x.Criterion)).Distinct().Count()
            && evaluations.All(e => e.Scores.Select(s => s.CriterionId).Distinct().Count() == e.Scores.Count);
    }

    private sealed record VoteDistrict(StudentId Student, ArtifactId Artifact, Rubric Rubric, PersonId TeacherA, PersonId TeacherA2);

    private static async Task<VoteDistrict> AccessWitnessDistrictFor(IServiceProvider sp)
    {
        var admin = Actor.ForDistrictAdmin(PersonId.New());
        var skill = SkillId.New();
        var frameworks = sp.GetRequiredService<FrameworkService>();
        var f = await frameworks.CreateAsync(admin, FrameworkId.New(), new FrameworkContent("S", []).AddSkill(skill, "Communicator"));
        await frameworks.PublishAsync(admin, f.Id);
        var levels = new[] { "Emerging", "Developing", "Ready", "Excelling" }.Select((n, i) => new RubricLevel(LevelId.New(), n, i + 1, i + 1)).ToValueList();
        var rubric = await frameworks.AddRubricVersionAsync(admin, new Rubric(RubricId.New(), 1, "R", [new RubricCriterion(CriterionId.New(), "A", 1, levels), new RubricCriterion(CriterionId.New(), "B", 2, levels.Select(l => l with { Id = LevelId.New() }).ToValueList())], "Ready"));
        var rosters = sp.GetRequiredService<RosterService>();
        var school = await rosters.SaveSchoolAsync(admin, new School(SchoolId.New(), "S"));
        var student = await rosters.SaveStudentAsync(admin, new Student(StudentId.New(), "1", "S", [new Enrollment(school.Id, GradeLevel.Grade(5), new SchoolYear(2025), new DateOnly(2025, 8, 20))]));
        PersonId t1 = PersonId.New(), t2 = PersonId.New();
        await rosters.SaveRosterAsync(admin, new Roster(RosterId.New(), school.Id, new SchoolYear(2025), "5", [t1, t2], [student.Id]));
        var artifact = await sp.GetRequiredService<BackpackService>().AddArtifactAsync(Actor.ForStudent(student.Id), student.Id, "W", new DriveFileSource("f"));
        return new VoteDistrict(student.Id, artifact.Id, rubric, t1, t2);
    }

    // Evaluation.Context and AddArtifactAsync's captured context came from the caller.
    [Fact]
    public async Task AddArtifactAsync_MadeOnADay_ContextFromThatDaysEnrollmentAndFutureRejected()
    {
        await Get<RosterService>().TransferAsync(_district, _student.Id, _middle, GradeLevel.Grade(6), new DateOnly(2025, 9, 15));

        var before = await Get<BackpackService>().AddArtifactAsync(Actor.ForStudent(_student.Id), _student.Id, "Early work", new DriveFileSource("f"), new DateOnly(2025, 9, 1));
        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<BackpackService>().AddArtifactAsync(Actor.ForStudent(_student.Id), _student.Id, "Later", new DriveFileSource("f"), new DateOnly(2025, 10, 5)));

        Assert.Equal((_school, GradeLevel.Grade(5)), (before.Captured.SchoolId, before.Captured.Grade));
        Assert.Equal(("$.madeOn", "artifact.made-on.past"), (ex.Problems[0].Path, ex.Problems[0].Rule));
    }

    [Fact]
    public async Task ScoreArtifactAsync_AnyArtifact_ContextIsTheStudentsEnrollmentToday()
    {
        var artifact = await CollectAsync(_student);

        var e = await Get<BackpackService>().ScoreArtifactAsync(Actor.ForTeacher(_teacher), artifact.Id, _rubric.Ref, [new(_rubric.Criteria[0].Id.ToString(), _rubric.Criteria[0].Levels[3].Id.ToString())]);

        Assert.Equal(new CaptureContext(new SchoolYear(2025), GradeLevel.Grade(5), _school), e.Context);
        Assert.Equal((_teacher, EvaluatorRole.Teacher), (e.EvaluatorId, e.Role));
    }

    [Fact]
    public async Task ScoreArtifactAsync_UnknownCriterionOrLevelName_ErrorsNameThePath()
    {
        var artifact = await CollectAsync(_student);

        var ex = await Assert.ThrowsAsync<BackpackValidationException>(() => Get<BackpackService>().ScoreArtifactAsync(Actor.ForTeacher(_teacher), artifact.Id, _rubric.Ref, [new("Evidence of growth", "Superb"), new("Spelling", "Ready")]));

        Assert.Equal(["$.scores[0].level", "$.scores[1].criterion"], ex.Problems.Select(p => p.Path));
        Assert.Empty(await Store.ListEvaluationsAsync(_student.Id));
    }

    // Readiness ignored a skill's grade levels, could not say why, checked unenrolled students against all bands, and one denial failed the batch.
    [Fact]
    public async Task CheckReadinessAsync_SkillOfAnotherBand_NotRequired()
    {
        await CollectAsync(_student);
        await CollectAsync(_student);

        var result = Assert.Single(await Get<MilestoneService>().CheckReadinessAsync(Actor.ForTeacher(_teacher), _framework.Id, [_student.Id]));

        Assert.True(result.IsReady, string.Join("; ", result.Gaps.Select(g => g.Reason)));
    }

    [Fact]
    public async Task CheckReadinessAsync_SuggestionAlignedButNotCollected_NamedAsSuch()
    {
        await CollectAsync(_student, reflect: false);
        var suggested = await Get<BackpackService>().AddArtifactAsync(Actor.ForTeacher(_teacher), _student.Id, "Suggested", new DriveFileSource("g"));
        await Get<BackpackService>().AlignAsync(Actor.ForStudent(_student.Id), suggested.Id, _everywhere, "It shows it.");

        var gap = Assert.Single(Assert.Single(await Get<MilestoneService>().CheckReadinessAsync(Actor.ForTeacher(_teacher), _framework.Id, [_student.Id])).Gaps);

        Assert.Equal([ReadinessShortfall.OnlySuggested, ReadinessShortfall.NeedsMoreArtifacts, ReadinessShortfall.NeedsReflection], gap.Shortfalls);
        Assert.Equal("Effective Communicator: 1 of 2 collected artifacts with reasoning; 1 only suggested, not collected; 0 of 1 with a reflection", gap.Reason);
    }

    [Fact]
    public void Check_NoReasoningAndAnotherBand_EachNamedAndNoReasoningWordingWhenNotRequired()
    {
        var optional = new ArtifactRules { ReasoningRequired = false };
        var student = StudentId.New();
        var content = new FrameworkContent("S", []).AddSkill(_everywhere, "Effective Communicator");
        Artifact Made(int grade, string? reasoning) => Samples.Artifact(student, grade: grade).AlignTo(_everywhere, reasoning, optional).Reflect("r", Start, optional);
        var artifacts = new[] { Made(5, null), Made(4, "why") , Made(3, "why") };
        var band = new GradeBand(GradeLevel.Grade(6), GradeLevel.Grade(8));

        var strict = Assert.Single(ReadinessCheck.Check(student, content, new SchoolYear(2025), GradeBand.All, artifacts.Take(1), new EvidenceRule()).Gaps);
        var elsewhere = Assert.Single(ReadinessCheck.Check(student, content, new SchoolYear(2025), band, artifacts, new EvidenceRule { RequireReasoning = false }).Gaps);

        Assert.Equal([ReadinessShortfall.NeedsReasoning, ReadinessShortfall.NeedsMoreArtifacts, ReadinessShortfall.NeedsReflection], strict.Shortfalls);
        Assert.Equal([ReadinessShortfall.OutsideGradeBand, ReadinessShortfall.NeedsMoreArtifacts, ReadinessShortfall.NeedsReflection], elsewhere.Shortfalls);
        Assert.Equal("Effective Communicator: 0 of 2 collected artifacts; 3 collected outside this grade band; 0 of 1 with a reflection", elsewhere.Reason);
    }

    [Fact]
    public async Task CheckReadinessAsync_BatchWithDeniedAndUnenrolled_OneResultEachNothingThrown()
    {
        var results = await Get<MilestoneService>().CheckReadinessAsync(Actor.ForTeacher(_teacher), _framework.Id, [_student.Id, _classmate.Id, _student.Id], new DateOnly(2025, 8, 1));

        Assert.Equal([ReadinessOutcome.NotEnrolled, ReadinessOutcome.Denied, ReadinessOutcome.NotEnrolled], results.Select(r => r.Outcome));
        Assert.Contains(Store.Audit, a => !a.Allowed && a.StudentId == _classmate.Id && a.Action == "readiness.check");
    }

    [Fact]
    public async Task GetReadinessReportAsync_SkillsByBand_EqualsTheCheckOfEachStudent()
    {
        await CollectAsync(_student);
        await CollectAsync(_student);
        var report = await Get<ReportService>().GetReadinessReportAsync(_district, _framework.Id, new SchoolYear(2025));
        var checks = await Get<MilestoneService>().CheckReadinessAsync(Actor.ForSchoolAdmin(PersonId.New(), _school), _framework.Id, [_student.Id, _classmate.Id]);

        // Two students: withheld under the default minimum cell size; the skill list is the band's own.
        var row = Assert.Single(report.Rows);
        Assert.Equal([_everywhere], row.NotReadyBySkill.Select(g => g.SkillId));
        Assert.Equal(1, checks.Count(c => c.IsReady));
        Assert.All(checks.SelectMany(c => c.Gaps), g => Assert.Equal(_everywhere, g.SkillId));
    }

    [Fact]
    public async Task ListStudentsAsync_TeacherAndSchoolAdmin_TeacherSeesOwnRosterAdminSeesSchool()
    {
        var forTeacher = await Get<RosterService>().ListStudentsAsync(Actor.ForTeacher(_teacher), _school, GradeLevel.Grade(5));
        var forAdmin = await Get<RosterService>().ListStudentsAsync(Actor.ForSchoolAdmin(PersonId.New(), _school), _school, GradeLevel.Grade(5));
        var otherGrade = await Get<RosterService>().ListStudentsAsync(Actor.ForSchoolAdmin(PersonId.New(), _school), _school, GradeLevel.Grade(4));

        Assert.Equal([_student.Id], forTeacher.Select(s => s.Id));
        Assert.Equal(new[] { _student.Id, _classmate.Id }.Order(), forAdmin.Select(s => s.Id));
        Assert.Empty(otherGrade);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<RosterService>().ListStudentsAsync(Actor.ForSchoolAdmin(PersonId.New(), _middle), _school));
    }

    [Fact]
    public async Task ListModerationFlagsAsync_TwoScoresTwoLevelsApart_FlaggedForTheSchoolAdminUntilAThirdScorer()
    {
        PersonId p1 = PersonId.New(), p2 = PersonId.New(), p3 = PersonId.New();
        var m = await HeldDefenseAsync(p1, p2, p3);
        var backpack = Get<BackpackService>();
        await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p1), m.Id, [new("Evidence of growth", "Developing")]);
        await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p2), m.Id, [new("Evidence of growth", "Excelling")]);
        var admin = Actor.ForSchoolAdmin(PersonId.New(), _school);

        var flag = Assert.Single(await Get<ReportService>().ListModerationFlagsAsync(admin, _rubric.Ref, new SchoolYear(2025), _school));
        await backpack.ScoreMilestoneAsync(Actor.ForPanelist(p3), m.Id, [new("Evidence of growth", "Ready")]);

        Assert.Equal((m.Id.Value, 2, 4), (flag.SubjectId, flag.LowestLevel, flag.HighestLevel));
        Assert.Empty(await Get<ReportService>().ListModerationFlagsAsync(admin, _rubric.Ref, new SchoolYear(2025), _school));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => Get<ReportService>().ListModerationFlagsAsync(Actor.ForTeacher(_teacher), _rubric.Ref, new SchoolYear(2025), _school));
    }

    [Fact]
    public async Task GetAgreementAsync_PanelScores_StatisticsWithheldBelowTheMinimumCellSize()
    {
        PersonId p1 = PersonId.New(), p2 = PersonId.New();
        var m = await HeldDefenseAsync(p1, p2);
        await Get<BackpackService>().ScoreMilestoneAsync(Actor.ForPanelist(p1), m.Id, [new("Evidence of growth", "Ready")]);
        await Get<BackpackService>().ScoreMilestoneAsync(Actor.ForPanelist(p2), m.Id, [new("Evidence of growth", "Ready")]);

        var agreement = await Get<ReportService>().GetAgreementAsync(_district, _rubric.Ref, new SchoolYear(2025), panelsOnly: true);

        Assert.Equal((1, 2), (agreement[0].Subjects, agreement[0].Ratings));
        Assert.Null(agreement[0].FleissKappa);
        Assert.Equal(0, agreement[1].Ratings);
    }
}
