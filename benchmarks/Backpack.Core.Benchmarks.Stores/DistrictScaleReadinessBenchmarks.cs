using System.Diagnostics;
using System.Globalization;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// The readiness and coverage reports over the full-size synthetic district (96,000 students, 150 schools, about a
/// million artifacts), bulk-loaded into a fresh database per engine (setup prints how long that took). Baseline: the
/// readiness report as computed before the maintained counts (<c>TodaysQuery</c>: the alignments scanned and grouped,
/// in parts), which the store still runs for a report under another rule than the district's: here three artifacts
/// per skill instead of two (the same statements with other constants), through the public API. Setup checks both
/// reports against the in-memory store. Long: run it on its own (<c>--filter '*DistrictScaleReadinessBenchmarks*'</c>).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 11)]
public class DistrictScaleReadinessBenchmarks
{
    private IBackpackStore? _store;
    private SyntheticDistrict? _district;
    private ReadinessReportRequest? _readiness;
    private ReadinessReportRequest? _anotherRule;
    private CoverageReportRequest? _coverage;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = StoreFactory.Sqlite;

    public static IEnumerable<string> Engines => StoreFactory.Engines;

    [GlobalSetup]
    public void Setup()
    {
        (_store, _district) = DistrictScale.Load(Engine, 96_000);
        _readiness = _district.ReadinessRequest();
        _anotherRule = DistrictScale.AnotherRule(_readiness);
        _coverage = DistrictScale.CoverageRequest(_district);
        var today = TodaysQuery().GetAwaiter().GetResult();
        DistrictScale.CheckAgainstInMemory(_district, (_anotherRule, today), (_readiness, Readiness().GetAwaiter().GetResult()));
        if (Coverage().GetAwaiter().GetResult().Rows.Sum(r => r.Students) != today.Rows.Sum(r => r.Students))
        {
            throw new InvalidOperationException("The coverage report counts other students than the readiness report.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => StoreFactory.CleanupAll();

    /// <summary>The readiness report as computed before the maintained counts: from the alignments, in parts (another rule).</summary>
    [Benchmark(Baseline = true)]
    public Task<ReadinessReport> TodaysQuery() => _store!.GetReadinessReportAsync(_anotherRule!);

    /// <summary>The readiness report from the maintained report cells.</summary>
    [Benchmark]
    public Task<ReadinessReport> Readiness() => _store!.GetReadinessReportAsync(_readiness!);

    /// <summary>The coverage report from the maintained report cells (with the student groups).</summary>
    [Benchmark]
    public Task<CoverageReport> Coverage() => _store!.GetCoverageReportAsync(_coverage!);
}

/// <summary>Generates the synthetic district and bulk-loads it into a fresh store, printing what it measured (also run alone with <c>--district-scale [students] [engine]</c>).</summary>
public static class DistrictScale
{
    public static (IBackpackStore Store, SyntheticDistrict District) Load(string engine, int students)
    {
        var watch = Stopwatch.StartNew();
        var district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = students });
        var generated = watch.Elapsed;
        var d = district.Data;
        var store = StoreFactory.Create(engine);
        watch.Restart();
        ((IBulkLoader)store).LoadAsync(d).GetAwaiter().GetResult();
        Console.WriteLine(
            $"// {engine}: generated {d.Students.Count:N0} students, {d.Schools.Count} schools, {d.Artifacts.Count:N0} artifacts, "
            + $"{d.Evaluations.Count:N0} evaluations, {d.Milestones.Count:N0} milestones, {d.Rosters.Count:N0} rosters in {generated.TotalSeconds:F1} s; "
            + $"bulk load {watch.Elapsed.TotalSeconds:F1} s");
        return (store, district);
    }

    public static CoverageReportRequest CoverageRequest(SyntheticDistrict district)
    {
        var r = district.ReadinessRequest();
        return new CoverageReportRequest(r.Year, r.Skills, r.Rule, r.TransitionGrades);
    }

    /// <summary>
    /// The request under another evidence rule than the district's (one more artifact per skill): the maintained rows
    /// do not serve it, so a SQL store computes it from the alignments, in parts, as every report was computed before
    /// the maintained counts (today's query).
    /// </summary>
    public static ReadinessReportRequest AnotherRule(ReadinessReportRequest request) =>
        request with { Rule = request.Rule with { MinimumArtifactsPerSkill = request.Rule.MinimumArtifactsPerSkill + 1 } };

    /// <summary>Throws unless every report equals the in-memory store's for its request over the same district.</summary>
    public static void CheckAgainstInMemory(SyntheticDistrict district, params (ReadinessReportRequest Request, ReadinessReport Report)[] reports)
    {
        var oracle = new InMemoryBackpackStore();
        oracle.LoadAsync(district.Data).GetAwaiter().GetResult();
        foreach (var (request, report) in reports)
        {
            if (report != oracle.GetReadinessReportAsync(request).GetAwaiter().GetResult())
            {
                throw new InvalidOperationException($"The SQL store's readiness report under {request.Rule} differs from the in-memory store's.");
            }
        }
    }

    public static async Task RunAsync(int students, string? only)
    {
        foreach (var engine in StoreFactory.Engines.Where(e => only is null || string.Equals(e, only, StringComparison.OrdinalIgnoreCase)))
        {
            var (store, district) = Load(engine, students);
            var readiness = district.ReadinessRequest();
            var coverage = CoverageRequest(district);
            var anotherRule = AnotherRule(readiness);
            var before = Stopwatch.StartNew();
            var today = await store.GetReadinessReportAsync(anotherRule);
            Console.WriteLine($"// {engine}: today's query (from the alignments, another rule) {before.Elapsed.TotalMilliseconds:F0} ms");
            CheckAgainstInMemory(district, (anotherRule, today), (readiness, await store.GetReadinessReportAsync(readiness)));

            foreach (var (name, report) in new (string, Func<Task>)[] { ("readiness", () => store.GetReadinessReportAsync(readiness)), ("coverage", () => store.GetCoverageReportAsync(coverage)) })
            {
                // One call first, not timed: the JIT compiles the report's code (BenchmarkDotNet's warm-up does the same).
                await report();
                for (var round = 0; round < 5; round++)
                {
                    var watch = Stopwatch.StartNew();
                    await report();
                    Console.WriteLine($"// {engine}: {name} report in SQL {watch.Elapsed.TotalMilliseconds:F0} ms");
                }
            }

            Console.WriteLine($"// {engine}: maintained counts {await StorageCostAsync(engine, store)}");
            if (Environment.GetEnvironmentVariable("BACKPACK_BENCH_KEEP") == "1")
            {
                // To look at query plans afterwards: the database is left in place.
                Console.WriteLine($"// {engine}: kept {StoreFactory.ConnectionString(store)}");
                continue;
            }

            StoreFactory.CleanupAll();
        }
    }

    /// <summary>Rows and on-disk size (tables with their indexes) of the maintained counts.</summary>
    public static async Task<string> StorageCostAsync(string engine, IBackpackStore store)
    {
        string[] tables = ["evidence_counts", "student_years", "readiness_cells", "coverage_cells", "skill_slots", "group_slots", "student_groups"];
        var parts = new List<string>();
        var connection = StoreFactory.ConnectionString(store);
        foreach (var table in tables)
        {
            long rows, bytes;
            if (engine == StoreFactory.Sqlite)
            {
                await using var c = new SqliteConnection(connection);
                await c.OpenAsync();
                rows = await ScalarAsync(c, $"SELECT COUNT(*) FROM {table}");

                // No dbstat in this SQLite build: the pages a DROP TABLE frees (table and indexes), in a transaction rolled back.
                await using var tx = await c.BeginTransactionAsync();
                var free = await ScalarAsync(c, "PRAGMA freelist_count", tx);
                await using (var drop = c.CreateCommand())
                {
                    drop.Transaction = (SqliteTransaction)tx;
                    drop.CommandText = $"DROP TABLE {table}";
                    await drop.ExecuteNonQueryAsync();
                }

                bytes = (await ScalarAsync(c, "PRAGMA freelist_count", tx) - free) * await ScalarAsync(c, "PRAGMA page_size", tx);
                await tx.RollbackAsync();
            }
            else
            {
                await using var c = new NpgsqlConnection(connection);
                await c.OpenAsync();
                rows = await ScalarAsync(c, $"SELECT COUNT(*) FROM {table}");
                bytes = await ScalarAsync(c, $"SELECT pg_total_relation_size('{table}')");
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{table} {rows:N0} rows {bytes / 1048576.0:F1} MB"));
        }

        return string.Join("; ", parts);
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection c, string sql, System.Data.Common.DbTransaction? tx = null)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
