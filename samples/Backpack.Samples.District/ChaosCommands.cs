using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backpack.Core;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Serialization;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>A standalone emulator the story talks to over HTTP (<c>--drive-url</c>), instead of one in its own process.</summary>
internal sealed class RemoteDrive(Uri baseUri)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri BaseUri { get; } = baseUri;

    public Uri DriveBaseUri => new(BaseUri, "drive/v3/");

    public Uri DriveBatchUri => new(BaseUri, "batch/drive/v3");

    /// <summary>A student's original in Drive, made once: the emulator's seed endpoint is idempotent by id.</summary>
    public async Task<string> SeedFileAsync(string id, string name)
    {
        var body = new JsonObject { ["id"] = id, ["name"] = name, ["mimeType"] = "application/vnd.google-apps.document" }.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(new Uri(BaseUri, "_emulator/drive/files"), content);
                response.EnsureSuccessStatusCode();
                return id;
            }
            catch (HttpRequestException) when (attempt < 5)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }
}

/// <summary>
/// <c>chaos --engine sqlite|postgres --kills N --seed S [--json]</c>: runs the sample story in a child process
/// against a standalone emulator with seeded faults (429s, rate-limit 403s, 5xx, dropped connections, faults
/// after the change applied), kills the child with SIGKILL at moments drawn from the seed, starts it again,
/// N times; then lets it finish with the faults off, and compares the store and Drive with a fault-free,
/// kill-free reference run of the same story: same domain records, same Drive items and permissions, no
/// duplicate, nothing lost, no outbox entry pending or dead-lettered.
/// </summary>
internal static class ChaosCommands
{
    private static readonly DateTimeOffset EmulatorTime = new(2025, 8, 20, 15, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string engine, string? postgresOption, int kills, int seed, int studentsPerGrade, double faultRate, bool json, bool keep)
    {
        var perGrade = studentsPerGrade.ToString(CultureInfo.InvariantCulture);
        var started = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("backpack-chaos-");
        try
        {
            var postgres = engine == "postgres" ? postgresOption ?? Environment.GetEnvironmentVariable("BACKPACK_TEST_POSTGRES") : null;
            if (engine == "postgres" && string.IsNullOrEmpty(postgres))
            {
                return Commands.Fail("chaos --engine postgres needs --postgres \"Host=...;Username=...\" or BACKPACK_TEST_POSTGRES.");
            }

            var referenceStore = await StoreArgsAsync(engine, postgres, work.FullName, $"chaos_{seed}_reference");
            var chaosStore = await StoreArgsAsync(engine, postgres, work.FullName, $"chaos_{seed}_run");

            // The reference: the same story, no faults, never killed.
            await using var referenceDrive = await GoogleEmulator.StartAsync(new() { TimeProvider = new StoryClock(EmulatorTime) });
            var referenceTime = Stopwatch.StartNew();
            var exit = await RunChildAsync(["run", .. (referenceStore with { DriveUrl = referenceDrive.BaseUri }).ToArgs(), "--students-per-grade", perGrade], work.FullName, "reference", killAfter: null);
            referenceTime.Stop();
            if (exit != 0)
            {
                throw new InvalidOperationException($"The reference run failed (exit code {exit}); see {Path.Combine(work.FullName, "reference.log")}.");
            }

            // The chaos run: faults on, killed `kills` times at seeded moments, then finished with the faults off.
            await using var chaosDrive = await GoogleEmulator.StartAsync(new() { TimeProvider = new StoryClock(EmulatorTime) });
            var faults = new FaultOptions { Seed = seed, Rate = faultRate, Delay = TimeSpan.FromMilliseconds(200) };
            foreach (var kind in new[]
            {
                FaultKind.TooManyRequests, FaultKind.RateLimitExceeded, FaultKind.UserRateLimitExceeded, FaultKind.InternalError,
                FaultKind.ServiceUnavailable, FaultKind.Delay, FaultKind.DropConnection, FaultKind.InternalErrorAfterApply, FaultKind.DropConnectionAfterApply,
            })
            {
                faults.Kinds.Add(kind);
            }

            chaosDrive.SetFaults(faults);
            var random = new Random(seed);
            var childArgs = new List<string>(["run", .. (chaosStore with { DriveUrl = chaosDrive.BaseUri }).ToArgs(), "--students-per-grade", perGrade]);
            var killed = 0;
            var completedEarly = 0;
            var span = Math.Max(1.0, referenceTime.Elapsed.TotalSeconds);
            for (var i = 0; i < kills; i++)
            {
                // Most kills land in the work; some during start-up and migration (a crash there counts too).
                var after = TimeSpan.FromSeconds((0.3 + (random.NextDouble() * 0.9)) * Math.Min(span, 4.0));
                var code = await RunChildAsync(childArgs, work.FullName, $"chaos-{i + 1}", after);
                if (code is null)
                {
                    killed++;
                }
                else
                {
                    completedEarly++;
                }
            }

            // Once to the end with the faults still on (the outbox retries; nothing may be lost or dead-lettered
            // for a transient fault), then once more with them off, as an operator would after an outage.
            var faultedRunExit = await RunChildAsync(childArgs, work.FullName, "chaos-faulted", killAfter: null);
            var faultsInjected = chaosDrive.GetStatistics().FaultsInjected.Values.Sum();
            chaosDrive.SetFaults(null);
            exit = await RunChildAsync(childArgs, work.FullName, "chaos-final", killAfter: null);
            if (exit != 0)
            {
                throw new InvalidOperationException($"The final run after the kills failed (exit code {exit}); see {Path.Combine(work.FullName, "chaos-final.log")}.");
            }

            var expected = await DumpStoreAsync(referenceStore);
            var actual = await DumpStoreAsync(chaosStore);
            var lost = expected.Records.Where(e => !actual.Records.TryGetValue(e.Key, out var a) || a != e.Value).Select(e => e.Key).ToList();
            var extra = actual.Records.Keys.Where(key => !expected.Records.ContainsKey(key)).ToList();
            var driveExpected = DriveItems(referenceDrive.GetState());
            var driveActual = DriveItems(chaosDrive.GetState());
            var missingItems = Difference(driveExpected, driveActual);
            var duplicateItems = Difference(driveActual, driveExpected);
            var converged = lost.Count == 0 && extra.Count == 0 && missingItems.Count == 0 && duplicateItems.Count == 0 && actual.Pending == 0 && actual.DeadLetters.Count == 0;
            var result = new JsonObject
            {
                ["engine"] = engine,
                ["kills"] = killed,
                ["converged"] = converged,
                ["duplicates"] = duplicateItems.Count + extra.Count,
                ["lost"] = lost.Count + missingItems.Count,
                ["deadLetters"] = actual.DeadLetters.Count,
                ["seconds"] = Math.Round(started.Elapsed.TotalSeconds, 1),
                ["seed"] = seed,
                ["runsThatFinishedBeforeTheirKill"] = completedEarly,
                ["records"] = actual.Records.Count,
                ["driveItems"] = driveActual.Count,
                ["pending"] = actual.Pending,
                ["faultsInjected"] = faultsInjected,
                ["faultedRunExitCode"] = faultedRunExit,
                ["differences"] = new JsonArray([.. lost.Take(10).Select(x => (JsonNode)("record differs or missing: " + x)),
                    .. extra.Take(10).Select(x => (JsonNode)("record not in the reference: " + x)),
                    .. missingItems.Take(10).Select(x => (JsonNode)("Drive item missing: " + x)),
                    .. duplicateItems.Take(10).Select(x => (JsonNode)("Drive item duplicated or unexpected: " + x)),
                    .. actual.DeadLetters.Take(10).Select(x => (JsonNode)("dead letter: " + x))]),
            };
            if (json)
            {
                Console.WriteLine(result.ToJsonString());
            }
            else
            {
                AnsiConsole.MarkupLine($"Chaos on {engine}: {killed} kills (seed {seed}), {(converged ? "[green]converged[/]" : "[red]did not converge[/]")} with the reference run: {duplicateItems.Count + extra.Count} duplicates, {lost.Count + missingItems.Count} lost, {actual.DeadLetters.Count} dead letters, {result["seconds"]} s.");
                foreach (var d in result["differences"]!.AsArray())
                {
                    AnsiConsole.MarkupLine($"  {Markup.Escape(d!.GetValue<string>())}");
                }
            }

            return converged ? 0 : 1;
        }
        finally
        {
            if (!keep)
            {
                work.Delete(recursive: true);
            }
        }
    }

