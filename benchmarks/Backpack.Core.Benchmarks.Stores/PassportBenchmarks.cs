using Backpack.Core.Artifacts;
using Backpack.Core.Storage;
using Backpack.Core.TestSupport.StoreContract;
using BenchmarkDotNet.Attributes;

namespace Backpack.Core.Benchmarks.Stores;

/// <summary>
/// Loading one student's passport with 600 artifacts (plus evaluations and milestones) from a SQLite file
/// that also holds other students' work: one UNION ALL query against four separate reads.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PassportBenchmarks
{
    private IBackpackStore? _store;
    private StudentId _student;

    [GlobalSetup]
    public void Setup()
    {
        _store = StoreFactory.Create(StoreFactory.Sqlite);
        var district = SmallDistrict.Generate(seed: 2, students: 100, artifactsPerStudent: 50);
        ((IBulkLoader)_store).LoadAsync(district.Data).GetAwaiter().GetResult();
        var school = TestData.School();
        var student = TestData.Student(school.Id);
        var skill = district.Content.Skills[0].Id;
        var rubric = district.Rubric;
        var artifacts = Enumerable.Range(0, 600).Select(i => TestData.Rich(TestData.Artifact(student.Id, school.Id, createdAt: TestData.T0.AddMinutes(i)), skill)).ToArray();
        var changes = new ChangeSet().Put(school).Put(student);
        foreach (var a in artifacts)
        {
            changes.Put(a);
        }

        foreach (var a in artifacts.Take(60))
        {
            changes.Put(TestData.Evaluation(rubric, student.Id, school.Id, a.Id));
        }

        changes.Put(TestData.Milestone(student.Id, school.Id, rubric));
        _store.SaveAsync(changes).GetAwaiter().GetResult();
        _student = student.Id;
    }

    [GlobalCleanup]
    public void Cleanup() => StoreFactory.CleanupAll();

    [Benchmark(Baseline = true)]
    public async Task<int> FourReads()
    {
        var store = _store!;
        var s = await store.GetStudentAsync(_student);
        var a = await store.ListArtifactsAsync(_student);
        var e = await store.ListEvaluationsAsync(_student);
        var m = await store.ListMilestonesAsync(_student);
        return (s is null ? 0 : 1) + a.Count + e.Count + m.Count;
    }

    [Benchmark]
    public async Task<int> LoadPassport()
    {
        var p = (await _store!.LoadPassportAsync(_student))!;
        return 1 + p.Artifacts.Count + p.Evaluations.Count + p.Milestones.Count;
    }
}
