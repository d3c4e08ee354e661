using Backpack.Core.Reporting;
using Backpack.Core.Testing;
using Backpack.Core.TestSupport;
using BenchmarkDotNet.Attributes;

namespace Backpack.Core.Benchmarks;

/// <summary>
/// The district readiness report (current year, five skills, default evidence rule, every school and
/// grade) over the full-size synthetic district: 96,000 students, 150 schools, about 1,000,000 artifacts.
/// Baseline: a naive LINQ query over the student and artifact lists (group artifacts by student, then by
/// skill). Compared with the same report built on <c>ReadinessCheck.Check</c> per student, and with the
/// in-memory store's indexed <c>GetReadinessReportAsync</c>. All three give the same report (checked in
/// <see cref="Setup"/>).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ReadinessReportBenchmarks
{
    private SyntheticDistrict _district = null!;
    private InMemoryBackpackStore _store = null!;
    private ReadinessReportRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = 96_000 });
        _store = new InMemoryBackpackStore();
        _store.LoadAsync(_district.Data).GetAwaiter().GetResult();
        _request = _district.ReadinessRequest();
        var expected = NaiveLinq();
        if (!expected.Equals(InMemoryStore().GetAwaiter().GetResult()) || !expected.Equals(NaiveReadinessCheck()))
        {
            throw new InvalidOperationException("The implementations disagree; the benchmark would compare different work.");
        }
    }

    [Benchmark(Baseline = true)]
    public ReadinessReport NaiveLinq() => NaiveReports.ReadinessWithLinq(_district.Data.Students, _district.Data.Artifacts, _request);

    [Benchmark]
    public ReadinessReport NaiveReadinessCheck() => NaiveReports.ReadinessWithCheck(_district.Data.Students, _district.Data.Artifacts, _request);

    [Benchmark]
    public Task<ReadinessReport> InMemoryStore() => _store.GetReadinessReportAsync(_request);
}
