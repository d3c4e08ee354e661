using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>The coverage report, the scores of growth reports and the defense-outcome filters, against naive computations.</summary>
public abstract partial class StoreContractTests
{
    private static CoverageReportRequest CoverageRequest(SmallDistrict district, EvidenceRule? rule = null, TransitionGrades? transitions = null)
    {
        var r = district.Request(rule);
        return new CoverageReportRequest(r.Year, r.Skills, r.Rule, transitions ?? r.TransitionGrades);
    }

    [StoreTheory]
    [MemberData(nameof(Rules))]
    public async Task GetCoverageReportAsync_GeneratedDistrict_EqualsNaiveComputation(int seed, int artifacts, int reflections, bool reasoning)
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed);
        await store.Bulk().LoadAsync(district.Data);
        var request = CoverageRequest(district, new EvidenceRule { MinimumArtifactsPerSkill = artifacts, MinimumReflectionsPerSkill = reflections, RequireReasoning = reasoning });

        var report = await store.GetCoverageReportAsync(request);

        Assert.Equal(district.NaiveCoverage(request), report);
        Assert.Contains(report.Rows, r => r.Skills.Any(s => s.WithEvidence > 0));
        Assert.Contains(report.Groups, g => g.Group == "iep");
    }

    [StoreFact]
    public async Task GetCoverageReportAsync_FiltersOtherBandsAndAfterSaves_EqualNaiveComputation()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 23, students: 90);
        await store.Bulk().LoadAsync(district.Data);
        var filtered = CoverageRequest(district, transitions: new TransitionGrades([GradeLevel.Grade(4), GradeLevel.Grade(8)])) with
        {
            Grades = ValueList.Of(GradeLevel.Grade(5), GradeLevel.Grade(9), GradeLevel.Grade(12)),
            Schools = ValueList.Of(district.Data.Schools[0].Id, district.Data.Schools[2].Id),
        };
        Assert.Equal(district.NaiveCoverage(filtered), await store.GetCoverageReportAsync(filtered));

        // A student moves to another school and grade band, and gets new evidence: the default request follows.
        var request = CoverageRequest(district);
        var student = district.Data.Students.First(s => s.LatestEnrollmentIn(TestData.Year) is { Grade.Ordinal: < 5 });
        var moved = student.TransferTo(district.Data.Schools[1].Id, GradeLevel.Grade(7), TestData.Year, student.Enrollments.Max(e => e.EntryDate).AddDays(3));
        var added = TestData.Rich(TestData.Artifact(student.Id, district.Data.Schools[1].Id, 7), request.Skills[1]);
        await store.SaveAsync(TestData.Set(moved with { Version = 1 }, added));
        var after = district.Data with
        {
            Students = district.Data.Students.Select(s => s.Id == student.Id ? moved : s).ToArray(),
            Artifacts = [.. district.Data.Artifacts, added],
        };
        Assert.Equal(district.NaiveCoverage(request, after), await store.GetCoverageReportAsync(request));
        Assert.Empty((await store.GetCoverageReportAsync(request with { Year = new SchoolYear(2031) })).Rows);
    }

    [StoreFact]
    public async Task ListScoresAsync_GeneratedDistrict_EveryScoreOfTheYears()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 17, students: 50);
        await store.Bulk().LoadAsync(district.Data);

        var scores = await store.ListScoresAsync(TestData.Year, TestData.Year);

        var expected = district.Data.Evaluations
            .Where(e => e.Context.Year == TestData.Year)
            .SelectMany(e => e.Scores.Select(s => new ScoreRecord(e.StudentId, e.Rubric, e.ArtifactId?.Value ?? e.MilestoneId!.Value.Value, e.MilestoneId is not null, e.Context with { Course = null }, s.CriterionId, s.LevelId)))
            .OrderBy(s => s.ToString(), StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, scores.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray());
        Assert.Contains(scores, s => s.IsMilestone);
        Assert.Equal(district.Data.Evaluations.Sum(e => e.Scores.Count), (await store.ListScoresAsync(TestData.Year.Previous, TestData.Year)).Count);
    }

    [StoreFact]
    public async Task GetLevelDistributionAsync_MilestonesOnlyAndGrades_EqualsNaiveComputationFiltered()
    {
        var store = Store();
        var district = SmallDistrict.Generate(seed: 37, students: 120);
        await store.Bulk().LoadAsync(district.Data);
        var outcomes = new LevelDistributionRequest(TestData.Year, district.Rubric) { MilestonesOnly = true };

        var all = await store.GetLevelDistributionAsync(outcomes);
        var grades = all.Rows.Select(r => r.Grade).Distinct().Take(2).ToValueList();
        var someGrades = await store.GetLevelDistributionAsync(outcomes with { Grades = grades });

        Assert.Equal(district.NaiveLevels(outcomes), all);
        Assert.NotEmpty(all.Rows);
        Assert.True(all.Rows.Sum(r => r.Total) < (await store.GetLevelDistributionAsync(new LevelDistributionRequest(TestData.Year, district.Rubric))).Rows.Sum(r => r.Total));
        Assert.Equal(district.NaiveLevels(outcomes with { Grades = grades }), someGrades);
        Assert.All(someGrades.Rows, r => Assert.Contains(r.Grade, grades));
    }
}
