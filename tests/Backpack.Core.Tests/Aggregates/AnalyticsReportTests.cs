using Backpack.Core.Access;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Backpack.Core.Tests.Aggregates;

/// <summary>Coverage, growth and defense outcomes through the report service, against naive recomputations on a generated district.</summary>
public sealed class AnalyticsReportTests
{
    private static readonly SyntheticDistrict District = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Seed = 5, Students = 600, Schools = 4, EvaluatedArtifactShare = 0.5 });
    private readonly Actor _admin = Actor.ForDistrictAdmin(PersonId.New());

    private static SchoolYear Year => District.CurrentYear;

    [Fact]
    public async Task GetCoverageReportAsync_MinimumCellSizeOne_EqualsNaiveRecomputation()
    {
        await using var provider = await ProviderAsync(1);

        var report = await provider.GetRequiredService<ReportService>().GetCoverageReportAsync(_admin, District.FrameworkId, Year);

        var (rows, groups) = NaiveCoverage();
        Assert.Equal(rows, Unnamed.Of(report.Rows));
        Assert.Equal(groups, Unnamed.Of(report.Groups));
        Assert.Equal(
            rows.GroupBy(r => r.Grade).OrderBy(g => g.Key).Select(g => (g.Key, g.Sum(r => r.Students), g.Sum(r => r.Skills.Sum(s => s.WithEvidence)))),
            report.District.Select(d => (d.Grade, d.Students, d.Skills.Sum(s => s.WithEvidence))));
        Assert.Contains(report.Groups, g => g.Group == "iep");
        var gaps = report.LargestGaps(10);
        Assert.Equal(10, gaps.Count);
        Assert.Equal(gaps.OrderBy(g => g.Gap).Select(g => g.Gap), gaps.Select(g => g.Gap));
        Assert.True(gaps[0].Gap < 0);
        var worst = report.Rows.Single(r => r.SchoolId == gaps[0].SchoolId && r.Grade == gaps[0].Grade);
        Assert.Equal(worst.ShareWithEvidence(gaps[0].SkillId), gaps[0].Share);
    }

    [Fact]
    public async Task GetCoverageReportAsync_MinimumCellSize25_ShownCountsBelongToGroupsOfAtLeast25()
    {
        await using var provider = await ProviderAsync(25);

        var report = await provider.GetRequiredService<ReportService>().GetCoverageReportAsync(_admin, District.FrameworkId, Year);

        var (raw, _) = NaiveCoverage();
        Assert.Contains(raw, r => r.Students < 25);
        Assert.Contains(report.Rows, r => r.Students is not null && r.Skills.Any(s => s.WithEvidence is not null));
        foreach (var (shown, truth) in report.Rows.Zip(raw))
        {
            Assert.True(shown.Students is null || (shown.Students == truth.Students && truth.Students >= 25));
            foreach (var (s, t) in shown.Skills.Zip(truth.Skills))
            {
                Assert.True(s.WithEvidence is null || (s.WithEvidence == t.WithEvidence && shown.Students is not null && (t.WithEvidence is 0 or >= 25) && (truth.Students - t.WithEvidence is 0 or >= 25)));
            }
        }
    }

    [Fact]
    public async Task GetCoverageReportAsync_SchoolAdmin_OwnSchoolRowsBesideTheDistrictRows()
    {
        await using var provider = await ProviderAsync(1);
        var reports = provider.GetRequiredService<ReportService>();
        var school = District.Schools[1];
        var all = await reports.GetCoverageReportAsync(_admin, District.FrameworkId, Year);

        var own = await reports.GetCoverageReportAsync(Actor.ForSchoolAdmin(PersonId.New(), school), District.FrameworkId, Year, school);

        Assert.Equal(all.Rows.Where(r => r.SchoolId == school), own.Rows);
        Assert.NotEmpty(own.Rows);
        Assert.Equal(all.District, own.District);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => reports.GetCoverageReportAsync(Actor.ForSchoolAdmin(PersonId.New(), school), District.FrameworkId, Year, District.Schools[0]));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => reports.GetCoverageReportAsync(Actor.ForSchoolAdmin(PersonId.New(), school), District.FrameworkId, Year));
        Assert.Contains(provider.GetRequiredService<InMemoryBackpackStore>().Audit, a => a.Action == "report.coverage" && a.Allowed);
    }

    [Fact]
    public async Task GetStudentGrowthAsync_ScoredStudent_EqualsNaiveFromEvaluations()
    {
        await using var provider = await ProviderAsync(1);
        var student = District.Data.Evaluations.GroupBy(e => e.StudentId).OrderByDescending(g => g.Select(e => e.Context.Year).Distinct().Count()).First().Key;

        var growth = await provider.GetRequiredService<ReportService>().GetStudentGrowthAsync(Actor.ForStudent(student), student);

        Assert.Equal(NaiveStudentGrowth(student), Unnamed.Of(growth));
        Assert.Contains(growth.Skills, s => s.Points.Count >= 2);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => provider.GetRequiredService<ReportService>().GetStudentGrowthAsync(Actor.ForTeacher(PersonId.New()), student));
    }

    [Fact]
    public async Task GetGrowthReportAsync_District_EqualsNaiveByYearAndCohort()
    {
        await using var provider = await ProviderAsync(1);
        var first = new SchoolYear(Year.StartYear - 2);

        var report = await provider.GetRequiredService<ReportService>().GetGrowthReportAsync(_admin, first, Year);

        var results = District.Data.Students.SelectMany(s => NaiveStudentGrowth(s.Id).Skills.SelectMany(k => k.Points.Select(p => (Student: s.Id, k.SkillId, Point: p)))).ToArray();
        var byYear = results.GroupBy(r => (r.Point.Year, r.SkillId)).OrderBy(g => g.Key.Year).ThenBy(g => g.Key.SkillId)
            .Select(g => new GrowthShare(g.Key.Year, null, g.Key.SkillId, g.Count(), g.Count(r => r.Point.Meets)));
        Assert.Equal(byYear, Unnamed.Of(report.ByYear));
        var cohort = Assert.Single(report.Cohorts, c => c.StartYear == first);
        var members = results.Where(r => r.Point.Year == first && r.Point.Grade == GradeLevel.Grade(5)).Select(r => r.Student).ToHashSet();
        Assert.Equal(3, cohort.Points.Count);
        Assert.Equal(GradeLevel.Grade(7), cohort.Points[2].Grade);
        Assert.Equal(results.Count(r => members.Contains(r.Student) && r.Point.Year == Year), cohort.Points[2].Results);
        Assert.Equal(results.Count(r => members.Contains(r.Student) && r.Point.Year == Year && r.Point.Meets), cohort.Points[2].Meeting);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => provider.GetRequiredService<ReportService>().GetGrowthReportAsync(Actor.ForSchoolAdmin(PersonId.New(), District.Schools[0]), first, Year));
        await Assert.ThrowsAsync<BackpackValidationException>(() => provider.GetRequiredService<ReportService>().GetGrowthReportAsync(_admin, Year, first));
    }

    [Fact]
    public async Task GetDefenseOutcomesAsync_SchoolAdminGradeFilter_OwnSchoolsMilestoneResultsOnly()
    {
        await using var provider = await ProviderAsync(1);
        var reports = provider.GetRequiredService<ReportService>();
        var store = provider.GetRequiredService<IBackpackStore>();
        var school = District.Schools[0];
        var all = await store.GetLevelDistributionAsync(new LevelDistributionRequest(Year, District.DefenseRubric) { MilestonesOnly = true });
        var grade = all.Rows.First(r => r.SchoolId == school).Grade;

        var report = await reports.GetDefenseOutcomesAsync(Actor.ForSchoolAdmin(PersonId.New(), school), District.DefenseRubric.Ref, Year, school, [grade]);

        Assert.Equal(all.Rows.Where(r => r.SchoolId == school && r.Grade == grade), Unnamed.Of(report).Rows);
        Assert.NotEmpty(report.Rows);
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => reports.GetDefenseOutcomesAsync(Actor.ForSchoolAdmin(PersonId.New(), school), District.DefenseRubric.Ref, Year, District.Schools[1]));
        await Assert.ThrowsAsync<BackpackAccessDeniedException>(() => reports.GetDefenseOutcomesAsync(Actor.ForSchoolAdmin(PersonId.New(), school), District.DefenseRubric.Ref, Year));
    }

    [Fact]
    public async Task ReportService_EveryReport_NamesSchoolsSkillsAndCriteriaBesideTheirIds()
    {
        await using var provider = await ProviderAsync(1);
        var reports = provider.GetRequiredService<ReportService>();
        var schools = (await provider.GetRequiredService<IBackpackStore>().ListSchoolsAsync()).ToDictionary(s => s.Id, s => s.Name);
        var skills = District.Framework.Current!.Content.Skills.ToDictionary(s => s.Id, s => s.Name);
        var criteria = District.DefenseRubric.Criteria.ToDictionary(c => c.Id, c => c.Name);
        Assert.All(schools.Values.Concat(skills.Values).Concat(criteria.Values), n => Assert.False(string.IsNullOrWhiteSpace(n)));

        var readiness = await reports.GetReadinessReportAsync(_admin, District.FrameworkId, Year);
        var coverage = await reports.GetCoverageReportAsync(_admin, District.FrameworkId, Year);
        var outcomes = await reports.GetDefenseOutcomesAsync(_admin, District.DefenseRubric.Ref, Year);
        var growth = await reports.GetGrowthReportAsync(_admin, Year, Year);
        var agreement = await reports.GetAgreementAsync(_admin, District.DefenseRubric.Ref, Year);

        Assert.NotEmpty(readiness.Rows);
        Assert.All(readiness.Rows, r => Assert.Equal(schools[r.SchoolId], r.SchoolName));
        Assert.All(readiness.Rows.SelectMany(r => r.NotReadyBySkill), g => Assert.Equal(skills[g.SkillId], g.SkillName));
        Assert.All(coverage.Rows, r => Assert.Equal(schools[r.SchoolId!.Value], r.SchoolName));
        Assert.All(coverage.District, r => Assert.Equal(string.Empty, r.SchoolName));
        Assert.All(coverage.Rows.Concat(coverage.District).SelectMany(r => r.Skills), s => Assert.Equal(skills[s.SkillId], s.SkillName));
        Assert.All(coverage.LargestGaps(5), g => Assert.Equal((schools[g.SchoolId], skills[g.SkillId]), (g.SchoolName, g.SkillName)));
        Assert.NotEmpty(outcomes.Rows);
        Assert.All(outcomes.Rows, r => Assert.Equal((schools[r.SchoolId], criteria[r.CriterionId]), (r.SchoolName, r.CriterionName)));
        Assert.Contains(growth.ByYear, g => g.SkillId is not null);
        Assert.All(growth.ByYear, g => Assert.Equal(g.SkillId is { } k ? skills[k] : string.Empty, g.SkillName));
        Assert.All(agreement, a => Assert.Equal(criteria[CriterionId.Parse(a.Criterion)], a.CriterionName));
    }

    /// <summary>Per student, skill and year: each subject's criterion result by <see cref="EvaluationCombiner.Combine"/>, then the lower median by position.</summary>
    private static StudentGrowth NaiveStudentGrowth(StudentId student)
    {
        var rubrics = new[] { District.SkillsRubric, District.DefenseRubric }.ToDictionary(r => r.Ref);
        var points = District.Data.Evaluations
            .Where(e => e.StudentId == student)
            .GroupBy(e => (Subject: e.ArtifactId?.Value ?? e.MilestoneId!.Value.Value, e.Rubric))
            .SelectMany(g => EvaluationCombiner.Combine(rubrics[g.Key.Rubric], g, ScoreCombination.MedianLevel)
                .Select(r => (Criterion: rubrics[g.Key.Rubric].FindCriterion(r.CriterionId)!, Result: r, g.First().Context)))
            .Where(x => x.Criterion.SkillId is not null)
            .GroupBy(x => (Skill: x.Criterion.SkillId!.Value, x.Context.Year))
            .Select(g =>
            {
                var ordered = g.OrderBy(x => x.Result.Level.Position).ThenBy(x => x.Result.MeetsBar).ThenBy(x => x.Result.Level.Name, StringComparer.Ordinal).ThenBy(x => x.Context.Grade).ToArray();
                var mid = ordered[(ordered.Length - 1) / 2];
                return (g.Key.Skill, Point: new GrowthPoint(g.Key.Year, mid.Context.Grade, mid.Result.Level.Name, mid.Result.Level.Position, mid.Result.MeetsBar));
            });
        return new StudentGrowth(student, points.GroupBy(p => p.Skill).OrderBy(g => g.Key).Select(g => new SkillGrowth(g.Key, g.Select(p => p.Point).OrderBy(p => p.Year).ToValueList())).ToValueList());
    }

    /// <summary>Per student of the year at their latest enrollment: per skill of their band, evidence captured that year, and the readiness check's verdict.</summary>
    private static (ValueList<CoverageReportRow> Rows, ValueList<CoverageGroupRow> Groups) NaiveCoverage()
    {
        var content = District.Framework.Current!.Content;
        var byStudent = District.Data.Artifacts.ToLookup(a => a.StudentId);
        var students = District.Data.Students
            .Select(s => (Student: s, At: s.LatestEnrollmentIn(Year)))
            .Where(x => x.At is not null)
            .Select(x =>
            {
                var band = TransitionGrades.Default.BandOf(x.At!.Grade);
                var skills = content.ActiveSkills(Year).Where(s => s.AppliesTo(band)).ToArray();
                var check = ReadinessCheck.Check(x.Student.Id, content, Year, band, byStudent[x.Student.Id], new EvidenceRule());
                return (x.Student, x.At, Skills: skills.Select(s => (s.Id, Evidence: byStudent[x.Student.Id].Any(a => a.IsCollected && a.Captured.Year == Year && a.Alignments.Any(al => al.SkillId == s.Id)), Meets: check.Gaps.All(g => g.SkillId != s.Id))).ToArray());
            })
            .ToArray();
        CoverageReportRow Row(SchoolId? school, GradeLevel grade, IEnumerable<(SkillId Id, bool Evidence, bool Meets)[]> group)
        {
            var all = group.ToArray();
            return new CoverageReportRow(school, grade, all.Length, all[0].Select((s, i) => new CoverageSkillCount(s.Id, all.Count(x => x[i].Evidence), all.Count(x => x[i].Meets))).ToValueList());
        }

        var rows = students.GroupBy(x => (x.At!.SchoolId, x.At.Grade)).OrderBy(g => g.Key.SchoolId).ThenBy(g => g.Key.Grade).Select(g => Row(g.Key.SchoolId, g.Key.Grade, g.Select(x => x.Skills))).ToValueList();
        var groups = students.SelectMany(x => x.Student.Groups.Select(group => (Group: group, x.At!.Grade, x.Skills)))
            .GroupBy(x => (x.Group, x.Grade)).OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.Grade)
            .Select(g => new CoverageGroupRow(g.Key.Group, Row(null, g.Key.Grade, g.Select(x => x.Skills)))).ToValueList();
        return (rows, groups);
    }

    private static async Task<ServiceProvider> ProviderAsync(int? minimumCellSize)
    {
        var services = new ServiceCollection();
        services.AddBackpack(o =>
        {
            o.DistrictId = "analytics";
            if (minimumCellSize is { } k)
            {
                o.MinimumCellSize = k;
            }
        }).UseInMemoryStore();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<InMemoryBackpackStore>().LoadAsync(District.Data);
        return provider;
    }
}
