using Backpack.Core.Storage;
using Backpack.Core.TestSupport.StoreContract;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// Loading a district: the bulk loader (SQLite: prepared statements in one transaction; PostgreSQL: binary
/// COPY) against saving item by item through <see cref="IBackpackStore.SaveAsync"/>, one change set each.
/// Every iteration starts from an empty database. Measured in the steady state, as BenchmarkDotNet does
/// elsewhere: with tiered compilation a fresh process runs the COPY path in unoptimized code for its first
/// 7-18 loads of 300 students (PostgreSQL ~100-140 ms, then ~55 ms; with <c>DOTNET_TieredCompilation=0</c> ~55 ms
/// from the second load on, measured with <c>--probe-bulk</c>), hence 25 warm-up iterations. A real district load
/// takes 40-54 s at 96,000 students, long enough for the JIT to finish within its first seconds.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 25, iterationCount: 10)]
public class BulkLoadBenchmarks
{
    private DistrictDataSet _data = new();
    private IBackpackStore? _store;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = StoreFactory.Sqlite;

    public static IEnumerable<string> Engines => StoreFactory.Engines;

    /// <summary>Students in the loaded district (5 artifacts each): the contract tests' small district, and one closer to a real load.</summary>
    [Params(300, 1000)]
    public int Students { get; set; } = 300;

    /// <summary>Items loaded per iteration (schools, students, artifacts, evaluations, milestones).</summary>
    public int Items => _data.Schools.Count + _data.Students.Count + _data.Artifacts.Count + _data.Evaluations.Count + _data.Milestones.Count + 2;

    [GlobalSetup]
    public void Setup() => _data = SmallDistrict.Generate(seed: 1, students: Students, artifactsPerStudent: 5).Data;

    [IterationSetup]
    public void NewDatabase() => _store = StoreFactory.Create(Engine);

    [IterationCleanup]
    public void DropDatabase() => StoreFactory.CleanupAll();

    [Benchmark(Baseline = true)]
    public async Task RowByRow()
    {
        var store = _store!;
        foreach (var item in _data.Frameworks)
        {
            await store.SaveAsync(new ChangeSet().Put(item));
        }

        foreach (var item in _data.Rubrics)
        {
            await store.SaveAsync(new ChangeSet().Put(item));
        }

        foreach (var item in _data.Schools)
        {
            await store.SaveAsync(new ChangeSet().Put(item));
        }

        foreach (var item in _data.Students)
        {
            await store.SaveAsync(new ChangeSet().Put(item));
        }

        foreach (var item in _data.Artifacts)
        {
            await store.SaveAsync(new ChangeSet().Put(item));
        }

        foreach (var item in _data.Evaluations)
        {
            await store.SaveAsync(new ChangeSet().Put(item));
        }

        foreach (var item in _data.Milestones)
        {
            await store.SaveAsync(new ChangeSet().Put(item));
        }
    }

    [Benchmark]
    public Task BulkLoad() => ((IBulkLoader)_store!).LoadAsync(_data);
}
