using System.Runtime.InteropServices;
using Backpack.Core;
using Backpack.Core.Access;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Emulator;
using Backpack.Core.OneRoster;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>Every person's school email, derived from their id: the demo district has no real directory.</summary>
internal sealed class DemoDirectory : IBackpackDirectory
{
    public ValueTask<string?> FindEmailAsync(PersonId person, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>($"person-{person.Value:N}@demo-district.example");

    public ValueTask<string?> FindStudentEmailAsync(StudentId student, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>($"student-{student.Value:N}@demo-district.example");
}

/// <summary>The Google parts of the sample: Drive in the story, the standalone emulator, Classroom sync, OneRoster import.</summary>
internal static class GoogleCommands
{
    /// <summary>Runs the outbox worker until nothing is due (what a host's <c>OutboxHostedService</c> does continuously).</summary>
    public static async Task<int> DrainAsync(IServiceProvider provider, TimeProvider clock)
    {
        return await Worker(provider, clock).DrainAsync();
    }

    /// <summary>The outbox worker of the sample: no backoff between attempts (the emulator injects no faults here).</summary>
    private static OutboxWorker Worker(IServiceProvider provider, TimeProvider clock) =>
        new(provider.GetRequiredService<IOutboxStore>(), provider.GetServices<IOutboxHandler>(), clock, Options.Create(new OutboxOptions { BatchSize = 64, InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero }));

    /// <summary>Drains the outbox the story filled (folders, shortcuts, shares, frozen showcases, revocations) into the emulator and prints the counts.</summary>
    public static async Task OrganizeDriveAsync(IServiceProvider provider, GoogleEmulator emulator, TimeProvider clock)
    {
        var store = provider.GetRequiredService<IOutboxStore>();
        var worker = Worker(provider, clock);
        var pending = (await store.CountAsync()).Pending;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var task = ctx.AddTask("Drive: organize and share backpacks (outbox -> emulator)", maxValue: Math.Max(1, pending));
            int n;
            while ((n = await worker.RunOnceAsync()) > 0)
            {
                task.Increment(n);
            }

            task.Value = task.MaxValue;
        });

        var state = emulator.GetState().ToJsonString();
        var stats = emulator.GetStatistics();
        var counts = await store.CountAsync();
        var files = System.Text.Json.JsonDocument.Parse(state).RootElement;
        int Count(string mime) => files.TryGetProperty("drive", out var d) && d.TryGetProperty("files", out var f)
            ? f.EnumerateArray().Count(x => x.TryGetProperty("mimeType", out var m) && m.GetString() == mime)
            : 0;
        var table = new Table().Title("Google Drive (loopback emulator)").AddColumns("what", "count");
        table.AddRow("outbox: pending / completed / dead-lettered", $"{counts.Pending} / {counts.Completed} / {counts.DeadLettered}");
        table.AddRow("folders", Count("application/vnd.google-apps.folder").ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("shortcuts to students' originals", Count("application/vnd.google-apps.shortcut").ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("HTTP requests / API calls / quota units", $"{stats.HttpRequests} / {stats.TotalMethodCalls} / {stats.QuotaUnits}");
        table.AddRow("permissions granted / revoked (panels closed)", $"{stats.CallsOf("drive.permissions.create")} / {stats.CallsOf("drive.permissions.delete")}");
        table.AddRow("frozen showcase copies", stats.CallsOf("drive.files.copy").ToString(System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }

    /// <summary><c>emulator [--port N] [--seed-demo]</c>: serves the Drive and Classroom emulator until stopped.</summary>
    public static async Task<int> ServeEmulatorAsync(int port, bool seedDemo)
    {
        await using var emulator = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { Port = port });
        if (seedDemo)
        {
            var seeded = DemoClassroom.SeedInto(emulator);
            AnsiConsole.MarkupLine($"Seeded a demo district: {seeded.Courses} courses, {seeded.Students} students, {seeded.Submissions} turned-in submissions.");
        }

        AnsiConsole.MarkupLine($"Google emulator listening (any bearer token is accepted):");
        AnsiConsole.MarkupLine($"  Drive     {emulator.DriveBaseUri}  (batch {emulator.DriveBatchUri}, upload {emulator.DriveUploadUri})");
        AnsiConsole.MarkupLine($"  Classroom {emulator.ClassroomBaseUri}");
        AnsiConsole.MarkupLine($"  Admin     {emulator.AdminUri}stats | state | reset");
        AnsiConsole.MarkupLine("Press Ctrl+C to stop.");
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    /// <summary><c>sync classroom</c>: pulls the demo district's Classroom (an in-process emulator, or <c>--emulator URL</c>) and shows the suggested artifacts.</summary>
    public static async Task<int> SyncClassroomAsync(StoreArgs storeArgs, Uri? url)
    {
        var clock = new StoryClock(new DateTimeOffset(2025, 10, 15, 15, 0, 0, TimeSpan.Zero));
        await using var emulator = url is null ? await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock }) : null;
        if (emulator is not null)
        {
            DemoClassroom.SeedInto(emulator);
        }

        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        Commands.AddStore(services.AddBackpack(Commands.ConfigureDistrict), storeArgs)
            .AddGoogleClassroom(o =>
            {
                o.BaseUri = emulator?.ClassroomBaseUri ?? url!;
                o.AccessToken = "demo-district-admin";
                o.MapCourse = DemoClassroom.Place;
                foreach (var (tag, skill) in DemoClassroom.SkillTags)
                {
                    o.SkillTags[tag] = skill;
                }
            });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var sync = provider.GetRequiredService<ClassroomSync>();
        var first = await sync.SyncAsync();
        var second = await sync.SyncAsync();
        var table = new Table().Title("Google Classroom sync (nobody uploads by hand)").AddColumns("", "first sync", "second sync");
        foreach (var (label, a, b) in DemoClassroom.Describe(first, second))
        {
            table.AddRow(label, a, b);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Every submission became a [bold]suggested[/] artifact: nothing is published for a student without the student. The second sync changed nothing.");
        return 0;
    }

    /// <summary><c>import oneroster &lt;folder&gt;</c>: loads a OneRoster 1.1/1.2 CSV export into the database.</summary>
    public static async Task<int> ImportOneRosterAsync(StoreArgs storeArgs, DirectoryInfo folder, bool json)
    {
        await using var provider = Commands.BuildServices(new StoryClock(new DateTimeOffset(2025, 10, 1, 12, 0, 0, TimeSpan.Zero)), storeArgs);
        using var scope = provider.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RosterService>().ImportOneRosterAsync(Actor.ForDistrictAdmin(PersonId.New()), folder.FullName);
        if (json)
        {
            // Counts and warnings (paths and rules name files, lines and columns; no names).
            Console.WriteLine(new System.Text.Json.Nodes.JsonObject
            {
                ["version"] = result.OneRosterVersion,
                ["schoolsAdded"] = result.SchoolsAdded,
                ["schoolsUpdated"] = result.SchoolsUpdated,
                ["studentsAdded"] = result.StudentsAdded,
                ["studentsUpdated"] = result.StudentsUpdated,
                ["transfers"] = result.Transfers,
                ["rostersAdded"] = result.RostersAdded,
                ["rostersUpdated"] = result.RostersUpdated,
                ["warnings"] = new System.Text.Json.Nodes.JsonArray(result.Warnings.Select(w => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["path"] = w.Path, ["rule"] = w.Rule, ["message"] = w.Message }).ToArray()),
            }.ToJsonString());
            return 0;
        }

        var table = new Table().Title($"OneRoster {result.OneRosterVersion} import").AddColumns("", "count");
        table.AddRow("schools added / updated", $"{result.SchoolsAdded} / {result.SchoolsUpdated}");
        table.AddRow("students added / updated", $"{result.StudentsAdded} / {result.StudentsUpdated}");
        table.AddRow("transfers", result.Transfers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("rosters added / updated", $"{result.RostersAdded} / {result.RostersUpdated}");
        table.AddRow("warnings", result.Warnings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        foreach (var w in result.Warnings.Take(20))
        {
            AnsiConsole.MarkupLine($"  [yellow]warning[/] {Markup.Escape(w.Path)}: {Markup.Escape(w.Message)}");
        }

        return 0;
    }
}
