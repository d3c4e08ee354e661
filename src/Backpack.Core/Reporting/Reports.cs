using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Reporting;

/// <summary>What a readiness report covers.</summary>
/// <param name="Year">The school year. Each student counts once, at the school and grade of their latest enrollment that year.</param>
/// <param name="Skills">The skills checked (the framework's skills active that year).</param>
/// <param name="Rule">The evidence rule.</param>
/// <param name="TransitionGrades">The transition grades, which decide whose evidence counts (the band of the student's grade).</param>
public sealed record ReadinessReportRequest(SchoolYear Year, ValueList<SkillId> Skills, EvidenceRule Rule, TransitionGrades TransitionGrades)
{
    /// <summary>Only these grades, when not empty (e.g. the transition grades).</summary>
    public ValueList<GradeLevel> Grades { get; init; } = ValueList<GradeLevel>.Empty;

    /// <summary>Only these schools, when not empty.</summary>
    public ValueList<SchoolId> Schools { get; init; } = ValueList<SchoolId>.Empty;
}

/// <summary>How many students in a school and grade lack evidence for one skill.</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="Students">How many students are not ready in it.</param>
public sealed record SkillGapCount(SkillId SkillId, int Students);

/// <summary>Readiness of one school's grade.</summary>
/// <param name="SchoolId">The school.</param>
/// <param name="Grade">The grade.</param>
/// <param name="Students">Students counted.</param>
/// <param name="Ready">Students meeting the evidence rule in every skill.</param>
/// <param name="NotReadyBySkill">Per skill (in request order), students not ready in it.</param>
public sealed record ReadinessReportRow(SchoolId SchoolId, GradeLevel Grade, int Students, int Ready, ValueList<SkillGapCount> NotReadyBySkill)
{
    /// <summary>The share of students ready, 0 to 1.</summary>
    public double ShareReady => Students == 0 ? 0 : (double)Ready / Students;
}

/// <summary>Readiness by school and grade, ordered by school then grade.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Rows">One row per school and grade with students.</param>
public sealed record ReadinessReport(SchoolYear Year, ValueList<ReadinessReportRow> Rows)
{
    /// <summary>Students counted in all rows.</summary>
    public int Students => Rows.Sum(r => r.Students);

    /// <summary>Ready students in all rows.</summary>
    public int Ready => Rows.Sum(r => r.Ready);

    /// <summary>Returns the report with rows in canonical order (school id, then grade).</summary>
    /// <returns>The ordered report.</returns>
    public ReadinessReport Normalize() =>
        this with { Rows = Rows.OrderBy(r => r.SchoolId).ThenBy(r => r.Grade).ToValueList() };
}

/// <summary>What a level-distribution report covers.</summary>
/// <param name="Year">The school year of the evaluations.</param>
/// <param name="Rubric">The rubric version.</param>
/// <param name="Combination">How several evaluators' levels for one subject combine.</param>
public sealed record LevelDistributionRequest(SchoolYear Year, Rubric Rubric, ScoreCombination Combination = ScoreCombination.MedianLevel);

/// <summary>How many results reached one level.</summary>
/// <param name="LevelId">The level.</param>
/// <param name="Level">The level's name.</param>
/// <param name="Count">How many results.</param>
public sealed record LevelCount(LevelId LevelId, string Level, int Count);

/// <summary>The level distribution of one criterion in one school's grade.</summary>
/// <param name="SchoolId">The school.</param>
/// <param name="Grade">The grade.</param>
/// <param name="CriterionId">The criterion.</param>
/// <param name="Levels">Count per level, lowest level first (every level, zeros included).</param>
/// <param name="AtOrAboveMeets">Results at or above the meets level.</param>
public sealed record LevelDistributionRow(SchoolId SchoolId, GradeLevel Grade, CriterionId CriterionId, ValueList<LevelCount> Levels, int AtOrAboveMeets)
{
    /// <summary>All results.</summary>
    public int Total => Levels.Sum(l => l.Count);

    /// <summary>The share at or above the meets level, 0 to 1 ("80% Ready or Excelling").</summary>
    public double ShareMeeting => Total == 0 ? 0 : (double)AtOrAboveMeets / Total;
}

/// <summary>Level distributions per criterion by school and grade.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Rubric">The rubric version.</param>
/// <param name="Rows">Rows ordered by school, grade and criterion position.</param>
public sealed record LevelDistributionReport(SchoolYear Year, RubricRef Rubric, ValueList<LevelDistributionRow> Rows);
