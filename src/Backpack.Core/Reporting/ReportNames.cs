using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Reporting;

/// <summary>
/// The names a report shows beside its ids: schools from the roster, skills from the frameworks, criteria from the
/// rubric version reported on. Applied after small groups are withheld, so names never change what is shown.
/// </summary>
internal sealed class ReportNames
{
    private readonly Dictionary<SchoolId, string> _schools;
    private readonly Dictionary<SkillId, string> _skills;
    private readonly Dictionary<CriterionId, string> _criteria;

    private ReportNames(Dictionary<SchoolId, string> schools, Dictionary<SkillId, string> skills, Dictionary<CriterionId, string> criteria)
    {
        _schools = schools;
        _skills = skills;
        _criteria = criteria;
    }

    /// <summary>School names and the skills of one framework version.</summary>
    public static async Task<ReportNames> LoadAsync(IBackpackStore store, FrameworkContent framework, CancellationToken ct) =>
        new(await SchoolsAsync(store, ct).ConfigureAwait(false), framework.Skills.ToDictionary(s => s.Id, s => s.Name), []);

    /// <summary>School names and the criteria of one rubric version.</summary>
    public static async Task<ReportNames> LoadAsync(IBackpackStore store, Rubric rubric, CancellationToken ct)
    {
        var criteria = new Dictionary<CriterionId, string>();
        foreach (var criterion in rubric.Criteria)
        {
            criteria.TryAdd(criterion.Id, criterion.Name);
        }

        return new(await SchoolsAsync(store, ct).ConfigureAwait(false), [], criteria);
    }

    /// <summary>School names and every skill of every framework (the newest name of a skill wins).</summary>
    public static async Task<ReportNames> LoadAsync(IBackpackStore store, CancellationToken ct)
    {
        var skills = new Dictionary<SkillId, string>();
        foreach (var framework in await store.ListFrameworksAsync(ct).ConfigureAwait(false))
        {
            foreach (var content in framework.Versions.Select(v => v.Content).Append(framework.Draft).OfType<FrameworkContent>())
            {
                foreach (var skill in content.Skills)
                {
                    skills[skill.Id] = skill.Name;
                }
            }
        }

        return new(await SchoolsAsync(store, ct).ConfigureAwait(false), skills, []);
    }

    private static async Task<Dictionary<SchoolId, string>> SchoolsAsync(IBackpackStore store, CancellationToken ct) =>
        (await store.ListSchoolsAsync(ct).ConfigureAwait(false)).ToDictionary(s => s.Id, s => s.Name);

    private string School(SchoolId? id) => id is { } s ? _schools.GetValueOrDefault(s, string.Empty) : string.Empty;

    private string Skill(SkillId? id) => id is { } s ? _skills.GetValueOrDefault(s, string.Empty) : string.Empty;

    private string Criterion(CriterionId id) => _criteria.GetValueOrDefault(id, string.Empty);

    public ReadinessReport Apply(ReadinessReport report) => report with
    {
        Rows = report.Rows.Select(r => r with
        {
            SchoolName = School(r.SchoolId),
            NotReadyBySkill = r.NotReadyBySkill.Select(g => g with { SkillName = Skill(g.SkillId) }).ToValueList(),
        }).ToValueList(),
    };

    public LevelDistributionReport Apply(LevelDistributionReport report) => report with
    {
        Rows = report.Rows.Select(r => r with { SchoolName = School(r.SchoolId), CriterionName = Criterion(r.CriterionId) }).ToValueList(),
    };

    public CoverageReport Apply(CoverageReport report) => report with
    {
        Rows = report.Rows.Select(Apply).ToValueList(),
        District = report.District.Select(Apply).ToValueList(),
        Groups = report.Groups.Select(g => g with { Row = Apply(g.Row) }).ToValueList(),
    };

    private CoverageReportRow Apply(CoverageReportRow row) => row with
    {
        SchoolName = School(row.SchoolId),
        Skills = row.Skills.Select(s => s with { SkillName = Skill(s.SkillId) }).ToValueList(),
    };

    public ModerationFlag Apply(ModerationFlag flag) => flag with { SchoolName = School(flag.SchoolId), CriterionName = Criterion(flag.CriterionId) };

    public StudentGrowth Apply(StudentGrowth growth) => growth with
    {
        Skills = growth.Skills.Select(s => s with { SkillName = Skill(s.SkillId) }).ToValueList(),
    };

    public GrowthReport Apply(GrowthReport report) => report with
    {
        ByYear = report.ByYear.Select(Apply).ToValueList(),
        Cohorts = report.Cohorts.Select(c => c with { Points = c.Points.Select(Apply).ToValueList() }).ToValueList(),
    };

    private GrowthShare Apply(GrowthShare share) => share with { SkillName = Skill(share.SkillId) };
}
