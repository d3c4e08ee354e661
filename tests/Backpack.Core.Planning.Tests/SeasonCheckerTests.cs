using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Planning.Tests;

/// <summary>The checker finds each broken rule in a hand-broken plan (it must not need the planner to be right).</summary>
public sealed class SeasonCheckerTests
{
    private static readonly DateOnly Monday = new(2026, 4, 6);
    private static readonly TimeOnly Eight = new(8, 0);
    private static readonly SchoolId School = SchoolId.New();
    private static readonly SeasonPanelist Educator = new(PersonId.New(), PanelRole.Educator, [School], [Monday], 1);
    private static readonly SeasonPanelist Partner = new(PersonId.New(), PanelRole.CommunityPartner, [School], [Monday], 2);
    private static readonly SeasonPanelist Parent = new(PersonId.New(), PanelRole.FamilyMember, [School], [Monday], 2);
    private static readonly SeasonStudent Ana = new(StudentId.New(), School, GradeLevel.Grade(5), [Parent.PersonId]);
    private static readonly SeasonStudent Ben = new(StudentId.New(), School, GradeLevel.Grade(5), []);

    private static readonly SeasonRequest Request = new(
        [Ana, Ben],
        [new SchoolDefenseDays(School, [Monday], [Eight, new TimeOnly(9, 0)], ["Room 1", "Room 2"])],
        [Educator, Partner, Parent]);

    private static ValueList<Panelist> P(params SeasonPanelist[] people) => people.Select(p => new Panelist(p.PersonId, p.Role)).ToValueList();

    private static SeasonPlan Plan(params PlannedDefense[] defenses) => new(defenses.ToValueList(), [], new SeasonPlanStatistics(0, 0, 0));

    private static ValueList<SeasonViolationKind> Kinds(SeasonPlan plan) => SeasonChecker.Check(Request, plan).Violations.Select(v => v.Kind).Distinct().Order().ToValueList();

    [Fact]
    public void Check_ValidPlan_NoViolations()
    {
        var plan = Plan(new PlannedDefense(Ben.StudentId, School, Monday, Eight, "Room 1", P(Educator, Partner, Parent)), new PlannedDefense(Ana.StudentId, School, Monday, Eight, "Room 2", []) with { Panel = [] });

        var check = SeasonChecker.Check(Request, plan with { Scheduled = [plan.Scheduled[0]], Unscheduled = [new UnscheduledDefense(Ana.StudentId, School, UnscheduledReason.NotEnoughPanelists, "")] });

        Assert.True(check.IsValid);
        Assert.Equal((1, 1), (check.Load.MinPerDay, check.Load.MaxPerDay));
    }

    [Fact]
    public void Check_OwnChildDoubleBookedAndOverMaximum_AllFound()
    {
        var plan = Plan(
            new PlannedDefense(Ana.StudentId, School, Monday, Eight, "Room 1", P(Educator, Partner, Parent)),
            new PlannedDefense(Ben.StudentId, School, Monday, Eight, "Room 2", P(Educator, Partner, Parent)));

        Assert.Equal([SeasonViolationKind.OwnChild, SeasonViolationKind.DoubleBooked, SeasonViolationKind.OverDailyMaximum], Kinds(plan));
    }

    [Fact]
    public void Check_SmallPanelWithoutEducator_Found()
    {
        var plan = Plan(new PlannedDefense(Ben.StudentId, School, Monday, Eight, "Room 1", P(Partner, Parent)), new PlannedDefense(Ana.StudentId, School, Monday, new TimeOnly(9, 0), "Room 1", P(Educator, Educator, Partner)));

        Assert.Equal([SeasonViolationKind.PanelTooSmall, SeasonViolationKind.NoEducator, SeasonViolationKind.PanelistRepeated], Kinds(plan));
    }

    [Fact]
    public void Check_NoCommunityOrFamilyMemberAndUnknownPanelist_Found()
    {
        var stranger = new SeasonPanelist(PersonId.New(), PanelRole.Educator, [School], [Monday], 3);
        var plan = Plan(new PlannedDefense(Ben.StudentId, School, Monday, Eight, "Room 1", P(Educator, stranger, stranger with { PersonId = PersonId.New() })));

        Assert.Equal([SeasonViolationKind.StudentMissing, SeasonViolationKind.NoCommunityOrFamilyMember, SeasonViolationKind.UnknownPanelist], Kinds(plan));
    }

    [Fact]
    public void Check_RoomTakenTwiceAndSlotNotOffered_Found()
    {
        var plan = Plan(
            new PlannedDefense(Ben.StudentId, School, Monday, Eight, "Room 1", P(Educator, Partner, Parent)),
            new PlannedDefense(Ana.StudentId, School, Monday, Eight, "Room 1", P(Educator, Partner, Parent)) with { Slot = Eight, Room = "Room 1" },
            new PlannedDefense(StudentId.New(), School, Monday.AddDays(1), Eight, "Gym", P(Educator, Partner, Parent)));

        var kinds = Kinds(plan);

        Assert.Contains(SeasonViolationKind.RoomDoubleBooked, kinds);
        Assert.Contains(SeasonViolationKind.NotOffered, kinds);
        Assert.Contains(SeasonViolationKind.UnknownStudent, kinds);
        Assert.Contains(SeasonViolationKind.NotAvailable, kinds);
    }

    [Fact]
    public void Check_StudentScheduledAndUnscheduled_FoundTwice()
    {
        var plan = Plan(new PlannedDefense(Ben.StudentId, School, Monday, Eight, "Room 1", P(Educator, Partner, Parent))) with
        {
            Unscheduled = [new UnscheduledDefense(Ben.StudentId, School, UnscheduledReason.NoRoomOrSlot, ""), new UnscheduledDefense(Ana.StudentId, School, UnscheduledReason.NoRoomOrSlot, "")],
        };

        Assert.Equal([SeasonViolationKind.StudentTwice], Kinds(plan));
    }
}
