using System.Diagnostics;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// The readiness report over the full-size synthetic district (96,000 students, 150 schools, about a million
/// artifacts), bulk-loaded into a fresh database: computed in SQL by the store, against loading every student's
/// passport and checking each in memory (<see cref="LoadAllReadiness"/>). Setup prints how long the bulk load
/// took and checks that both give the same report. Long: run it on its own
/// (<c>--filter '*DistrictScaleReadinessBenchmarks*'</c>).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class DistrictScaleReadinessBenchmarks
{
    private IBackpackStore? _store;
    private SyntheticDistrict? _district;
    private ReadinessReportRequest? _request;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = StoreFactory.Sqlite;

    public static IEnumerable<string> Engines => StoreFactory.Engines;

    [GlobalSetup]
    public void Setup()
    {
        (_store, _district) = DistrictScale.Load(Engine, 96_000);
        _request = _district.ReadinessRequest();
        var sql = Sql().GetAwaiter().GetResult();
        if (sql != LoadAllThenAggregate().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The SQL report differs from the in-memory one.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => StoreFactory.CleanupAll();

    [Benchmark(Baseline = true)]
    public Task<ReadinessReport> LoadAllThenAggregate() => LoadAllReadiness.ComputeAsync(_store!, _district!.Data.Students.Select(s => s.Id), _request!);

    [Benchmark]
    public Task<ReadinessReport> Sql() => _store!.GetReadinessReportAsync(_request!);
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
