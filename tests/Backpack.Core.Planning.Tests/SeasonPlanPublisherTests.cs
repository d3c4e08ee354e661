using Backpack.Core.Access;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Backpack.Core.Planning.Tests;

/// <summary>A plan becomes milestones and panels through the services, over a district built through the services.</summary>
public sealed class SeasonPlanPublisherTests : IAsyncLifetime
{
    private static readonly DateOnly Monday = new(2026, 4, 6);
    private readonly Actor _district = Actor.ForDistrictAdmin(PersonId.New());
    private readonly SchoolId _aspen = SchoolId.New();
    private readonly SchoolId _birch = SchoolId.New();
    private readonly PersonId _parent = PersonId.New();
    private readonly List<Student> _students = [];
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;
    private Rubric _rubric = null!;

    private T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddBackpack(o =>
        {
            o.DistrictId = "season";
            o.TimeZone = "America/Denver";
        }).UseInMemoryStore().AddSeasonPlanning(new SeasonPlannerOptions { SolverTimeTotal = TimeSpan.FromSeconds(2) });
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateScope();

        var frameworks = Get<FrameworkService>();
        var skill = SkillId.New();
        var created = await frameworks.CreateAsync(_district, FrameworkId.New(), new FrameworkContent("Success Skills", [new Skill(skill, "Effective Communicator", 1)]));
        await frameworks.PublishAsync(_district, created.Id);
        var levels = new[] { "Emerging", "Developing", "Ready", "Excelling" }.Select((n, i) => new RubricLevel(LevelId.New(), n, i + 1, i + 1)).ToValueList();
        _rubric = await frameworks.AddRubricVersionAsync(_district, new Rubric(RubricId.New(), 1, "Defense of Learning", [new RubricCriterion(CriterionId.New(), "Communicates", 1, levels) { SkillId = skill }], "Ready"));

        var rosters = Get<RosterService>();
        await rosters.SaveSchoolAsync(_district, new School(_aspen, "Aspen Elementary"));
        await rosters.SaveSchoolAsync(_district, new School(_birch, "Birch Middle"));
        var year = new SchoolYear(2025);
        for (var i = 0; i < 6; i++)
        {
            var atAspen = i < 4;
            var student = new Student(StudentId.New(), $"S-{i}", $"Student {i}", [new Enrollment(atAspen ? _aspen : _birch, GradeLevel.Grade(atAspen ? 5 : 8), year, new DateOnly(2025, 8, 20))])
            {
                Guardians = i == 0 ? [_parent] : [],
            };
            _students.Add(await rosters.SaveStudentAsync(_district, student));
        }

