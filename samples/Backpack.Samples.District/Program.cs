using Backpack.Core.DependencyInjection;
using Backpack.Core.Testing;
using Backpack.Samples.District;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

// The sample district host. With no arguments it runs the whole story; the commands are for district IT.
var command = args.Length == 0 ? "run" : args[0];
try
{
    return command switch
    {
        "run" => await Commands.RunStoryAsync(args),
        "report" => await Commands.ReportAsync(args),
        "case" => await Commands.CaseAsync(args),
        "help" or "--help" or "-h" => Commands.Help(),
        _ => Commands.Help($"Unknown command '{command}'."),
    };
}
catch (Backpack.Core.BackpackValidationException ex)
{
    AnsiConsole.MarkupLine($"[red]Invalid input[/] ({ex.Problems.Count} problem(s)):");
    foreach (var p in ex.Problems)
    {
        AnsiConsole.MarkupLine($"  {Markup.Escape(p.Path)}: {Markup.Escape(p.Message)} [grey][[{Markup.Escape(p.Rule)}]][/]");
    }

    return 2;
}
catch (Backpack.Core.BackpackException ex)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
    return 1;
}

namespace Backpack.Samples.District
{
    internal static class Commands
    {
        public static ServiceProvider BuildServices(StoryClock clock)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            services.AddBackpack(o => o.DistrictId = "demo-district").UseInMemoryStore();
            return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        }

        public static async Task<int> RunStoryAsync(string[] args)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            AnsiConsole.Write(new Rule("[bold]Backpack.Core sample district[/]").LeftJustified());
            AnsiConsole.MarkupLine("In-memory store; every step goes through the public services with an actor and the access policy.");
            var clock = new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero));
            await using var provider = BuildServices(clock);
            var demo = await new DemoDistrict(provider, clock, StudentsPerGrade(args), seed: 2025).RunAsync();
            await ReportPrinter.PrintAsync(provider, demo);
            AnsiConsole.MarkupLine($"[grey]Finished in {started.Elapsed.TotalSeconds:0.0} s.[/]");
            return 0;
        }

        public static async Task<int> ReportAsync(string[] args)
        {
            var clock = new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero));
            await using var provider = BuildServices(clock);
            DemoOutcome demo = null!;
            await AnsiConsole.Status().StartAsync("Building the demo district...", async _ =>
            {
                using var quiet = new QuietConsole();
                demo = await new DemoDistrict(provider, clock, StudentsPerGrade(args), seed: 2025).RunAsync();
            });
            await ReportPrinter.PrintAsync(provider, demo);
            return 0;
        }

        public static Task<int> CaseAsync(string[] args) => CaseCommands.RunAsync(args);

        public static int Help(string? error = null)
        {
            if (error is not null)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(error)}[/]");
            }

            AnsiConsole.WriteLine("""
                Backpack.Core sample district host

                  dotnet run --project samples/Backpack.Samples.District [command]

                  run                        the whole story (default): framework, rubrics, schools, students,
                                             artifacts, scoring, Defenses of Learning, readiness report
                  report                     the readiness and level-distribution reports of the demo district
                  case import <file> [--json]  import a CASE 1.1 (or 1.0) CFPackage and summarise it
                  case export <file> [--json]  export the demo district's framework and rubrics as CASE 1.1

                  --students-per-grade N     size of the demo district (default 40)
                """);
            return error is null ? 0 : 2;
        }

        private static int StudentsPerGrade(string[] args)
        {
            var i = Array.IndexOf(args, "--students-per-grade");
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0 ? n : 40;
        }
    }

    /// <summary>Silences the story's progress output while a status spinner runs.</summary>
    internal sealed class QuietConsole : IDisposable
    {
        private readonly IAnsiConsole _previous = AnsiConsole.Console;

        public QuietConsole() => AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });

        public void Dispose() => AnsiConsole.Console = _previous;
    }
}
