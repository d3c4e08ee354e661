using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Planning.Tests;

public sealed class SeasonPlannerTests
{
    private static readonly DateOnly Monday = new(2026, 4, 6);
    private static readonly SchoolId School = SchoolId.New();
    private static readonly GradeLevel Five = GradeLevel.Grade(5);

    private static ValueList<TimeOnly> Slots(int n) => Enumerable.Range(0, n).Select(i => new TimeOnly(8, 0).AddHours(i)).ToValueList();

    private static ValueList<string> Rooms(int n) => Enumerable.Range(1, n).Select(i => $"Room {i}").ToValueList();

    private static SeasonStudent Student(params PersonId[] guardians) => new(StudentId.New(), School, Five, guardians.ToValueList());

    private static SeasonPanelist Panelist(PanelRole role, int max = 8, PersonId? person = null) =>
        new(person ?? PersonId.New(), role, [School], [Monday], max);

    private static SeasonRequest OneDay(IEnumerable<SeasonStudent> students, IEnumerable<SeasonPanelist> panelists, int slots = 8, int rooms = 2) =>
        new(students.ToValueList(), [new SchoolDefenseDays(School, [Monday], Slots(slots), Rooms(rooms))], panelists.ToValueList());

    [Fact]
    public void Plan_SyntheticSeason_EveryStudentOnceAndNoViolations()
    {
        var request = SyntheticSeason.Generate(new SyntheticSeasonOptions { Students = 900, Schools = 9, Seed = 3 });

        var plan = new SeasonPlanner().Plan(request);
        var check = SeasonChecker.Check(request, plan);

        Assert.Empty(check.Violations);
        Assert.Equal(request.Students.Count, plan.Scheduled.Count + plan.Unscheduled.Count);
        Assert.True(plan.Scheduled.Count >= request.Students.Count * 0.98, $"{plan.Scheduled.Count} of {request.Students.Count} scheduled");
        Assert.All(plan.Scheduled, d => Assert.True(d.Panel.Count >= 3));
    }

    [Fact]
    public void Plan_SameRequestTwice_SamePlan()
    {
        var request = SyntheticSeason.Generate(new SyntheticSeasonOptions { Students = 300, Schools = 3, Seed = 5 });
        var planner = new SeasonPlanner(new SeasonPlannerOptions { UseSolver = false });

        Assert.Equal(planner.Plan(request), planner.Plan(request));
    }

    [Fact]
    public void Plan_EnoughSeatsForEveryone_LoadsEqual()
    {
        // 12 defenses x 3 seats over 6 panelists: 6 panels each.
        var panelists = new[] { PanelRole.Educator, PanelRole.Educator, PanelRole.Educator, PanelRole.CommunityPartner, PanelRole.FamilyMember, PanelRole.CommunityPartner }.Select(r => Panelist(r)).ToList();
        var request = OneDay(Enumerable.Range(0, 12).Select(_ => Student()), panelists);

        var plan = new SeasonPlanner().Plan(request);
        var check = SeasonChecker.Check(request, plan);

        Assert.Empty(check.Violations);
        Assert.Equal(12, plan.Scheduled.Count);
        Assert.Equal(6, check.Load.MinPerDay);
        Assert.Equal(6, check.Load.MaxPerDay);
    }

    [Fact]
    public void Plan_GuardianOnThePool_NeverOnOwnChildsPanel()
    {
        var parent = PersonId.New();
        var child = Student(parent);
        var panelists = new[] { Panelist(PanelRole.Educator), Panelist(PanelRole.Educator), Panelist(PanelRole.FamilyMember, person: parent), Panelist(PanelRole.CommunityPartner) };
        var request = OneDay([child, Student(), Student()], panelists, slots: 3, rooms: 1);

        var plan = new SeasonPlanner().Plan(request);

        var defense = Assert.Single(plan.Scheduled, d => d.StudentId == child.StudentId);
        Assert.DoesNotContain(defense.Panel, p => p.PersonId == parent);
        Assert.Contains(plan.Scheduled, d => d.Panel.Any(p => p.PersonId == parent));
        Assert.Empty(SeasonChecker.Check(request, plan).Violations);
    }

    [Fact]
    public void Plan_SchoolWithoutDefenseDays_ListedAsNoDefenseDays()
    {
        var elsewhere = new SeasonStudent(StudentId.New(), SchoolId.New(), Five, []);
        var request = OneDay([Student(), elsewhere], [Panelist(PanelRole.Educator), Panelist(PanelRole.Educator), Panelist(PanelRole.CommunityPartner)]);

        var plan = new SeasonPlanner().Plan(request);

        var u = Assert.Single(plan.Unscheduled);
        Assert.Equal((elsewhere.StudentId, UnscheduledReason.NoDefenseDays), (u.StudentId, u.Reason));
        Assert.Single(plan.Scheduled);
    }

