using BenchmarkDotNet.Running;

if (args.Contains("--probe"))
{
    await Backpack.Core.Benchmarks.Stores.Probe.RunAsync();
    return;
}

if (args.Length >= 1 && args[0] == "--probe-bulk")
{
    await Backpack.Core.Benchmarks.Stores.BulkProbe.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 300);
    return;
}

if (args.Length >= 1 && args[0] == "--district-scale")
{
    await Backpack.Core.Benchmarks.Stores.DistrictScale.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 96_000, args.Length > 2 ? args[2] : null);
    return;
}

if (args.Length is 2 or 3 && args[0] == "--keep-readiness")
{
    await Backpack.Core.Benchmarks.Stores.KeepReadiness.RunAsync(args[1], args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Backpack.Core.Benchmarks.Stores.StoreFactory).Assembly).Run(args);
