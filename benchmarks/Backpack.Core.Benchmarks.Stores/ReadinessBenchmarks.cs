using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.StoreContract;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// The readiness report of a district of 2,000 students: computed in SQL by the store, against loading every
/// student's passport and checking each with <see cref="ReadinessCheck.Check"/> in memory.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8)]
public class ReadinessBenchmarks
{
    private IBackpackStore? _store;
    private SmallDistrict? _district;
    private ReadinessReportRequest? _request;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = StoreFactory.Sqlite;

    public static IEnumerable<string> Engines => StoreFactory.Engines;

    [GlobalSetup]
    public void Setup()
    {
        _store = StoreFactory.Create(Engine);
        _district = SmallDistrict.Generate(seed: 3, students: 2_000, artifactsPerStudent: 8);
        ((IBulkLoader)_store).LoadAsync(_district.Data).GetAwaiter().GetResult();
        _request = _district.Request();
        var sql = _store.GetReadinessReportAsync(_request).GetAwaiter().GetResult();
        if (sql != LoadAllThenAggregate().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The SQL report differs from the in-memory one.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => StoreFactory.CleanupAll();

    [Benchmark(Baseline = true)]
    public async Task<ReadinessReport> LoadAllThenAggregate()
    {
        var request = _request!;
        var content = _district!.Content;
        var rows = new Dictionary<(SchoolId, Students.GradeLevel), (int Students, int Ready, Dictionary<SkillId, int> Gaps)>();
        foreach (var id in _district.Data.Students.Select(s => s.Id))
        {
            var passport = (await _store!.LoadPassportAsync(id))!;
            if (passport.Student.LatestEnrollmentIn(request.Year) is not { } e)
            {
                continue;
            }

            var result = ReadinessCheck.Check(id, content, request.Year, request.TransitionGrades.BandOf(e.Grade), passport.Artifacts, request.Rule);
            var key = (e.SchoolId, e.Grade);
            if (!rows.TryGetValue(key, out var row))
            {
                row = (0, 0, request.Skills.ToDictionary(s => s, _ => 0));
            }

            foreach (var gap in result.Gaps)
            {
                row.Gaps[gap.SkillId]++;
            }

            rows[key] = (row.Students + 1, row.Ready + (result.IsReady ? 1 : 0), row.Gaps);
        }

        return new ReadinessReport(
            request.Year,
            rows.Select(r => new ReadinessReportRow(r.Key.Item1, r.Key.Item2, r.Value.Students, r.Value.Ready, request.Skills.Select(s => new SkillGapCount(s, r.Value.Gaps[s])).ToValueList())).ToValueList()).Normalize();
    }

    [Benchmark]
    public Task<ReadinessReport> Sql() => _store!.GetReadinessReportAsync(_request!);
}
