using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backpack.Core;
using Backpack.Core.Access;
using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Google.Emulator;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Sync;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// <c>chaos concurrent --engine postgres|sqlite [--operations 5000] [--writers 2] [--workers 3] [--seed S] [--json]</c>:
/// several processes on one store. Writer processes (two app instances) change the same few artifacts at once
/// (students reflect and align, a teacher scores) while worker processes drain the outbox into a faulty emulator.
/// Checks: every acknowledged write is in the final state and every artifact's and evaluation's version equals
/// its acknowledged writes (a silent lost update would leave it lower); a refused write is a
/// <see cref="BackpackConcurrencyException"/> (or, on SQLite, a transient <see cref="BackpackStoreException"/>);
/// every outbox entry took effect once (no duplicate Drive item, none pending or dead-lettered); the readiness
/// report equals the readiness check of every student; SQLite's file passes <c>integrity_check</c>.
/// </summary>
internal static class ConcurrencyCommands
{
    private sealed record Plan(Guid Framework, Guid Rubric, int RubricVersion, Guid Teacher, Guid School, Guid[] Skills, Guid[] Students, Guid[] Artifacts, Guid[] ArtifactStudents);

    public static async Task<int> RunAsync(string engine, string? postgresOption, int operations, int writers, int workers, int seed, bool json, bool keep)
    {        var started = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("backpack-concurrent-");
        try
        {
            var postgres = engine == "postgres" ? postgresOption ?? Environment.GetEnvironmentVariable("BACKPACK_TEST_POSTGRES") : null;
            if (engine == "postgres" && string.IsNullOrEmpty(postgres))
            {
                return Commands.Fail("chaos concurrent --engine postgres needs --postgres \"Host=...;Username=...\" or BACKPACK_TEST_POSTGRES.");
            }

            var store = await ChaosCommands.StoreArgsAsync(engine, postgres, work.FullName, $"chaos_{seed}_concurrent");
            await using var drive = await GoogleEmulator.StartAsync(new());
            var faults = new FaultOptions { Seed = seed, Rate = 0.1, Delay = TimeSpan.FromMilliseconds(100) };
            foreach (var kind in new[] { FaultKind.TooManyRequests, FaultKind.InternalError, FaultKind.ServiceUnavailable, FaultKind.DropConnection, FaultKind.InternalErrorAfterApply, FaultKind.DropConnectionAfterApply })
            {
                faults.Kinds.Add(kind);
            }

            drive.SetFaults(faults);
            var common = store with { DriveUrl = drive.BaseUri };
            var plan = await SeedAsync(common, drive);
            var planFile = Path.Combine(work.FullName, "plan.json");
            await File.WriteAllTextAsync(planFile, JsonSerializer.Serialize(plan));

            var stop = Path.Combine(work.FullName, "writers-done");
            var workerTasks = Enumerable.Range(1, workers).Select(i => ChaosCommands.RunChildAsync(["chaos-worker", .. common.ToArgs(), "--stop-file", stop, "--worker", $"worker-{i}"], work.FullName, $"worker-{i}", killAfter: null)).ToArray();
            var writerTasks = Enumerable.Range(1, writers).Select(i => ChaosCommands.RunChildAsync(["chaos-writer", .. common.ToArgs(), "--plan", planFile, "--writer", i.ToString(CultureInfo.InvariantCulture), "--operations", (operations / writers).ToString(CultureInfo.InvariantCulture), "--seed", (seed * 100 + i).ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(work.FullName, $"writer-{i}.jsonl")], work.FullName, $"writer-{i}", killAfter: null)).ToArray();
            var writerExits = await Task.WhenAll(writerTasks);
            await File.WriteAllTextAsync(stop, "done");
            var workerExits = await Task.WhenAll(workerTasks);

            var acks = new List<JsonObject>();
            for (var i = 1; i <= writers; i++)
            {
                var file = Path.Combine(work.FullName, $"writer-{i}.jsonl");
                if (File.Exists(file))
                {
                    acks.AddRange((await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()));
                }
            }

            var problems = new List<string>();
            problems.AddRange(writerExits.Select((e, i) => (e, i)).Where(x => x.e != 0).Select(x => $"writer {x.i + 1} exited with {x.e}"));
            problems.AddRange(workerExits.Select((e, i) => (e, i)).Where(x => x.e != 0).Select(x => $"worker {x.i + 1} exited with {x.e}"));
            var summary = await VerifyAsync(common, plan, acks, drive, problems);
            if (engine == "sqlite")
            {
                await using var connection = new SqliteConnection($"Data Source={store.Db};Mode=ReadOnly");
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA integrity_check";
                var integrity = (string?)await command.ExecuteScalarAsync();
                summary["integrity"] = integrity;
                if (integrity != "ok")
                {
                    problems.Add("integrity_check: " + integrity);
                }
            }

            summary["engine"] = engine;
            summary["writers"] = writers;
            summary["workers"] = workers;
            summary["operations"] = acks.Count;
            summary["faultsInjected"] = drive.GetStatistics().FaultsInjected.Values.Sum();
            summary["seconds"] = Math.Round(started.Elapsed.TotalSeconds, 1);
            summary["ok"] = problems.Count == 0;
            summary["problems"] = new JsonArray([.. problems.Take(20).Select(p => (JsonNode)p)]);
            Console.WriteLine(json ? summary.ToJsonString() : summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return problems.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (!keep)
            {
                work.Delete(recursive: true);
            }
        }
    }

    /// <summary>A small district: a framework, one school, 12 students in grade 5 with one teacher, three Drive artifacts each (only 6 are changed, so the writers collide).</summary>
    private static async Task<Plan> SeedAsync(StoreArgs common, GoogleEmulator drive)
    {
        await using var provider = Commands.BuildServices(new StoryClock(DateTimeOffset.UtcNow), common);
        using var scope = provider.CreateScope();
        var sp = scope.ServiceProvider;
        var admin = Actor.ForDistrictAdmin(PersonId.New());
        var outcome = await DemoDistrict.CreateFrameworkOnlyAsync(sp, admin);
        var framework = await sp.GetRequiredService<FrameworkService>().GetAsync(admin, outcome.Framework);
        var rosters = sp.GetRequiredService<RosterService>();
        var school = await rosters.SaveSchoolAsync(admin, new School(SchoolId.New(), "Concurrency Elementary"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var year = SchoolYear.Containing(today, 8);
        var teacher = PersonId.New();
        var students = new List<Student>();
        for (var i = 0; i < 12; i++)
        {
            students.Add(await rosters.SaveStudentAsync(admin, new Student(StudentId.New(), $"C{i:000}", $"Student {i}", [new Enrollment(school.Id, GradeLevel.Grade(5), year, year.FirstDay(8))])));
        }

        await rosters.SaveRosterAsync(admin, new Roster(RosterId.New(), school.Id, year, "Grade 5", [teacher], students.Select(x => x.Id).ToValueList()));
        var backpack = sp.GetRequiredService<BackpackService>();
        var artifacts = new List<Artifact>();
        foreach (var student in students)
        {
            for (var j = 0; j < 3; j++)
            {
                var file = drive.SeedDriveFile(new() { ["name"] = $"Work {j}", ["mimeType"] = "application/vnd.google-apps.document" });
                artifacts.Add(await backpack.AddArtifactAsync(Actor.ForStudent(student.Id), student.Id, $"Work {j}", new DriveFileSource(file)));
            }
        }

        var skills = framework.Current!.Content.Skills.Select(x => x.Id.Value).ToArray();
        return new Plan(outcome.Framework.Value, outcome.SkillsRubric.Id.Value, outcome.SkillsRubric.Version, teacher.Value, school.Id.Value, skills,
            [.. students.Select(x => x.Id.Value)], [.. artifacts.Take(6).Select(a => a.Id.Value)], [.. artifacts.Take(6).Select(a => a.StudentId.Value)]);
    }

    /// <summary><c>chaos-writer</c>: one app instance: students reflect and align and the teacher scores, on the same few artifacts as the other writers; one JSON line per acknowledged write.</summary>
    public static async Task<int> WriterAsync(StoreArgs storeArgs, FileInfo planFile, string writer, int operations, int seed, FileInfo outFile)
    {
        var plan = JsonSerializer.Deserialize<Plan>(await File.ReadAllTextAsync(planFile.FullName))!;
        var random = new Random(seed);
        await using var provider = Commands.BuildServices(new StoryClock(DateTimeOffset.UtcNow), storeArgs);
        await using var output = File.CreateText(outFile.FullName);
        var rubric = new RubricRef(RubricId.From(plan.Rubric), plan.RubricVersion);
        for (var n = 0; n < operations; n++)
        {
            var pick = random.Next(plan.Artifacts.Length);
            var artifact = ArtifactId.From(plan.Artifacts[pick]);
            var student = StudentId.From(plan.ArtifactStudents[pick]);
            var skill = SkillId.From(plan.Skills[random.Next(plan.Skills.Length)]);
            var roll = random.NextDouble();
            var text = $"w{writer}-{n}";
            for (var attempt = 1; ; attempt++)
            {
                using var scope = provider.CreateScope();
                var backpack = scope.ServiceProvider.GetRequiredService<BackpackService>();
                try
                {
                    JsonObject ack;
                    if (roll < 0.5)
                    {
                        await backpack.ReflectAsync(Actor.ForStudent(student), artifact, text);
                        ack = new JsonObject { ["op"] = "reflect", ["artifact"] = artifact.ToString(), ["text"] = text };
                    }
                    else if (roll < 0.75)
                    {
                        await backpack.AlignAsync(Actor.ForStudent(student), artifact, skill, text);
                        ack = new JsonObject { ["op"] = "align", ["artifact"] = artifact.ToString(), ["skill"] = skill.ToString(), ["text"] = text };
                    }
                    else
                    {
                        var rubricValue = await scope.ServiceProvider.GetRequiredService<FrameworkService>().GetRubricAsync(Actor.ForTeacher(PersonId.From(plan.Teacher)), rubric);
                        var criterion = rubricValue.Criteria[random.Next(rubricValue.Criteria.Count)];
                        await backpack.ScoreArtifactAsync(Actor.ForTeacher(PersonId.From(plan.Teacher)), artifact, rubric, [new CriterionLevel(criterion.Name, criterion.Levels[random.Next(criterion.Levels.Count)].Name)]);
                        ack = new JsonObject { ["op"] = "score", ["artifact"] = artifact.ToString() };
                    }

                    await output.WriteLineAsync(ack.ToJsonString());
                    break;
                }
                catch (BackpackConcurrencyException)
                {
                    await output.WriteLineAsync(new JsonObject { ["op"] = "conflict", ["artifact"] = artifact.ToString() }.ToJsonString());
                    break;
                }
                catch (BackpackStoreException ex) when (ex.IsTransient && attempt < 20)
                {
                    await Task.Delay(10 * attempt);
                }
            }
        }

        return 0;
    }

    /// <summary><c>chaos-worker</c>: one outbox worker process, draining until the writers are done and nothing is due.</summary>
    public static async Task<int> WorkerAsync(StoreArgs storeArgs, FileInfo stopFile, string workerId)
    {
        var stop = stopFile.FullName;
        await using var provider = Commands.BuildServices(new StoryClock(DateTimeOffset.UtcNow), storeArgs);
        var store = provider.GetRequiredService<IOutboxStore>();
        var worker = new OutboxWorker(store, provider.GetServices<IOutboxHandler>(), TimeProvider.System,
            Options.Create(new OutboxOptions { BatchSize = 16, InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(500), LeaseDuration = TimeSpan.FromSeconds(30) }),
            workerId: workerId);
        while (true)
        {
            var done = File.Exists(stop);
            int n;
            try
            {
                n = await worker.RunOnceAsync();
            }
            catch (BackpackStoreException ex) when (ex.IsTransient)
            {
                n = 0;
            }

            if (n == 0)
            {
                if (done && (await store.CountAsync()).Pending == 0)
                {
                    return 0;
                }

                await Task.Delay(50);
            }
        }
    }

    private static async Task<JsonObject> VerifyAsync(StoreArgs common, Plan plan, List<JsonObject> acks, GoogleEmulator drive, List<string> problems)
    {
        await using var provider = Commands.BuildServices(new StoryClock(DateTimeOffset.UtcNow), common);
        var store = provider.GetRequiredService<IBackpackStore>();
        var teacher = PersonId.From(plan.Teacher);
        var rubric = RubricId.From(plan.Rubric);
        foreach (var id in plan.Artifacts.Select(ArtifactId.From))
        {
            var a = (await store.GetArtifactAsync(id))!;
            var mine = acks.Where(x => x["artifact"]!.GetValue<string>() == id.ToString()).ToList();
            var writes = mine.Count(x => x["op"]!.GetValue<string>() is "reflect" or "align");
            if (a.Version != 1 + writes)
            {
                problems.Add($"artifact {id}: version {a.Version}, but 1 + {writes} acknowledged writes");
            }

            foreach (var text in mine.Where(x => x["op"]!.GetValue<string>() == "reflect").Select(x => x["text"]!.GetValue<string>()))
            {
                if (!a.Reflections.Any(r => r.Text == text))
                {
                    problems.Add($"artifact {id}: acknowledged reflection {text} lost");
                }
            }

            var scores = mine.Count(x => x["op"]!.GetValue<string>() == "score");
            var evaluation = await store.GetEvaluationAsync(Evaluation.IdFor(teacher, id.Value, rubric));
            if ((evaluation?.Version ?? 0) != scores)
            {
                problems.Add($"evaluation of {id}: version {evaluation?.Version ?? 0}, but {scores} acknowledged scores");
            }
        }

        var outbox = await provider.GetRequiredService<IOutboxStore>().CountAsync();
        if (outbox.Pending != 0 || outbox.DeadLettered != 0)
        {
            problems.Add($"outbox: {outbox.Pending} pending, {outbox.DeadLettered} dead-lettered");
        }

        // Each Backpack item in Drive is named by its app properties: two live items with the same ones are a duplicate.
        var duplicates = (drive.GetState()["drive"]?["files"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(f => f["appProperties"] is JsonObject && f["trashed"]?.GetValue<bool>() != true)
            .GroupBy(f => string.Join(",", f["appProperties"]!.AsObject().Select(kv => $"{kv.Key}={kv.Value}").Order(StringComparer.Ordinal)) + "|" + f["parents"]?.ToJsonString())
            .Where(g => g.Count() > 1)
            .ToList();
        problems.AddRange(duplicates.Take(5).Select(g => $"Drive: {g.Count()} items with {g.Key}"));

        // The store's readiness report (computed in SQL) against the core's readiness check of every student.
        using var scope = provider.CreateScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<BackpackOptions>>().Value;
        var year = SchoolYear.Containing(DateOnly.FromDateTime(DateTime.UtcNow), 8);
        var report = await store.GetReadinessReportAsync(new ReadinessReportRequest(year, plan.Skills.Select(SkillId.From).ToValueList(), options.EvidenceRule, options.Transitions));
        var checks = await scope.ServiceProvider.GetRequiredService<MilestoneService>().CheckReadinessAsync(Actor.ForTeacher(teacher), FrameworkId.From(plan.Framework), plan.Students.Select(StudentId.From));
        var reported = report.Rows.Where(r => r.SchoolId == SchoolId.From(plan.School)).Sum(r => r.Ready ?? 0);
        var ready = checks.Count(c => c.IsReady);
        if (reported != ready)
        {
            problems.Add($"readiness report says {reported} ready, the readiness check of every student {ready}");
        }

        return new JsonObject
        {
            ["acknowledged"] = acks.Count(x => x["op"]!.GetValue<string>() != "conflict"),
            ["conflicts"] = acks.Count(x => x["op"]!.GetValue<string>() == "conflict"),
            ["outboxCompleted"] = outbox.Completed,
            ["duplicates"] = duplicates.Count,
            ["ready"] = ready,
            ["reportedReady"] = reported,
        };
    }
}
