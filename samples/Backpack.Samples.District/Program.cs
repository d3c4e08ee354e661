using Backpack.Core;
using Backpack.Core.PostgreSql;
using Backpack.Core.Sqlite;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Backpack.Core.Testing;
using Backpack.Samples.District;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

// The sample district host. With no arguments it runs the whole story; the commands are for district IT.
var command = args.Length == 0 ? "run" : args[0];

// Redirected to a file or a pipe, the console has no width: tables get room for names instead of wrapping at 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 400;
}

try
{
    return command switch
    {
        "run" => await Commands.RunStoryAsync(args),
        "report" when args.Length > 1 && args[1] == "agreement" => await AgreementCommands.RunAsync(args),
        "report" => await Commands.ReportAsync(args),
        "case" => await Commands.CaseAsync(args),
        "db" when args.Length > 1 && args[1] == "migrate" => await Commands.MigrateAsync(args),
        "emulator" => await GoogleCommands.ServeEmulatorAsync(args),
        "sync" when args.Length > 1 && args[1] == "classroom" => await GoogleCommands.SyncClassroomAsync(args),
        "import" when args.Length > 1 && args[1] == "oneroster" => await GoogleCommands.ImportOneRosterAsync(args),
        "access" => await AccessCommands.RunAsync(args),
        "retention" => await RetentionCommands.RunAsync(args),
        "handoff" => await HandoffCommands.RunAsync(args),
        "plan" => SeasonCommands.Run(args),
        "chaos" when args.Length > 1 && args[1] == "concurrent" => await ConcurrencyCommands.RunAsync(args),
        "chaos" => await ChaosCommands.RunAsync(args),
        "chaos-writer" => await ConcurrencyCommands.WriterAsync(args),
        "chaos-worker" => await ConcurrencyCommands.WorkerAsync(args),
        "passport" => await PassportCommands.RunAsync(args),
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
        /// <summary>
        /// The store: the embedded SQLite file <c>backpack.db</c> by default (created on the first run, reused
        /// on the next), PostgreSQL with <c>--postgres "Host=...;Username=..."</c>, or memory with <c>--in-memory</c>.
        /// </summary>
        public static ServiceProvider BuildServices(StoryClock clock, string[] args, bool inMemory = false, Backpack.Core.Google.Emulator.GoogleEmulator? drive = null)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            var backpack = AddStore(services.AddBackpack(ConfigureDistrict), args, inMemory);
            if (drive is null && RemoteDrive.FromArgs(args) is { } remote)
            {
                // A standalone emulator (the chaos harness's): retries paced for a test, not for Google's quotas.
                services.AddSingleton<Backpack.Core.Google.Drive.IBackpackDirectory, DemoDirectory>();
                backpack.AddGoogleDrive(o =>
                {
                    o.BaseUri = remote.DriveBaseUri;
                    o.BatchUri = remote.DriveBatchUri;
                    o.AccessToken = "demo-district-admin";
                    o.PerUserQueriesPerMinute = null;
                    o.PerProjectQueriesPerMinute = null;
                    o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                    o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
                });
            }
            else if (drive is not null)
            {
                services.AddSingleton<Backpack.Core.Google.Drive.IBackpackDirectory, DemoDirectory>();
                backpack.AddGoogleDrive(o =>
                {
                    o.BaseUri = drive.DriveBaseUri;
                    o.BatchUri = drive.DriveBatchUri;
                    o.AccessToken = "demo-district-admin";
                    o.PerUserQueriesPerMinute = null;
                    o.PerProjectQueriesPerMinute = null;
                });
            }

            return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        }

        /// <summary>The demo district's settings (the access matrix is evaluated under them too).</summary>
        public static void ConfigureDistrict(BackpackOptions o)
        {
            o.DistrictId = "demo-district";
            o.TimeZone = "America/Denver";
            o.HandoffSharing = true; // a handoff may share showcases with a graduate's personal email (90 days)
        }

        public static IBackpackBuilder AddStore(IBackpackBuilder backpack, string[] args, bool inMemory = false)
        {
            var postgres = Option(args, "--postgres");
            if (inMemory || args.Contains("--in-memory"))
            {
                backpack.UseInMemoryStore();
            }
            else if (postgres is not null)
            {
                backpack.UsePostgreSql(postgres);
            }
            else
            {
                backpack.UseSqlite($"Data Source={DatabasePath(args)}");
            }

            return backpack;
        }

        public static string DatabasePath(string[] args) => Path.GetFullPath(Option(args, "--db") ?? "backpack.db");

        public static string? Option(string[] args, string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        public static async Task<int> MigrateAsync(string[] args)
        {
            await using var provider = BuildServices(new StoryClock(default), args);
            var store = provider.GetRequiredService<IBackpackStore>();
            var (before, after) = store switch
            {
                SqliteBackpackStore s => (await s.GetSchemaVersionAsync(), await MigrateThenVersion(s.MigrateAsync, s.GetSchemaVersionAsync)),
                PostgreSqlBackpackStore p => (await p.GetSchemaVersionAsync(), await MigrateThenVersion(p.MigrateAsync, p.GetSchemaVersionAsync)),
                _ => (0, 0),
            };
            AnsiConsole.MarkupLine($"Schema version {before} -> {after} ({Markup.Escape(Option(args, "--postgres") is null ? DatabasePath(args) : "PostgreSQL")}).");
            return 0;

            static async Task<int> MigrateThenVersion(Func<CancellationToken, Task> migrate, Func<CancellationToken, Task<int>> version)
            {
                await migrate(CancellationToken.None);
                return await version(CancellationToken.None);
            }
        }

        public static async Task<int> RunStoryAsync(string[] args)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            AnsiConsole.Write(new Rule("[bold]Backpack.Core sample district[/]").LeftJustified());
            AnsiConsole.MarkupLine("Every step goes through the public services with an actor, the access policy and its audit trail.");
            if (args.Contains("--fresh") && Option(args, "--postgres") is null)
            {
                foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                {
                    File.Delete(DatabasePath(args) + suffix);
                }
            }

            var clock = new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero));
            var remote = RemoteDrive.FromArgs(args);
            await using var emulator = remote is null ? await Backpack.Core.Google.Emulator.GoogleEmulator.StartAsync(new() { TimeProvider = clock }) : null;
            await using var provider = BuildServices(clock, args, drive: emulator);
            AnsiConsole.MarkupLine(args.Contains("--in-memory") ? "Store: in memory." : Option(args, "--postgres") is not null ? "Store: PostgreSQL." : $"Store: SQLite file {Markup.Escape(DatabasePath(args))}.");
            var store = provider.GetRequiredService<IBackpackStore>();
            var demo = await DemoOutcome.LoadAsync(store);
            var pending = (await provider.GetRequiredService<IOutboxStore>().CountAsync()).Pending;
            if (demo is not null)
            {
                AnsiConsole.MarkupLine($"Found the demo district saved by an earlier run ({(await store.ListSchoolsAsync()).Count} schools); reporting on it. Add [bold]--fresh[/] to start over.");
            }
            else
            {
                // Resumable: a run killed part-way and started again on the same database completes the same district.
                Func<string, string, Task<string>> createDriveFile = emulator is not null
                    ? (id, name) => Task.FromResult(emulator.GetDriveFile(id) is null ? emulator.SeedDriveFile(new() { ["id"] = id, ["name"] = name, ["mimeType"] = "application/vnd.google-apps.document" }) : id)
                    : (id, name) => remote!.SeedFileAsync(id, name);
                demo = await new DemoDistrict(provider, clock, StudentsPerGrade(args), seed: 2025, createDriveFile, () => GoogleCommands.DrainAsync(provider, clock)).RunAsync();
            }

            if (emulator is not null && (pending > 0 || (await provider.GetRequiredService<IOutboxStore>().CountAsync()).Pending > 0))
            {
                await GoogleCommands.OrganizeDriveAsync(provider, emulator, clock);
            }
            else if (remote is not null)
            {
                var delivered = await GoogleCommands.DrainAsync(provider, clock);
                var counts = await provider.GetRequiredService<IOutboxStore>().CountAsync();
                AnsiConsole.MarkupLine($"Drive ({Markup.Escape(remote.BaseUri.ToString())}): {delivered} outbox entries delivered; pending {counts.Pending}, completed {counts.Completed}, dead-lettered {counts.DeadLettered}.");
            }

            await ReportPrinter.PrintAsync(provider, demo);
            AnsiConsole.MarkupLine($"[grey]Finished in {started.Elapsed.TotalSeconds:0.0} s.[/]");
            return 0;
        }

        public static async Task<int> ReportAsync(string[] args)
        {
            var clock = new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero));
            await using var provider = BuildServices(clock, args);
            var demo = await DemoOutcome.LoadAsync(provider.GetRequiredService<IBackpackStore>());
            if (demo is null)
            {
                await AnsiConsole.Status().StartAsync("Building the demo district...", async _ =>
                {
                    using var quiet = new QuietConsole();
                    demo = await new DemoDistrict(provider, clock, StudentsPerGrade(args), seed: 2025).RunAsync();
                });
            }

            var outAt = Array.IndexOf(args, "--out");
            if (outAt >= 0 && outAt + 1 >= args.Length)
            {
                return Help("report --out needs a folder, e.g. report --out reports");
            }

            await ReportPrinter.PrintAsync(provider, demo!, outAt >= 0 ? args[outAt + 1] : null);
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
                                             artifacts, scoring, Defenses of Learning, readiness report;
                                             a second run finds the first run's district in the database
                  report [--out DIR]         the readiness, coverage and Defense-outcome reports of the demo district;
                                             --out also writes readiness/coverage/growth .csv and .png (1200x800) to DIR
                  report agreement --csv FILE [--json]
                                             inter-rater agreement per criterion from subject,rater,criterion,level
                  db migrate                 bring the database schema up to date
                  emulator [--port 8787] [--seed-demo]
                                             serve the Google Drive and Classroom emulator until stopped
                  sync classroom [--emulator URL]
                                             pull the demo district from Classroom (an in-process emulator
                                             unless a URL is given) and show the suggested artifacts
                  import oneroster <folder>  load a OneRoster 1.1/1.2 CSV export
                  case import <file> [--json]  import a CASE 1.1 (or 1.0) CFPackage and summarise it
                  case export <file> [--json]  export the demo district's framework and rubrics as CASE 1.1
                  access matrix [--json]     who may run what: every cell of the access table run through the
                                             services under this district's options (for a privacy review)
                  retention run [--as-of yyyy-MM-dd] [--dry-run]
                                             purge (or list) the students past the district's retention
                                             period after exit; prints ids and counts only
                  handoff run --student <id|first> --out DIR [--email ADDR]
                                             the handoff of a student who graduated or withdrew: an offline
                                             archive (index.html, the signed passport) in DIR; re-runs resume
                  plan season [--students N] [--json]
                                             plan a synthetic Defense of Learning season (22,000 by default),
                                             check it independently and report the panel load spread

                  passport export --student <id|first> --out DIR [--rule showcased|defense]
                                             a student's signed CLR 2.0 (clr.json) and Open Badges 3.0
                                             credentials (ob-N.json); the key is district-key.json beside the db
                  passport verify FILE       verify an OB 3.0 / CLR 2.0 credential: {"verified":..,"errors":[..]}

                  chaos --engine sqlite|postgres --kills N --seed S [--json] [--students-per-grade N]
                                             kill the story's process with SIGKILL N times against a faulty
                                             emulator, finish it, and compare with a clean run of the same seed
                  chaos concurrent --engine postgres|sqlite [--operations 5000] [--writers 2] [--workers 3] [--json]
                                             writer and outbox-worker processes on one store at once, checked
                                             for lost updates, duplicates and the readiness report

                  --students-per-grade N     size of the demo district (default 12)
                  --drive-url URL            use a standalone emulator (e.g. http://127.0.0.1:8787/) for Drive
                  --db <file>                the SQLite file (default backpack.db in the current folder)
                  --postgres <connection>    use PostgreSQL instead of SQLite
                  --in-memory                keep nothing
                  --fresh                    delete the SQLite file first
                """);
            return error is null ? 0 : 2;
        }

        private static int StudentsPerGrade(string[] args)
        {
            var i = Array.IndexOf(args, "--students-per-grade");
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0 ? n : 12;
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