    [Fact]
    public void Plan_MoreStudentsThanRoomSlots_ListedAsNoRoomOrSlot()
    {
        var panelists = Enumerable.Range(0, 10).Select(i => Panelist(i % 2 == 0 ? PanelRole.Educator : PanelRole.CommunityPartner)).ToList();
        var request = OneDay(Enumerable.Range(0, 5).Select(_ => Student()), panelists, slots: 2, rooms: 1);

        var plan = new SeasonPlanner().Plan(request);

        Assert.Equal(2, plan.Scheduled.Count);
        Assert.Equal(3, plan.Unscheduled.Count);
        Assert.All(plan.Unscheduled, u => Assert.Equal(UnscheduledReason.NoRoomOrSlot, u.Reason));
        Assert.Empty(SeasonChecker.Check(request, plan).Violations);
    }

    [Fact]
    public void Plan_NoCommunityPartnerOrFamilyMember_ListedAsNotEnoughPanelists()
    {
        var request = OneDay([Student(), Student()], [Panelist(PanelRole.Educator), Panelist(PanelRole.Educator), Panelist(PanelRole.Educator)]);

        var plan = new SeasonPlanner().Plan(request);

        Assert.Empty(plan.Scheduled);
        Assert.All(plan.Unscheduled, u => Assert.Equal(UnscheduledReason.NotEnoughPanelists, u.Reason));
        Assert.Equal(2, plan.Unscheduled.Count);
    }

    [Fact]
    public void Plan_DailyMaximumBinds_ExtraDefensesUnscheduledNotOverbooked()
    {
        // Three panelists with a maximum of 2 staff two defenses; the third cannot have a panel.
        var request = OneDay([Student(), Student(), Student()], [Panelist(PanelRole.Educator, 2), Panelist(PanelRole.CommunityPartner, 2), Panelist(PanelRole.FamilyMember, 2)]);

        var plan = new SeasonPlanner().Plan(request);

        Assert.Equal(2, plan.Scheduled.Count);
        Assert.Equal(UnscheduledReason.NotEnoughPanelists, Assert.Single(plan.Unscheduled).Reason);
        Assert.Empty(SeasonChecker.Check(request, plan).Violations);
    }

    [Fact]
    public void Plan_PanelistServingTwoSchools_OneSchoolADay()
    {
        var other = SchoolId.New();
        var shared = Enumerable.Range(0, 6).Select(i => new SeasonPanelist(PersonId.New(), i % 2 == 0 ? PanelRole.Educator : PanelRole.FamilyMember, [School, other], [Monday], 8)).ToValueList();
        var students = Enumerable.Range(0, 8).Select(i => new SeasonStudent(StudentId.New(), i % 2 == 0 ? School : other, Five, [])).ToValueList();
        var request = new SeasonRequest(students, [new SchoolDefenseDays(School, [Monday], Slots(4), Rooms(1)), new SchoolDefenseDays(other, [Monday], Slots(4), Rooms(1))], shared);

        var plan = new SeasonPlanner().Plan(request);

        Assert.Empty(SeasonChecker.Check(request, plan).Violations);
        Assert.Equal(8, plan.Scheduled.Count);
        Assert.All(plan.Scheduled.SelectMany(d => d.Panel.Select(p => (p.PersonId, d.SchoolId))).GroupBy(x => x.PersonId), g => Assert.Single(g.Select(x => x.SchoolId).Distinct()));
    }

    [Fact]
    public void Plan_InvalidRequest_ThrowsNamingEveryField()
    {
        var duplicate = Student();
        var request = new SeasonRequest(
            [duplicate, duplicate, new SeasonStudent(StudentId.New(), School, GradeLevel.Grade(6), [])],
            [new SchoolDefenseDays(School, [Monday, Monday], Slots(2), ["Room 1", " "])],
            [new SeasonPanelist(PersonId.New(), PanelRole.Educator, [], [Monday], 0), new SeasonPanelist(PersonId.New(), (PanelRole)9, [School], [Monday], 2)]);

        var e = Assert.Throws<BackpackValidationException>(() => new SeasonPlanner().Plan(request));

        Assert.Equal(
            ["$.panelists[0].maxPerDay", "$.panelists[0].schools", "$.panelists[1].role", "$.schools[0].days", "$.schools[0].rooms[1]", "$.students[1].studentId", "$.students[2].grade"],
            e.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_PanelSmallerThanThree_ThrowsNamingTheOption()
    {
        var planner = new SeasonPlanner(new SeasonPlannerOptions { PanelSize = 2 });

        var e = Assert.Throws<BackpackValidationException>(() => planner.Plan(OneDay([], [])));

        Assert.Equal("$.options.panelSize", Assert.Single(e.Problems).Path);
    }

    [Fact]
    public void Plan_PanelSizeFour_EveryPanelHasFour()
    {
        var request = SyntheticSeason.Generate(new SyntheticSeasonOptions { Students = 120, Schools = 2, PanelistSupply = 2, Seed = 9 });

        var plan = new SeasonPlanner(new SeasonPlannerOptions { PanelSize = 4 }).Plan(request);

        Assert.Empty(SeasonChecker.Check(request, plan, panelSize: 4).Violations);
        Assert.NotEmpty(plan.Scheduled);
        Assert.All(plan.Scheduled, d => Assert.Equal(4, d.Panel.Count));
    }
}