    /// <summary>The child's store arguments: a SQLite file in the work folder, or a fresh PostgreSQL database.</summary>
    internal static async Task<StoreArgs> StoreArgsAsync(string engine, string? postgres, string work, string name)
    {
        if (engine == "sqlite")
        {
            return new StoreArgs(Db: Path.Combine(work, name + ".db"));
        }

        var builder = new NpgsqlConnectionStringBuilder(postgres);
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", $"CREATE DATABASE {name}" })
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }

        builder.Database = name;
        return new StoreArgs(Postgres: builder.ConnectionString);
    }

    /// <summary>Runs the sample with <paramref name="childArgs"/> (a command and its options) in a child process; kills it with SIGKILL after <paramref name="killAfter"/>. Returns the exit code, or null when killed.</summary>
    internal static async Task<int?> RunChildAsync(IEnumerable<string> childArgs, string work, string name, TimeSpan? killAfter)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = work,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChaosCommands).Assembly.Location);
        }

        foreach (var a in childArgs)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The story's process did not start.");
        var log = File.CreateText(Path.Combine(work, name + ".log"));
        await using (log.ConfigureAwait(false))
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            var exited = process.WaitForExitAsync();
            var killed = false;
            if (killAfter is { } after && await Task.WhenAny(exited, Task.Delay(after)) != exited)
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flush, no graceful shutdown
                killed = true;
            }

            await exited;
            await log.WriteAsync(await output);
            await log.WriteAsync(await errors);
            return killed ? null : process.ExitCode;
        }
    }

    private sealed record StoreDump(SortedDictionary<string, string> Records, int Pending, List<string> DeadLetters);

    /// <summary>Every domain record of the district, as JSON by a stable key (the story's ids come from its seed), and the outbox's state.</summary>
    private static async Task<StoreDump> DumpStoreAsync(StoreArgs storeArgs)
    {
        await using var provider = Commands.BuildServices(new StoryClock(EmulatorTime), storeArgs);
        var store = provider.GetRequiredService<IBackpackStore>();
        var records = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string value) => records[key] = value;
        foreach (var f in await store.ListFrameworksAsync())
        {
            Add($"framework/{f.Id}", BackpackJson.Serialize(f));
        }

        var schools = await store.ListSchoolsAsync();
        var students = new SortedSet<StudentId>();
        foreach (var school in schools)
        {
            Add($"school/{school.Id}", BackpackJson.Serialize(school));
            foreach (var day in new[] { new DateOnly(2025, 9, 10), new DateOnly(2026, 1, 11), new DateOnly(2026, 1, 13), new DateOnly(2026, 6, 1) })
            {
                foreach (var student in await store.ListStudentsAsync(school.Id, day))
                {
                    students.Add(student.Id);
                }
            }
        }

        var rosters = new SortedSet<RosterId>();
        foreach (var id in students)
        {
            Add($"student/{id}", BackpackJson.Serialize(await store.GetStudentAsync(id)));
            foreach (var a in await store.ListArtifactsAsync(id))
            {
                Add($"artifact/{a.Id}", BackpackJson.Serialize(a));
            }

            foreach (var e in await store.ListEvaluationsAsync(id))
            {
                Add($"evaluation/{e.Id}", BackpackJson.Serialize(e));
            }

            foreach (var m in await store.ListMilestonesAsync(id))
            {
                Add($"milestone/{m.Id}", BackpackJson.Serialize(m));
            }

            foreach (var r in await store.ListRostersForStudentAsync(id, new SchoolYear(2025)))
            {
                rosters.Add(r.Id);
            }
        }

        foreach (var id in rosters)
        {
            Add($"roster/{id}", BackpackJson.Serialize(await store.GetRosterAsync(id)));
        }

        if (await DemoOutcome.LoadAsync(store) is { } demo)
        {
            Add("rubric/skills", BackpackJson.Serialize(await store.GetRubricAsync(demo.SkillsRubric)));
            Add("rubric/defense", BackpackJson.Serialize(await store.GetRubricAsync(demo.DefenseRubric)));
        }

        var outbox = provider.GetRequiredService<IOutboxStore>();
        var counts = await outbox.CountAsync();
        var dead = (await outbox.ListDeadLettersAsync(null, 100)).Select(d => $"{d.Message.Operation}: {d.LastError}").ToList();
        return new StoreDump(records, counts.Pending, dead);
    }

    /// <summary>
    /// Drive as paths, not ids (ids differ between emulators): each item by its path from My Drive, MIME type,
    /// trashed flag, app properties, shortcut target path and permissions (type, role, email, expiration).
    /// </summary>
    private static List<string> DriveItems(JsonObject state)
    {
        var files = (state["drive"]?["files"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var byId = files.Where(f => f["id"] is not null).GroupBy(f => f["id"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.First());
        string PathOf(string id, int depth = 0)
        {
            if (!byId.TryGetValue(id, out var f) || depth > 32)
            {
                return id.StartsWith("demo-", StringComparison.Ordinal) ? id : "/";
            }

            var parent = (f["parents"] as JsonArray)?.FirstOrDefault()?.GetValue<string>();
            var name = f["name"]?.GetValue<string>() ?? "?";
            return (parent is null ? string.Empty : PathOf(parent, depth + 1)) + "/" + name;
        }

        var items = new List<string>();
        foreach (var f in files)
        {
            var id = f["id"]!.GetValue<string>();
            var target = f["shortcutDetails"]?["targetId"]?.GetValue<string>();
            var permissions = (f["permissions"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(p => $"{p["type"]}:{p["role"]}:{p["emailAddress"]}:{p["domain"]}:{p["expirationTime"]}")
                .Order(StringComparer.Ordinal);
            var app = f["appProperties"] is JsonObject o ? string.Join(",", o.Select(kv => $"{kv.Key}={kv.Value}").Order(StringComparer.Ordinal)) : string.Empty;
            items.Add($"{PathOf(id)} [{f["mimeType"]}] trashed={f["trashed"]} app={{{app}}} target={(target is null ? "-" : PathOf(target))} permissions=[{string.Join(";", permissions)}]");
        }

        items.Sort(StringComparer.Ordinal);
        return items;
    }

    /// <summary>What <paramref name="a"/> holds more often than <paramref name="b"/> (a multiset difference).</summary>
    private static List<string> Difference(List<string> a, List<string> b)
    {
        var counts = b.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var x in a)
        {
            if (counts.TryGetValue(x, out var n) && n > 0)
            {
                counts[x] = n - 1;
            }
            else
            {
                result.Add(x);
            }
        }

        return result;
    }
}
