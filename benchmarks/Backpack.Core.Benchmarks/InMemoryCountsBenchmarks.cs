using Backpack.Core.Reporting;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using BenchmarkDotNet.Attributes;

namespace Backpack.Core.Benchmarks;

/// <summary>
/// The in-memory store's readiness and coverage reports over the full-size synthetic district (96,000 students),
/// against a plain scan of flat arrays holding the same per-student maintained counts (copied out of the store in
/// setup with <see cref="InMemoryBackpackStore.GetMaintainedCounts"/>): the store's report may cost at most 3x that scan.
/// Setup checks the scan and the store give the same readiness report.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class InMemoryCountsBenchmarks
{
    private InMemoryBackpackStore _store = null!;
    private ReadinessReportRequest _request = null!;
    private CoverageReportRequest _coverage = null!;

    // Per student of the year: school (dense index), grade slot, and the range of their counts in the flat arrays.
    private int[] _school = [];
    private int[] _gradeSlot = [];
    private int[] _start = [];
    private int[] _skill = [];
    private int[] _year = [];
    private int[] _grade = [];
    private int[] _n = [];
    private int[] _r = [];
    private SchoolId[] _schools = [];

    [GlobalSetup]
    public void Setup()
    {
        var district = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Students = 96_000 });
        _store = new InMemoryBackpackStore();
        _store.LoadAsync(district.Data).GetAwaiter().GetResult();
        _request = district.ReadinessRequest();
        _coverage = new CoverageReportRequest(_request.Year, _request.Skills, _request.Rule, _request.TransitionGrades);
        _schools = district.Data.Schools.Select(s => s.Id).Order().ToArray();
        var schoolIndex = _schools.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var skillIndex = _request.Skills.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        List<int> school = [], gradeSlot = [], start = [0], skill = [], year = [], grade = [], n = [], r = [];
        foreach (var student in district.Data.Students)
        {
            if (student.LatestEnrollmentIn(_request.Year) is not { } at)
            {
                continue;
            }

            school.Add(schoolIndex[at.SchoolId]);
            gradeSlot.Add(at.Grade.Ordinal + 1);
            foreach (var c in _store.GetMaintainedCounts(student.Id).Where(c => skillIndex.ContainsKey(c.SkillId)))
            {
                skill.Add(skillIndex[c.SkillId]);
                year.Add(c.Year.StartYear);
                grade.Add(c.Grade.Ordinal);
                n.Add(c.Reasoned);
                r.Add(c.ReasonedReflected);
            }

            start.Add(skill.Count);
        }

        (_school, _gradeSlot, _start, _skill, _year, _grade, _n, _r) = (school.ToArray(), gradeSlot.ToArray(), start.ToArray(), skill.ToArray(), year.ToArray(), grade.ToArray(), n.ToArray(), r.ToArray());
        if (!ArrayScan().Equals(InMemoryStore().GetAwaiter().GetResult()))
        {
            throw new InvalidOperationException("The array scan and the store disagree; the benchmark would compare different work.");
        }
    }

    /// <summary>The same counts in plain arrays, one pass, per-skill counters on the stack (default rule: reasoning required).</summary>
    [Benchmark(Baseline = true)]
    public ReadinessReport ArrayScan()
    {
        const int Grades = 14;
        var k = _request.Skills.Count;
        var year = _request.Year.StartYear;
        var minimumArtifacts = _request.Rule.MinimumArtifactsPerSkill;
        var minimumReflections = _request.Rule.MinimumReflectionsPerSkill;
        Span<int> from = stackalloc int[Grades];
        Span<int> to = stackalloc int[Grades];
        for (var g = 0; g < Grades; g++)
        {
            var band = _request.TransitionGrades.BandOf(GradeLevel.FromOrdinal(g - 1));
            (from[g], to[g]) = (band.From.Ordinal, band.To.Ordinal);
        }

        var students = new int[_schools.Length * Grades];
        var ready = new int[students.Length];
        var notReady = new int[students.Length * k];
        Span<int> n = stackalloc int[k];
        Span<int> r = stackalloc int[k];
        for (var s = 0; s < _school.Length; s++)
        {
            n.Clear();
            r.Clear();
            var slot = _gradeSlot[s];
            for (var i = _start[s]; i < _start[s + 1]; i++)
            {
                if (_year[i] <= year && _grade[i] >= from[slot] && _grade[i] <= to[slot])
                {
                    n[_skill[i]] += _n[i];
                    r[_skill[i]] += _r[i];
                }
            }

            var row = (_school[s] * Grades) + slot;
            students[row]++;
            var all = true;
            for (var p = 0; p < k; p++)
            {
                if (n[p] < minimumArtifacts || r[p] < minimumReflections)
                {
                    notReady[(row * k) + p]++;
                    all = false;
                }
            }

            ready[row] += all ? 1 : 0;
        }

        var rows = new List<ReadinessReportRow>();
        for (var row = 0; row < students.Length; row++)
        {
            if (students[row] > 0)
            {
                var gaps = _request.Skills.Select((skill, p) => new SkillGapCount(skill, notReady[(row * k) + p])).ToValueList();
                rows.Add(new ReadinessReportRow(_schools[row / Grades], GradeLevel.FromOrdinal((row % Grades) - 1), students[row], ready[row], gaps));
            }
        }

        return new ReadinessReport(_request.Year, rows.ToValueList());
    }

    [Benchmark]
    public Task<ReadinessReport> InMemoryStore() => _store.GetReadinessReportAsync(_request);

    [Benchmark]
    public Task<CoverageReport> InMemoryCoverage() => _store.GetCoverageReportAsync(_coverage);
}