        await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _aspen, year, "Grade 5", [PersonId.New()], _students.Take(4).Select(s => s.Id).ToValueList()));
        await rosters.SaveRosterAsync(_district, new Roster(RosterId.New(), _birch, year, "Grade 8", [PersonId.New()], _students.Skip(4).Select(s => s.Id).ToValueList()));
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _provider.DisposeAsync();
    }

    private SeasonRequest Request()
    {
        var calendar = new Func<SchoolId, SchoolDefenseDays>(s => new SchoolDefenseDays(s, [Monday], [new TimeOnly(9, 0), new TimeOnly(10, 0)], ["Library", "Room 12"]));
        var students = _students.Select(s => s.EnrollmentOn(new DateOnly(2025, 10, 1))!).Zip(_students, (e, s) => new SeasonStudent(s.Id, e.SchoolId, e.Grade, s.Guardians)).ToValueList();
        var panelists = new List<SeasonPanelist> { new(_parent, PanelRole.FamilyMember, [_aspen], [Monday], 4) };
        foreach (var school in new[] { _aspen, _birch })
        {
            for (var i = 0; i < 3; i++)
            {
                panelists.Add(new(PersonId.New(), PanelRole.Educator, [school], [Monday], 4));
                panelists.Add(new(PersonId.New(), PanelRole.CommunityPartner, [school], [Monday], 4));
            }
        }

        return new SeasonRequest(students, [calendar(_aspen), calendar(_birch)], panelists.ToValueList());
    }

    [Fact]
    public async Task PublishAsync_SchoolAdminOfTheSchool_MilestonesWithThePlannedPanels()
    {
        var request = Request();
        var plan = Get<SeasonPlanner>().Plan(request);
        Assert.Empty(SeasonChecker.Check(request, plan).Violations);
        Assert.Equal(6, plan.Scheduled.Count);
        var aspenOnly = plan.ForSchool(_aspen);

        var publication = await Get<SeasonPlanPublisher>().PublishAsync(Actor.ForSchoolAdmin(PersonId.New(), _aspen), aspenOnly, _rubric.Ref);

        Assert.Empty(publication.Failed);
        Assert.Equal(4, publication.Published.Count);
        var store = Get<IBackpackStore>();
        foreach (var (defense, published) in aspenOnly.Scheduled.Zip(publication.Published))
        {
            var m = await store.GetMilestoneAsync(published.MilestoneId);
            Assert.NotNull(m);
            Assert.Equal((defense.StudentId, MilestoneKind.DefenseOfLearning, MilestoneStatus.Scheduled, _aspen), (m.StudentId, m.Kind, m.Status, m.Context.SchoolId));
            Assert.Equal(defense.Panel, m.Panel);
            Assert.Equal(_rubric.Ref, m.Rubric);
            Assert.Equal(new DateTimeOffset(2026, 4, 6, defense.Slot.Hour, 0, 0, TimeSpan.FromHours(-6)), m.ScheduledAt);
        }

        var ana = await store.GetMilestoneAsync(publication.Published.Single(p => p.StudentId == _students[0].Id).MilestoneId);
        Assert.DoesNotContain(ana!.Panel, p => p.PersonId == _parent);
    }

    [Fact]
    public async Task PublishAsync_SchoolAdminOfAnotherSchool_DeniedPerDefenseAndNothingScheduled()
    {
        var plan = Get<SeasonPlanner>().Plan(Request());
        var birchOnly = plan.ForSchool(_birch);

        var publication = await Get<SeasonPlanPublisher>().PublishAsync(Actor.ForSchoolAdmin(PersonId.New(), _aspen), birchOnly, _rubric.Ref);

        Assert.Empty(publication.Published);
        Assert.Equal(2, publication.Failed.Count);
        Assert.All(publication.Failed, f => Assert.Equal(("access-denied", (MilestoneId?)null), (f.ErrorCode, f.MilestoneId)));
        foreach (var s in _students.Skip(4))
        {
            Assert.Empty(await Get<IBackpackStore>().ListMilestonesAsync(s.Id));
        }
    }

    [Fact]
    public async Task PublishAsync_DistrictAdmin_DeniedAsTheAccessTableSays()
    {
        var plan = Get<SeasonPlanner>().Plan(Request());

        var publication = await Get<SeasonPlanPublisher>().PublishAsync(_district, plan, _rubric.Ref);

        Assert.Empty(publication.Published);
        Assert.All(publication.Failed, f => Assert.Equal("access-denied", f.ErrorCode));
    }

    [Fact]
    public async Task PublishAsync_EachSchoolsAdmin_WholeSeasonPublished()
    {
        var plan = Get<SeasonPlanner>().Plan(Request());
        var published = new List<PublishedDefense>();

        foreach (var school in new[] { _aspen, _birch })
        {
            var part = await Get<SeasonPlanPublisher>().PublishAsync(Actor.ForSchoolAdmin(PersonId.New(), school), plan.ForSchool(school), _rubric.Ref);
            Assert.Empty(part.Failed);
            published.AddRange(part.Published);
        }

        Assert.Equal(plan.Scheduled.Select(d => d.StudentId).Order(), published.Select(p => p.StudentId).Order());
    }
}
