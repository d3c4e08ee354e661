using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>Bulk load and reports in SQL, checked against naive in-memory computations on a generated district.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task LoadAsync_GeneratedDistrict_EverythingReadable()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 7);

        await store.Bulk().LoadAsync(district.Data);

        Assert.Equal(district.Data.Schools.Count, (await store.ListSchoolsAsync()).Count);
        foreach (var s in district.Data.Students.Take(10))
        {
            var passport = (await store.LoadPassportAsync(s.Id))!;
            Assert.Equal(s with { Version = 1 }, passport.Student);
            Assert.Equal(district.Data.Artifacts.Count(a => a.StudentId == s.Id), passport.Artifacts.Count);
            Assert.Equal(district.Data.Evaluations.Count(a => a.StudentId == s.Id), passport.Evaluations.Count);
        }

        var one = district.Data.Artifacts[0];
        Assert.Equal(one with { Version = 1 }, await store.GetArtifactAsync(one.Id));
        await store.SaveAsync(TestData.Set(one with { Version = 1, Title = "edited after bulk load" }));
        Assert.Equal(2, (await store.GetArtifactAsync(one.Id))!.Version);
    }

    [StoreFact]
    public async Task LoadAsync_DuplicateItem_FailsAndLoadsNothing()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 3, students: 10);
        await store.Bulk().LoadAsync(district.Data);
        var extra = TestData.School("Extra");

        var ex = await Assert.ThrowsAsync<BackpackStoreException>(() => store.Bulk().LoadAsync(new DistrictDataSet { Schools = [extra], Students = [district.Data.Students[0]] }));

        Assert.False(ex.IsTransient);
        Assert.DoesNotContain(await store.ListSchoolsAsync(), s => s.Id == extra.Id);
    }

    public static TheoryData<int, int, int, bool> Rules => new()
    {
        { 11, 2, 1, true },
        { 12, 1, 0, false },
        { 13, 3, 2, true },
        { 14, 0, 0, true },
    };

    [StoreTheory]
    [MemberData(nameof(Rules))]
    public async Task GetReadinessReportAsync_GeneratedDistrict_EqualsNaiveComputation(int seed, int artifacts, int reflections, bool reasoning)
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed);
        await store.Bulk().LoadAsync(district.Data);
        var request = district.Request(new EvidenceRule { MinimumArtifactsPerSkill = artifacts, MinimumReflectionsPerSkill = reflections, RequireReasoning = reasoning });

        var report = await store.GetReadinessReportAsync(request);

        var expected = district.NaiveReadiness(request);
        Assert.Equal(expected, report);
        Assert.True(report.Students > 0);
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task GetReadinessReportAsync_AnyNumberOfParts_EqualsNaiveComputation(int parts)
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 31, students: 150);
        await store.Bulk().LoadAsync(district.Data);
        Database.SetReportPartitions(store, parts); // the in-memory store has no parts: its report is checked as is
        var strict = district.Request(new EvidenceRule { MinimumArtifactsPerSkill = 2, MinimumReflectionsPerSkill = 1, RequireReasoning = true });
        var filtered = district.Request() with { Grades = ValueList.Of(GradeLevel.Grade(5), GradeLevel.Grade(9)), Schools = ValueList.Of(district.Data.Schools[0].Id) };

        Assert.Equal(district.NaiveReadiness(strict), await store.GetReadinessReportAsync(strict));
        Assert.Equal(district.NaiveReadiness(filtered), await store.GetReadinessReportAsync(filtered));
        Assert.Equal(district.NaiveReadiness(district.Request()), await store.GetReadinessReportAsync(district.Request()));
    }

    [StoreFact]
    public async Task GetReadinessReportAsync_ManyReportsAtOnce_EachEqualsNaiveComputation()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 33, students: 90);
        await store.Bulk().LoadAsync(district.Data);
        Database.SetReportPartitions(store, 5);
        var requests = Enumerable.Range(0, 8)
            .Select(i => district.Request(new EvidenceRule { MinimumArtifactsPerSkill = i % 3, MinimumReflectionsPerSkill = i % 2, RequireReasoning = i % 4 == 0 }))
            .ToList();

        var reports = await Task.WhenAll(requests.Select(r => Task.Run(() => store.GetReadinessReportAsync(r))));

        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(district.NaiveReadiness(requests[i]), reports[i]);
        }
    }

    [StoreFact]
    public async Task GetReadinessReportAsync_GradeAndSchoolFiltersAndNoSkills_EqualNaiveComputation()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 21, students: 120);
        await store.Bulk().LoadAsync(district.Data);
        var school = district.Data.Schools[1].Id;
        var filtered = district.Request() with
        {
            Grades = ValueList.Of(GradeLevel.Grade(5), GradeLevel.Grade(8), GradeLevel.Grade(12)),
            Schools = ValueList.Of(school),
            TransitionGrades = new TransitionGrades([GradeLevel.Grade(4), GradeLevel.Grade(8)]),
        };
        var noSkills = district.Request() with { Skills = ValueList<SkillId>.Empty };

        Assert.Equal(district.NaiveReadiness(filtered), await store.GetReadinessReportAsync(filtered));
        Assert.Equal(district.NaiveReadiness(noSkills), await store.GetReadinessReportAsync(noSkills));
        Assert.Empty((await store.GetReadinessReportAsync(district.Request() with { Year = new SchoolYear(2030) })).Rows);
    }

    [StoreFact]
    public async Task GetReadinessReportAsync_AfterSaves_ReflectsCurrentArtifacts()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 5, students: 30);
        await store.Bulk().LoadAsync(district.Data);
        var request = district.Request();
        var skill = request.Skills[0];
        var student = district.Data.Students.First(s => s.LatestEnrollmentIn(TestData.Year) is not null);
        var enrollment = student.LatestEnrollmentIn(TestData.Year)!;
        var added = Enumerable.Range(0, 2).Select(_ => TestData.Rich(TestData.Artifact(student.Id, enrollment.SchoolId, enrollment.Grade.Ordinal), skill)).ToArray();
        await store.SaveAsync(TestData.Set([.. added]));
        var archived = district.Data.Artifacts.Where(a => a.StudentId != student.Id && a.IsCollected).Take(5).Select(a => a with { Version = 1, State = Artifacts.CurationState.Archived }).ToArray();
        await store.SaveAsync(TestData.Set([.. archived]));

        var after = district.Data with
        {
            Artifacts = district.Data.Artifacts.Select(a => archived.FirstOrDefault(r => r.Id == a.Id) ?? a).Concat(added).ToArray(),
        };
        Assert.Equal(district.NaiveReadiness(request, after), await store.GetReadinessReportAsync(request));
    }

    [StoreTheory]
    [InlineData(ScoreCombination.MedianLevel)]
    [InlineData(ScoreCombination.LowestLevel)]
    [InlineData(ScoreCombination.HighestLevel)]
    [InlineData(ScoreCombination.MeanScore)]
    public async Task GetLevelDistributionAsync_GeneratedDistrict_EqualsNaiveComputation(ScoreCombination combination)
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 31, students: 80);
        await store.Bulk().LoadAsync(district.Data);
        var request = new LevelDistributionRequest(TestData.Year, district.Rubric, combination);

        var report = await store.GetLevelDistributionAsync(request);

        Assert.Equal(district.NaiveLevels(request), report);
        Assert.NotEmpty(report.Rows);
    }

    [StoreFact]
    public async Task GetLevelDistributionAsync_SchoolFilter_EqualsNaiveComputationFiltered()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 31, students: 80);
        await store.Bulk().LoadAsync(district.Data);
        var all = new LevelDistributionRequest(TestData.Year, district.Rubric);
        var full = await store.GetLevelDistributionAsync(all);
        var schools = full.Rows.Select(r => r.SchoolId).Distinct().ToList();
        Assert.True(schools.Count >= 2, "the generated district needs results in two schools at least");

        foreach (var named in new[] { schools.Take(1).ToValueList(), schools.Skip(1).ToValueList(), ValueList.Of(SchoolId.New()) })
        {
            var filtered = all with { Schools = named };

            var report = await store.GetLevelDistributionAsync(filtered);

            Assert.Equal(district.NaiveLevels(filtered), report);
            Assert.Equal(full with { Rows = full.Rows.Where(r => named.Contains(r.SchoolId)).ToValueList() }, report);
        }
    }
}
