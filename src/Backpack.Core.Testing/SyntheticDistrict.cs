using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Testing;

/// <summary>
/// A seeded synthetic school district for tests, samples and benchmarks: a five-skill "Success Skills"
/// framework with grade-band indicators, a four-level skills rubric and a Defense rubric, elementary,
/// middle and high schools, students with multi-year enrollment histories (including mid-year transfers,
/// back and forth and across grade bands), guardians, rosters, artifacts with alignments, reasoning,
/// reflections and curation states, teacher evaluations, and Defenses of Learning at the transition grades
/// with panels, showcases and panel scores. Everything is derived from the seed: the same options give
/// equal data; no clock is read and no random GUID is made. Names are obviously synthetic
/// ("Student 00042", "Elementary School 007").
/// </summary>
public sealed class SyntheticDistrict
{
    internal SyntheticDistrict(
        SyntheticDistrictOptions options,
        DistrictDataSet data,
        SkillsFramework framework,
        Rubric skillsRubric,
        Rubric defenseRubric,
        ValueList<SchoolId> schools,
        ValueList<PersonId> teachers)
    {
        Options = options;
        Data = data;
        Framework = framework;
        SkillsRubric = skillsRubric;
        DefenseRubric = defenseRubric;
        Schools = schools;
        Teachers = teachers;
        Skills = framework.Current!.Content.Skills.OrderBy(s => s.Position).Select(s => s.Id).ToValueList();
    }

    /// <summary>Gets the options the district was generated with.</summary>
    public SyntheticDistrictOptions Options { get; }

    /// <summary>Gets the whole district, ready for <see cref="IBulkLoader.LoadAsync"/>.</summary>
    public DistrictDataSet Data { get; }

    /// <summary>Gets the Success Skills framework (one published version).</summary>
    public SkillsFramework Framework { get; }

    /// <summary>Gets the framework's id.</summary>
    public FrameworkId FrameworkId => Framework.Id;

    /// <summary>Gets the five skills, in framework order.</summary>
    public ValueList<SkillId> Skills { get; }

    /// <summary>Gets the skills rubric: one criterion per skill; Emerging 1, Developing 2, Ready 3, Excelling 4; meets level Ready.</summary>
    public Rubric SkillsRubric { get; }

    /// <summary>Gets the Defense of Learning rubric the panels score with (same four levels).</summary>
    public Rubric DefenseRubric { get; }

    /// <summary>Gets the schools: elementary first, then middle, then high.</summary>
    public ValueList<SchoolId> Schools { get; }

    /// <summary>Gets every teacher on a roster.</summary>
    public ValueList<PersonId> Teachers { get; }

    /// <summary>Gets the current school year.</summary>
    public SchoolYear CurrentYear => Options.CurrentYear;

    /// <summary>Gets the day the data describes (15 April of the current school year): later defenses are still scheduled.</summary>
    public DateOnly AsOf => AsOfDate(Options.CurrentYear);

    /// <summary>Generates a district.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults (2,000 students).</param>
    /// <returns>The district.</returns>
    /// <exception cref="BackpackValidationException">The options break a rule.</exception>
    public static SyntheticDistrict Generate(SyntheticDistrictOptions? options = null)
    {
        options ??= new SyntheticDistrictOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        return new SyntheticDistrictGenerator(options).Generate();
    }

    /// <summary>A readiness request for the current year over the framework's skills.</summary>
    /// <param name="rule">The evidence rule; the default rule when <see langword="null"/>.</param>
    /// <returns>The request, with the options' transition grades.</returns>
    public ReadinessReportRequest ReadinessRequest(EvidenceRule? rule = null) =>
        new(CurrentYear, Skills, rule ?? new EvidenceRule(), Options.TransitionGrades);

    internal static DateOnly AsOfDate(SchoolYear year) => new(year.EndYear, 4, 15);
}
