using BenchmarkDotNet.Running;

if (args.Contains("--probe"))
{
    await Backpack.Core.Benchmarks.Stores.Probe.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Backpack.Core.Benchmarks.Stores.StoreFactory).Assembly).Run(args);
