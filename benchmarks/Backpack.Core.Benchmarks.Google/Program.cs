using Backpack.Core.Benchmarks.Google;

// Prints the figures of benchmarks/README-drive.md and benchmarks/README-classroom.md, measured against the
// loopback emulator; exits 1 when a figure is outside the bound the README states.
//   dotnet run -c Release --project benchmarks/Backpack.Core.Benchmarks.Google -- drive
//   dotnet run -c Release --project benchmarks/Backpack.Core.Benchmarks.Google -- classroom [--skip-quota]
var command = args.FirstOrDefault();
var ok = command switch
{
    "drive" => await DriveReport.RunAsync(Console.Out),
    "classroom" => await ClassroomReport.RunAsync(Console.Out, quota: !args.Contains("--skip-quota")),
    _ => Usage(),
};
return ok ? 0 : 1;

static bool Usage()
{
    Console.Error.WriteLine("usage: Backpack.Core.Benchmarks.Google drive | classroom [--skip-quota]");
    return false;
}
