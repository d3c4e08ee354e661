using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Backpack.Core.Testing;

if (args is ["generate", .. var rest])
{
    // Not a benchmark: one timed generation (and bulk load) of a synthetic district, with memory figures.
    var students = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 96_000;
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    var district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = students });
    var generated = watch.Elapsed;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
    watch.Restart();
    var store = new InMemoryBackpackStore();
    await store.LoadAsync(district.Data).ConfigureAwait(false);
    var loaded = watch.Elapsed;
    var withStore = GC.GetTotalMemory(forceFullCollection: true) - before;
    var d = district.Data;
    Console.WriteLine(FormattableString.Invariant(
        $"students={d.Students.Count:N0} schools={d.Schools.Count} rosters={d.Rosters.Count:N0} artifacts={d.Artifacts.Count:N0} evaluations={d.Evaluations.Count:N0} milestones={d.Milestones.Count:N0}"));
    Console.WriteLine(FormattableString.Invariant(
        $"generate: {generated.TotalSeconds:0.00} s, allocated {allocated / 1048576.0:N0} MiB, retained {retained / 1048576.0:N0} MiB; bulk load into InMemoryBackpackStore: {loaded.TotalSeconds:0.00} s; data + store retained {withStore / 1048576.0:N0} MiB"));
    GC.KeepAlive(store);
    return;
}

if (args is ["season", .. var seasonArgs])
{
    // Not a benchmark: one timed plan of a synthetic defense season, checked by the independent checker.
    var students = seasonArgs.Length > 0 ? int.Parse(seasonArgs[0], CultureInfo.InvariantCulture) : 22_000;
    var request = Backpack.Core.Planning.SyntheticSeason.Generate(new Backpack.Core.Planning.SyntheticSeasonOptions { Students = students });
    var watch = Stopwatch.StartNew();
    var plan = new Backpack.Core.Planning.SeasonPlanner().Plan(request);
    var seconds = watch.Elapsed.TotalSeconds;
    var check = Backpack.Core.Planning.SeasonChecker.Check(request, plan);
    var l = check.Load;
    Console.WriteLine(FormattableString.Invariant(
        $"defenses={request.Students.Count:N0} schools={request.Schools.Count} panelists={request.Panelists.Count:N0} scheduled={plan.Scheduled.Count:N0} unscheduled={plan.Unscheduled.Count:N0} violations={check.Violations.Count} seconds={seconds:0.00} schoolDays={plan.Statistics.Subproblems} solverRuns={plan.Statistics.SolverRuns} improved={plan.Statistics.SolverImproved}"));
    Console.WriteLine(FormattableString.Invariant(
        $"panel load per panelist-day: min={l.MinPerDay} max={l.MaxPerDay} mean={l.MeanPerDay:0.00} sd={l.StandardDeviationPerDay:0.000} over {l.PanelistDays:N0} panelist-days; per season: min={l.MinPerSeason} max={l.MaxPerSeason}"));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
