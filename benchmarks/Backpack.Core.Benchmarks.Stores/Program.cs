using BenchmarkDotNet.Running;

if (args.Contains("--probe"))
{
    await Backpack.Core.Benchmarks.Stores.Probe.RunAsync();
    return;
}

if (args.Contains("--probe-bulk"))
{
    await Backpack.Core.Benchmarks.Stores.BulkProbe.RunAsync();
    return;
}

if (args.Length == 2 && args[0] == "--keep-readiness")
{
    await Backpack.Core.Benchmarks.Stores.KeepReadiness.RunAsync(args[1]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Backpack.Core.Benchmarks.Stores.StoreFactory).Assembly).Run(args);
