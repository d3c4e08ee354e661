using Backpack.Core.Access;
using Backpack.Core.Reporting;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Tests.Aggregates;

/// <summary>The report service over a generated district: small groups withheld with the district's minimum cell size, and level distributions for one school.</summary>
public sealed class ReportServiceTests
{
    private static readonly SyntheticDistrict District = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Seed = 11, Students = 400, Schools = 3, EvaluatedArtifactShare = 0.6 });
    private static readonly SchoolId Tiny = SchoolId.From(new Guid("00000000-0000-4000-8000-00000000beef"));
    private readonly Actor _admin = Actor.ForDistrictAdmin(PersonId.New());

    private static SchoolYear Year => District.CurrentYear;

    [Fact]
    public async Task GetReadinessReportAsync_OneSchoolAndGradeWithOneStudent_EveryCountWithheld()
    {
        await using var provider = await ProviderAsync(minimumCellSize: null);

        var report = await provider.GetRequiredService<ReportService>().GetReadinessReportAsync(_admin, District.FrameworkId, Year, Tiny, [GradeLevel.Grade(5)]);

        var row = Assert.Single(report.Rows);
        Assert.Null(row.Students);
        Assert.Null(row.Ready);
        Assert.All(row.NotReadyBySkill, g => Assert.True(g.IsWithheld));
        Assert.Null(row.ShareReady);
        Assert.Equal(0, report.Students);
    }

    [Fact]
    public async Task GetReadinessReportAsync_WholeDistrict_StoreReportSuppressedWithTheDistrictMinimum()
    {
        await using var provider = await ProviderAsync(minimumCellSize: 12);
        var options = provider.GetRequiredService<IOptions<BackpackOptions>>().Value;
        var request = new ReadinessReportRequest(Year, District.Framework.Current!.Content.ActiveSkills(Year).Select(s => s.Id).ToValueList(), options.EvidenceRule, options.Transitions);
        var raw = await provider.GetRequiredService<IBackpackStore>().GetReadinessReportAsync(request);

        var report = await provider.GetRequiredService<ReportService>().GetReadinessReportAsync(_admin, District.FrameworkId, Year);

        Assert.Equal(ReportSuppression.Suppress(raw, 12), Unnamed.Of(report));
        Assert.Contains(raw.Rows, r => r.Students < 12);
        Assert.All(report.Rows.Zip(raw.Rows).Where(p => p.Second.Students < 12), p => Assert.Null(p.First.Students));
        Assert.DoesNotContain(report.Rows, r => r.Students is { } n && n < 12);
    }

    [Fact]
    public async Task GetReadinessReportAsync_MinimumCellSizeOne_StoreReportUnchanged()
    {
        await using var provider = await ProviderAsync(minimumCellSize: 1);
        var options = provider.GetRequiredService<IOptions<BackpackOptions>>().Value;
        var request = new ReadinessReportRequest(Year, District.Framework.Current!.Content.ActiveSkills(Year).Select(s => s.Id).ToValueList(), options.EvidenceRule, options.Transitions);

        var report = await provider.GetRequiredService<ReportService>().GetReadinessReportAsync(_admin, District.FrameworkId, Year);

        Assert.Equal(await provider.GetRequiredService<IBackpackStore>().GetReadinessReportAsync(request), Unnamed.Of(report));
        Assert.DoesNotContain(report.Rows, r => r.HasWithheldCounts);
    }

    [Fact]
    public async Task GetLevelDistributionAsync_SchoolAdminOwnSchool_ThatSchoolsRowsOnly()
    {
        await using var provider = await ProviderAsync(minimumCellSize: 1);
        var school = District.Schools[0];
        var all = await provider.GetRequiredService<ReportService>().GetLevelDistributionAsync(_admin, District.DefenseRubric.Ref, Year);

        var report = await provider.GetRequiredService<ReportService>().GetLevelDistributionAsync(Actor.ForSchoolAdmin(PersonId.New(), school), District.DefenseRubric.Ref, Year, school);

        Assert.NotEmpty(report.Rows);
        Assert.Equal(all with { Rows = all.Rows.Where(r => r.SchoolId == school).ToValueList() }, report);
    }

    [Fact]
    public async Task GetLevelDistributionAsync_SchoolAdminOtherOrNoSchool_Denied()
    {
        await using var provider = await ProviderAsync(minimumCellSize: null);
        var reports = provider.GetRequiredService<ReportService>();
        var principal = Actor.ForSchoolAdmin(PersonId.New(), District.Schools[0]);

        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => reports.GetLevelDistributionAsync(principal, District.DefenseRubric.Ref, Year, District.Schools[1]));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => reports.GetLevelDistributionAsync(principal, District.DefenseRubric.Ref, Year));
    }

    [Fact]
    public async Task GetLevelDistributionAsync_DefaultMinimum_SmallGroupsWithheld()
    {
        await using var provider = await ProviderAsync(minimumCellSize: null);
        var rubric = District.DefenseRubric;
        var raw = await provider.GetRequiredService<IBackpackStore>().GetLevelDistributionAsync(new LevelDistributionRequest(Year, rubric));

        var report = await provider.GetRequiredService<ReportService>().GetLevelDistributionAsync(_admin, rubric.Ref, Year);

        Assert.Contains(raw.Rows, r => r.Total < 10);
        Assert.All(report.Rows.Zip(raw.Rows), p =>
        {
            Assert.Equal((p.Second.SchoolId, p.Second.Grade, p.Second.CriterionId), (p.First.SchoolId, p.First.Grade, p.First.CriterionId));
            if (p.Second.Total < 10)
            {
                Assert.Null(p.First.Total);
                Assert.Null(p.First.AtOrAboveMeets);
                Assert.All(p.First.Levels, l => Assert.True(l.IsWithheld));
            }
        });
        Assert.All(report.Rows.SelectMany(r => r.Levels), l => Assert.True(l.Count is null or 0 or >= 10));
    }

    [Fact]
    public void Validate_MinimumCellSizeBelowOne_FailsNamingSettingAndValue()
    {
        var result = new BackpackOptionsValidator().Validate(null, new BackpackOptions { DistrictId = "jeffco", MinimumCellSize = 0 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Backpack:MinimumCellSize is 0", StringComparison.Ordinal));
        Assert.Equal(10, new BackpackOptions().MinimumCellSize);
        Assert.True(new BackpackOptionsValidator().Validate(null, new BackpackOptions { DistrictId = "jeffco", MinimumCellSize = 1 }).Succeeded);
    }

    /// <summary>The generated district, plus a school with a single fifth grader.</summary>
    private static async Task<ServiceProvider> ProviderAsync(int? minimumCellSize)
    {
        var services = new ServiceCollection();
        services.AddBackpack(o =>
        {
            o.DistrictId = "test-district";
            if (minimumCellSize is { } k)
            {
                o.MinimumCellSize = k;
            }
        }).UseInMemoryStore();
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<InMemoryBackpackStore>();
        await store.LoadAsync(District.Data);
        var lone = new Student(StudentId.New(), "T1", "Tiny Student", [new Enrollment(Tiny, GradeLevel.Grade(5), Year, new DateOnly(Year.StartYear, 8, 20))]);
        await store.SaveAsync(new ChangeSet().Put(new School(Tiny, "Tiny School")).Put(lone));
        return provider;
    }
}
