using System.Globalization;
using Backpack.Core.Planning;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks;

/// <summary>
/// Planning a district's defense season: the synthetic season of 22,000 defenses over 150 schools (seed 1,
/// 5 days, 8 slots, 6 rooms per school, 4,910 panelists). Baseline: the greedy construction alone; then greedy
/// plus CP-SAT on the school days it leaves incomplete or unbalanced (the planner's default). Each operation
/// is one whole season, so the job runs it a few times rather than thousands. <see cref="Setup"/> plans once
/// with each method, counts violations with the independent <see cref="SeasonChecker"/> (throws unless zero)
/// and prints the load spread.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SeasonPlanningBenchmarks
{
    private SeasonRequest _request = null!;

    /// <summary>Defenses in the season.</summary>
    [Params(22_000)]
    public int Students { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _request = SyntheticSeason.Generate(new SyntheticSeasonOptions { Students = Students });
        foreach (var useSolver in new[] { false, true })
        {
            var plan = new SeasonPlanner(new SeasonPlannerOptions { UseSolver = useSolver }).Plan(_request);
            var check = SeasonChecker.Check(_request, plan);
            var l = check.Load;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// season useSolver={useSolver}: defenses={_request.Students.Count} scheduled={plan.Scheduled.Count} unscheduled={plan.Unscheduled.Count} violations={check.Violations.Count} panelists={_request.Panelists.Count} solverRuns={plan.Statistics.SolverRuns} improved={plan.Statistics.SolverImproved} load/day min={l.MinPerDay} max={l.MaxPerDay} mean={l.MeanPerDay:0.00} sd={l.StandardDeviationPerDay:0.000} season min={l.MinPerSeason} max={l.MaxPerSeason}"));
            if (!check.IsValid)
            {
                throw new InvalidOperationException($"The checker found {check.Violations.Count} violations.");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public SeasonPlan GreedyOnly() => new SeasonPlanner(new SeasonPlannerOptions { UseSolver = false }).Plan(_request);

    [Benchmark]
    public SeasonPlan GreedyAndCpSat() => new SeasonPlanner().Plan(_request);
}
