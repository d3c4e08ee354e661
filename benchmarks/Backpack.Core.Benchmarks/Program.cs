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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
