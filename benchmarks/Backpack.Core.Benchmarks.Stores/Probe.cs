using System.Diagnostics;
using Backpack.Core.Storage;
using Backpack.Core.TestSupport.StoreContract;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>A quick, non-BenchmarkDotNet timing of single reads (run with <c>--probe</c>), to sanity-check per-call overhead.</summary>
public static class Probe
{
    public static async Task RunAsync()
    {
        foreach (var engine in StoreFactory.Engines)
        {
            var store = StoreFactory.Create(engine);
            var district = SmallDistrict.Generate(seed: 2, students: 2000, artifactsPerStudent: 8);
            await ((IBulkLoader)store).LoadAsync(district.Data);
            var id = district.Data.Students[0].Id;
            for (var round = 0; round < 3; round++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < 200; i++)
                {
                    await store.GetStudentAsync(id);
                }

                Console.WriteLine($"{engine}: GetStudentAsync {sw.Elapsed.TotalMilliseconds / 200:F3} ms/op");
                sw.Restart();
                for (var i = 0; i < 200; i++)
                {
                    await store.LoadPassportAsync(district.Data.Students[i].Id);
                }

                Console.WriteLine($"{engine}: LoadPassportAsync {sw.Elapsed.TotalMilliseconds / 200:F3} ms/op");
            }

            StoreFactory.CleanupAll();
        }
    }
}
