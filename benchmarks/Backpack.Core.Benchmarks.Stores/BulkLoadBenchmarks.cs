using Backpack.Core.Storage;
using Backpack.Core.StoreContract;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// Loading a district: the bulk loader (SQLite: prepared statements in one transaction; PostgreSQL: binary
/// COPY) against saving item by item through <see cref="IBackpackStore.SaveAsync"/>, one change set each.
/// Every iteration starts from an empty database. Ten warm-up iterations: a fresh process needs about ten loads
/// before the JIT has promoted the COPY path to optimized code (measured with <c>--probe-bulk</c>: PostgreSQL's
/// first loads of 300 students take 100-270 ms, later ones ~50 ms); one warm-up measured mostly the JIT.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 10)]
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
