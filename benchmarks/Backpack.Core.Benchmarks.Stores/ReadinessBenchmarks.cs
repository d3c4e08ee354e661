using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.TestSupport.StoreContract;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// The readiness report of a loaded district: computed in SQL by the store, against loading every student's
/// passport and checking each with <c>ReadinessCheck.Check</c> in memory (<see cref="LoadAllReadiness"/>).
/// Setup checks that both give the same report.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public abstract class ReadinessBenchmarksBase
{
    private IBackpackStore? _store;
    private IReadOnlyList<StudentId> _students = [];
    private ReadinessReportRequest? _request;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = StoreFactory.Sqlite;

    public static IEnumerable<string> Engines => StoreFactory.Engines;

    [GlobalSetup]
    public void Setup()
    {
        (_store, _students, _request) = Load(Engine);
        var sql = Sql().GetAwaiter().GetResult();
        if (sql != LoadAllThenAggregate().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The SQL report differs from the in-memory one.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => StoreFactory.CleanupAll();

    [Benchmark(Baseline = true)]
    public Task<ReadinessReport> LoadAllThenAggregate() => LoadAllReadiness.ComputeAsync(_store!, _students, _request!);

    [Benchmark]
    public Task<ReadinessReport> Sql() => _store!.GetReadinessReportAsync(_request!);

    /// <summary>A fresh store of the engine with the district loaded, its students, and the report's request.</summary>
    protected abstract (IBackpackStore Store, IReadOnlyList<StudentId> Students, ReadinessReportRequest Request) Load(string engine);
}

/// <summary>The readiness report of a district of 2,000 students (about 16,000 artifacts).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8)]
public class ReadinessBenchmarks : ReadinessBenchmarksBase
{
    protected override (IBackpackStore Store, IReadOnlyList<StudentId> Students, ReadinessReportRequest Request) Load(string engine)
    {
        var store = StoreFactory.Create(engine);
        var district = SmallDistrict.Generate(seed: 3, students: 2_000, artifactsPerStudent: 8);
        ((IBulkLoader)store).LoadAsync(district.Data).GetAwaiter().GetResult();
        return (store, district.Data.Students.Select(s => s.Id).ToList(), district.Request());
    }
}
