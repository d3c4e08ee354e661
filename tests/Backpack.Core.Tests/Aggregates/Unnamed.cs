using Backpack.Core.Reporting;

namespace Backpack.Core.Tests.Aggregates;

/// <summary>A report without the names the service puts beside ids, to compare its counts with a store's or a naive recomputation's.</summary>
internal static class Unnamed
{
    public static ReadinessReport Of(ReadinessReport r) => r with
    {
        Rows = r.Rows.Select(x => x with { SchoolName = string.Empty, NotReadyBySkill = x.NotReadyBySkill.Select(g => g with { SkillName = string.Empty }).ToValueList() }).ToValueList(),
    };

    public static LevelDistributionReport Of(LevelDistributionReport r) => r with
    {
        Rows = r.Rows.Select(x => x with { SchoolName = string.Empty, CriterionName = string.Empty }).ToValueList(),
    };

    public static ValueList<CoverageReportRow> Of(IEnumerable<CoverageReportRow> rows) => rows.Select(Of).ToValueList();

    public static CoverageReportRow Of(CoverageReportRow x) => x with { SchoolName = string.Empty, Skills = x.Skills.Select(s => s with { SkillName = string.Empty }).ToValueList() };

    public static ValueList<CoverageGroupRow> Of(IEnumerable<CoverageGroupRow> groups) => groups.Select(g => g with { Row = Of(g.Row) }).ToValueList();

    public static StudentGrowth Of(StudentGrowth g) => g with { Skills = g.Skills.Select(s => s with { SkillName = string.Empty }).ToValueList() };

    public static ValueList<GrowthShare> Of(IEnumerable<GrowthShare> shares) => shares.Select(s => s with { SkillName = string.Empty }).ToValueList();
}
