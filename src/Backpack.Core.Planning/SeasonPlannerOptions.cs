namespace Backpack.Core.Planning;

/// <summary>How the season planner works.</summary>
public sealed record SeasonPlannerOptions
{
    /// <summary>Panel members per defense (at least 3).</summary>
    public int PanelSize { get; init; } = 3;

    /// <summary>Whether a school day the greedy construction leaves incomplete or unbalanced goes to the CP-SAT solver.</summary>
    public bool UseSolver { get; init; } = true;

    /// <summary>The most solver time one school day gets.</summary>
    public TimeSpan SolverTimePerDay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The solver time of the whole season, shared among the school days that need the solver.</summary>
    public TimeSpan SolverTimeTotal { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How many school days are planned at once; 0 uses every processor.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}
