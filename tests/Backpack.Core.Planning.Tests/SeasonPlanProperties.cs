using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backpack.Core.Planning.Tests;

/// <summary>The shape of a generated season: small enough that a property runs in seconds.</summary>
public sealed record SeasonCase(int Seed, int Students, int Schools, int Days, int Slots, int Rooms, double Supply, double Shared, int PanelSize)
{
    public SeasonRequest Request() => SyntheticSeason.Generate(new SyntheticSeasonOptions
    {
        Seed = Seed, Students = Students, Schools = Schools, DaysPerSchool = Days, SlotsPerDay = Slots, RoomsPerSchool = Rooms, PanelistSupply = Supply, SharedPanelists = Shared,
    });
}

public static class SeasonArbitraries
{
    public static Arbitrary<SeasonCase> SeasonCase() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from students in Gen.Choose(0, 150)
         from schools in Gen.Choose(1, 4)
         from days in Gen.Choose(1, 3)
         from slots in Gen.Choose(1, 6)
         from rooms in Gen.Choose(1, 4)
         from supply in Gen.Elements(0.3, 0.7, 1.0, 1.3, 2.0)
         from shared in Gen.Elements(0.0, 0.3, 1.0)
         from panelSize in Gen.Frequency((4, Gen.Constant(3)), (1, Gen.Constant(4)))
         select new SeasonCase(seed, students, schools, days, slots, rooms, supply, shared, panelSize)).ToArbitrary();
}

[Properties(Arbitrary = [typeof(SeasonArbitraries)], MaxTest = 60)]
public sealed class SeasonPlanProperties
{
    private static SeasonPlan Plan(SeasonCase c, SeasonRequest request) =>
        new SeasonPlanner(new SeasonPlannerOptions { PanelSize = c.PanelSize, SolverTimePerDay = TimeSpan.FromSeconds(0.2), SolverTimeTotal = TimeSpan.FromSeconds(1) }).Plan(request);

    [Property]
    public bool Plan_AnyGeneratedSeason_CheckerFindsNoViolations(SeasonCase c)
    {
        var request = c.Request();
        var plan = Plan(c, request);
        return SeasonChecker.Check(request, plan, c.PanelSize).IsValid;
    }

    [Property]
    public bool Plan_AnyGeneratedSeason_EveryStudentScheduledOrListedOnce(SeasonCase c)
    {
        var request = c.Request();
        var plan = Plan(c, request);
        var ids = plan.Scheduled.Select(d => d.StudentId).Concat(plan.Unscheduled.Select(u => u.StudentId)).ToList();
        return ids.Count == request.Students.Count && ids.ToHashSet().SetEquals(request.Students.Select(s => s.StudentId));
    }
}
