using Backpack.Core;
using Backpack.Core.PostgreSql;
using Backpack.Core.Sqlite;
using Backpack.Core.Storage;
using Backpack.Core.Sync;
using Backpack.Core.Testing;
using Backpack.Samples.District;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

// The sample district host. With no command it runs the whole story; the commands are for district IT (--help).
// Redirected to a file or a pipe, the console has no width: tables get room for names instead of wrapping at 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 400;
}

try
{
    // Backpack's typed errors are reported below, not as a stack trace.
    return await Cli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
        public static ServiceProvider BuildServices(StoryClock clock, StoreArgs store, bool inMemory = false, Backpack.Core.Google.Emulator.GoogleEmulator? drive = null)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            var backpack = AddStore(services.AddBackpack(ConfigureDistrict), store, inMemory);
            if (drive is null && store.Remote is { } remote)
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

        public static IBackpackBuilder AddStore(IBackpackBuilder backpack, StoreArgs store, bool inMemory = false)
        {
            var postgres = store.Postgres;
            if (inMemory || store.InMemory)
            {
                backpack.UseInMemoryStore();
            }
            else if (postgres is not null)
            {
                backpack.UsePostgreSql(postgres);
            }
            else
            {
                backpack.UseSqlite($"Data Source={store.DatabasePath}");
            }

            return backpack;
        }

        /// <summary>Prints an error a command found after parsing (a missing file, a store that is not configured) and returns exit code 2.</summary>
        public static int Fail(string message)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(message)}[/]");
            return 2;
        }

        public static async Task<int> MigrateAsync(StoreArgs storeArgs, bool json)
        {
            await using var provider = BuildServices(new StoryClock(default), storeArgs);
            var store = provider.GetRequiredService<IBackpackStore>();
            var (before, after) = store switch
            {
                SqliteBackpackStore s => (await s.GetSchemaVersionAsync(), await MigrateThenVersion(s.MigrateAsync, s.GetSchemaVersionAsync)),
                PostgreSqlBackpackStore p => (await p.GetSchemaVersionAsync(), await MigrateThenVersion(p.MigrateAsync, p.GetSchemaVersionAsync)),
                _ => (0, 0),
            };
            var where = storeArgs.Postgres is null ? storeArgs.DatabasePath : "PostgreSQL";
            if (json)
            {
                Console.WriteLine(new System.Text.Json.Nodes.JsonObject { ["before"] = before, ["after"] = after, ["store"] = storeArgs.Postgres is null ? "sqlite" : "postgres" }.ToJsonString());
            }
            else
            {
                AnsiConsole.MarkupLine($"Schema version {before} -> {after} ({Markup.Escape(where)}).");
            }

            return 0;

            static async Task<int> MigrateThenVersion(Func<CancellationToken, Task> migrate, Func<CancellationToken, Task<int>> version)
            {
                await migrate(CancellationToken.None);
                return await version(CancellationToken.None);
            }
        }

        public static async Task<int> RunStoryAsync(StoreArgs storeArgs, bool fresh, int studentsPerGrade)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            AnsiConsole.Write(new Rule("[bold]Backpack.Core sample district[/]").LeftJustified());
            AnsiConsole.MarkupLine("Every step goes through the public services with an actor, the access policy and its audit trail.");
            if (fresh && storeArgs.Postgres is null)
            {
                foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                {
                    File.Delete(storeArgs.DatabasePath + suffix);
                }
            }

            var clock = new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero));
            var remote = storeArgs.Remote;
            await using var emulator = remote is null ? await Backpack.Core.Google.Emulator.GoogleEmulator.StartAsync(new() { TimeProvider = clock }) : null;
            await using var provider = BuildServices(clock, storeArgs, drive: emulator);
            AnsiConsole.MarkupLine(storeArgs.InMemory ? "Store: in memory." : storeArgs.Postgres is not null ? "Store: PostgreSQL." : $"Store: SQLite file {Markup.Escape(storeArgs.DatabasePath)}.");
            var store = provider.GetRequiredService<IBackpackStore>();
            var demo = await DemoOutcome.LoadAsync(store);
            var pending = (await provider.GetRequiredService<IOutboxStore>().CountAsync()).Pending;
            if (demo is not null)
            {
                AnsiConsole.MarkupLine($"Found the demo district saved by an earlier run ({(await store.ListSchoolsAsync()).Count} schools); reporting on it. Add [bold]--fresh[/] to start over.");

                // The story's clock never goes back: a run that finds the district lives after the story's last moment,
                // a little later with every such run, so the outbox entries an earlier run leased before it was killed
                // (until its clock + LeaseDuration) are free again. Draining at the story's first day instead left them
                // leased for good (found by the chaos harness; see benchmarks/README.md).
                clock.Now = await AfterTheStoryAsync(store);
            }
            else
            {
                // Resumable: a run killed part-way and started again on the same database completes the same district.
                Func<string, string, Task<string>> createDriveFile = emulator is not null
                    ? (id, name) => Task.FromResult(emulator.GetDriveFile(id) is null ? emulator.SeedDriveFile(new() { ["id"] = id, ["name"] = name, ["mimeType"] = "application/vnd.google-apps.document" }) : id)
                    : (id, name) => remote!.SeedFileAsync(id, name);
                demo = await new DemoDistrict(provider, clock, studentsPerGrade, seed: 2025, createDriveFile, () => GoogleCommands.DrainAsync(provider, clock)).RunAsync();
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

        /// <summary>The clock of a run that finds the story complete: the story's end plus one lease and a minute per such run.</summary>
        private static async Task<DateTimeOffset> AfterTheStoryAsync(IBackpackStore store)
        {
            const string key = "sample:story-resumed";
            var resumed = await store.GetCheckpointAsync(key);
            var runs = int.Parse(resumed?.Value ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
            var value = runs.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await store.SaveAsync(new ChangeSet().Put(resumed is null ? new SyncCheckpoint(key, value) : resumed with { Value = value }));
            return DemoDistrict.StoryEnd + (runs * (new OutboxOptions().LeaseDuration + TimeSpan.FromMinutes(1)));
        }

        public static async Task<int> ReportAsync(StoreArgs storeArgs, DirectoryInfo? outFolder, int studentsPerGrade, bool json)
        {
            var clock = new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero));
            await using var provider = BuildServices(clock, storeArgs);
            var demo = await DemoOutcome.LoadAsync(provider.GetRequiredService<IBackpackStore>());
            if (demo is null && json)
            {
                // Standard output carries the JSON alone: no spinner, no story.
                using var quiet = new QuietConsole();
                demo = await new DemoDistrict(provider, clock, studentsPerGrade, seed: 2025).RunAsync();
            }
            else if (demo is null)
            {
                await AnsiConsole.Status().StartAsync("Building the demo district...", async _ =>
                {
                    using var quiet = new QuietConsole();
                    demo = await new DemoDistrict(provider, clock, studentsPerGrade, seed: 2025).RunAsync();
                });
            }

            if (json)
            {
                await ReportPrinter.PrintJsonAsync(provider, demo!);
                return 0;
            }

            await ReportPrinter.PrintAsync(provider, demo!, outFolder?.FullName);
            return 0;
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
