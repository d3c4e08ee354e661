using System.Diagnostics;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.TestSupport.StoreContract;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>A quick timing of the bulk load (and of the JSON serialization alone) and of the readiness report (run with <c>--probe-bulk [students]</c>).</summary>
public static class BulkProbe
{
    public static async Task RunAsync(int students = 300)
    {
        var data = SmallDistrict.Generate(seed: 1, students: students, artifactsPerStudent: 5).Data;
        for (var round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            var bytes = 0L;
            foreach (var a in data.Artifacts)
            {
                bytes += BackpackJson.Serialize(a).Length;
            }

            foreach (var e in data.Evaluations)
            {
                bytes += BackpackJson.Serialize(e).Length;
            }

            foreach (var s in data.Students)
            {
                bytes += BackpackJson.Serialize(s).Length;
            }

            Console.WriteLine($"serialize only: {sw.Elapsed.TotalMilliseconds:F1} ms ({bytes} chars)");
        }

        foreach (var engine in StoreFactory.Engines)
        {
            var times = new List<double>();
            for (var round = 0; round < 15; round++)
            {
                var store = StoreFactory.Create(engine);
                var sw = Stopwatch.StartNew();
                await ((IBulkLoader)store).LoadAsync(data);
                times.Add(sw.Elapsed.TotalMilliseconds);
                StoreFactory.CleanupAll();
            }

            times.Sort();
            Console.WriteLine($"{engine}: bulk load of {students} students, median {times[times.Count / 2]:F1} ms (min {times[0]:F1})");
        }

        var district = SmallDistrict.Generate(seed: 3, students: 2_000, artifactsPerStudent: 8);
        var request = district.Request();
        foreach (var engine in StoreFactory.Engines)
        {
            var store = StoreFactory.Create(engine);
            await ((IBulkLoader)store).LoadAsync(district.Data);
            for (var round = 0; round < 5; round++)
            {
                var sw = Stopwatch.StartNew();
                await store.GetReadinessReportAsync(request);
                Console.WriteLine($"{engine}: readiness SQL {sw.Elapsed.TotalMilliseconds:F1} ms");
            }

            StoreFactory.CleanupAll();
        }
    }
}

/// <summary>
/// Keeps a loaded SQLite file for query-plan work: the readiness benchmark's district (run with
/// <c>--keep-readiness PATH</c>), or the synthetic district of N students (<c>--keep-readiness PATH N</c>).
/// </summary>
public static class KeepReadiness
{
    public static async Task RunAsync(string path, int? students = null)
    {
        var store = new Backpack.Core.Sqlite.SqliteBackpackStore(new Backpack.Core.Sqlite.SqliteStoreOptions { ConnectionString = $"Data Source={path}" }, "bench");
        await store.MigrateAsync();
        if (students is { } n)
        {
            var synthetic = Backpack.Core.Testing.SyntheticDistrict.Generate(new Backpack.Core.Testing.SyntheticDistrictOptions { Students = n });
            await ((IBulkLoader)store).LoadAsync(synthetic.Data);
            var watch = Stopwatch.StartNew();
            await store.GetReadinessReportAsync(synthetic.ReadinessRequest());
            Console.WriteLine($"readiness SQL {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
        else
        {
            var district = SmallDistrict.Generate(seed: 3, students: 2_000, artifactsPerStudent: 8);
            await ((IBulkLoader)store).LoadAsync(district.Data);
            await store.GetReadinessReportAsync(district.Request());
        }

        store.Dispose();
    }
}
