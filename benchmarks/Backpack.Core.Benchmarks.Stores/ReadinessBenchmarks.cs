using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.StoreContract;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// The readiness report of a district of 2,000 students: computed in SQL by the store, against loading every
/// student's passport and checking each with <see cref="ReadinessCheck.Check"/> in memory.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8)]
public class ReadinessBenchmarks
{
    private IBackpackStore? _store;
    private SmallDistrict? _district;
    private ReadinessReportRequest? _request;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = StoreFactory.Sqlite;

    public static IEnumerable<string> Engines => StoreFactory.Engines;

    [GlobalSetup]
    public void Setup()
    {
        _store = StoreFactory.Create(Engine);
        _district = SmallDistrict.Generate(seed: 3, students: 2_000, artifactsPerStudent: 8);
        ((IBulkLoader)_store).LoadAsync(_district.Data).GetAwaiter().GetResult();
        _request = _district.Request();
        var sql = _store.GetReadinessReportAsync(_request).GetAwaiter().GetResult();
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
