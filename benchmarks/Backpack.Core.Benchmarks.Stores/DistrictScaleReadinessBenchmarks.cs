using System.Diagnostics;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// The readiness report over the full-size synthetic district (96,000 students, 150 schools, about a million
/// artifacts), bulk-loaded into a fresh database (setup prints how long that took). Long: run it on its own
/// (<c>--filter '*DistrictScaleReadinessBenchmarks*'</c>, ~12 minutes).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class DistrictScaleReadinessBenchmarks : ReadinessBenchmarksBase
{
    protected override (IBackpackStore Store, IReadOnlyList<StudentId> Students, ReadinessReportRequest Request) Load(string engine)
    {
        var (store, district) = DistrictScale.Load(engine, 96_000);
        return (store, district.Data.Students.Select(s => s.Id).ToList(), district.ReadinessRequest());
    }
}

/// <summary>Generates the synthetic district and bulk-loads it into a fresh store, printing what it measured (also run alone with <c>--district-scale [students]</c>).</summary>
public static class DistrictScale
{
    public static (IBackpackStore Store, SyntheticDistrict District) Load(string engine, int students)
    {
        var watch = Stopwatch.StartNew();
        var district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = students });
        var generated = watch.Elapsed;
        var d = district.Data;
        var store = StoreFactory.Create(engine);
        watch.Restart();
        ((IBulkLoader)store).LoadAsync(d).GetAwaiter().GetResult();
        Console.WriteLine(
            $"// {engine}: generated {d.Students.Count:N0} students, {d.Schools.Count} schools, {d.Artifacts.Count:N0} artifacts, "
            + $"{d.Evaluations.Count:N0} evaluations, {d.Milestones.Count:N0} milestones, {d.Rosters.Count:N0} rosters in {generated.TotalSeconds:F1} s; "
            + $"bulk load {watch.Elapsed.TotalSeconds:F1} s");
        return (store, district);
    }

    public static async Task RunAsync(int students)
    {
        foreach (var engine in StoreFactory.Engines)
        {
            var (store, district) = Load(engine, students);
            var request = district.ReadinessRequest();
            for (var round = 0; round < 5; round++)
            {
                var watch = Stopwatch.StartNew();
                await store.GetReadinessReportAsync(request);
                Console.WriteLine($"// {engine}: readiness report in SQL {watch.Elapsed.TotalMilliseconds:F0} ms");
            }

            StoreFactory.CleanupAll();
        }
    }
}
