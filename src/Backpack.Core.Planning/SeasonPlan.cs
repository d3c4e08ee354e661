using Backpack.Core.Milestones;

namespace Backpack.Core.Planning;

/// <summary>One defense in the plan: when, where and in front of whom.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="SchoolId">The school.</param>
/// <param name="Day">The day.</param>
/// <param name="Slot">The slot's start time (local time of the district).</param>
/// <param name="Room">The room.</param>
/// <param name="Panel">The panel.</param>
public sealed record PlannedDefense(StudentId StudentId, SchoolId SchoolId, DateOnly Day, TimeOnly Slot, string Room, ValueList<Panelist> Panel);

/// <summary>Why a defense could not be scheduled.</summary>
public enum UnscheduledReason
{
    /// <summary>The student's school has no defense days, slots or rooms.</summary>
    NoDefenseDays,

    /// <summary>Every slot of every room of the school's defense days is taken.</summary>
    NoRoomOrSlot,

    /// <summary>No panel with an educator and a community partner or family member could be formed from the panelists available (availability, daily maximum, own-child conflicts).</summary>
    NotEnoughPanelists,
}

/// <summary>A defense the plan could not place, and why.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="SchoolId">The school.</param>
/// <param name="Reason">Why.</param>
/// <param name="Detail">The reason in words, with ids only (no names).</param>
public sealed record UnscheduledDefense(StudentId StudentId, SchoolId SchoolId, UnscheduledReason Reason, string Detail);

/// <summary>How a plan was found.</summary>
/// <param name="Subproblems">The number of school days planned separately.</param>
/// <param name="SolverRuns">How many school days went to the CP-SAT solver (the greedy construction was not complete or not balanced).</param>
/// <param name="SolverImproved">How many solver runs gave a better answer than the greedy construction.</param>
public sealed record SeasonPlanStatistics(int Subproblems, int SolverRuns, int SolverImproved);

/// <summary>A defense season: every student either scheduled or listed with the reason.</summary>
/// <param name="Scheduled">The scheduled defenses, by school, day, slot and room.</param>
/// <param name="Unscheduled">The defenses that could not be scheduled.</param>
/// <param name="Statistics">How the plan was found.</param>
public sealed record SeasonPlan(ValueList<PlannedDefense> Scheduled, ValueList<UnscheduledDefense> Unscheduled, SeasonPlanStatistics Statistics)
{
    /// <summary>The part of the plan at one school: what that school's admin publishes.</summary>
    /// <param name="school">The school.</param>
    /// <returns>The school's scheduled and unscheduled defenses, with the same statistics.</returns>
    public SeasonPlan ForSchool(SchoolId school) =>
        this with { Scheduled = Scheduled.Where(d => d.SchoolId == school).ToValueList(), Unscheduled = Unscheduled.Where(u => u.SchoolId == school).ToValueList() };
}
