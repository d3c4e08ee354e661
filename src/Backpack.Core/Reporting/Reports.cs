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
/// <param name="Students">
/// How many students are not ready in it; <see langword="null"/> when withheld to protect a small group
/// (see <see cref="ReportService"/>).
/// </param>
public sealed record SkillGapCount(SkillId SkillId, int? Students)
{
    /// <summary>Whether the count is withheld (<see cref="Students"/> is <see langword="null"/>).</summary>
    public bool IsWithheld => Students is null;
}

/// <summary>Readiness of one school's grade.</summary>
/// <remarks>
/// Counts are <see langword="null"/> when withheld to protect a small group of students (see
/// <see cref="ReportService"/>): when <see cref="Students"/> is below the district's minimum cell size,
/// every count of the row is withheld. A store returns every count; <see cref="ReportService"/> withholds.
/// </remarks>
/// <param name="SchoolId">The school.</param>
/// <param name="Grade">The grade.</param>
/// <param name="Students">Students counted, or <see langword="null"/> when withheld.</param>
/// <param name="Ready">Students meeting the evidence rule in every skill, or <see langword="null"/> when withheld.</param>
/// <param name="NotReadyBySkill">Per skill (in request order), students not ready in it.</param>
public sealed record ReadinessReportRow(SchoolId SchoolId, GradeLevel Grade, int? Students, int? Ready, ValueList<SkillGapCount> NotReadyBySkill)
{
    /// <summary>The share of students ready, 0 to 1; <see langword="null"/> when <see cref="Students"/> or <see cref="Ready"/> is withheld.</summary>
    public double? ShareReady => Students is not { } students || Ready is not { } ready ? null : students == 0 ? 0 : (double)ready / students;

    /// <summary>Whether any count of the row is withheld.</summary>
    public bool HasWithheldCounts => Students is null || Ready is null || NotReadyBySkill.Any(g => g.IsWithheld);
}

/// <summary>Readiness by school and grade, ordered by school then grade.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Rows">One row per school and grade with students.</param>
public sealed record ReadinessReport(SchoolYear Year, ValueList<ReadinessReportRow> Rows)
{
    /// <summary>
    /// Students in the rows whose student and ready counts are both shown: withheld counts are left out, so
    /// the total never reveals one (it is the true total when nothing is withheld).
    /// </summary>
    public int Students => Rows.Sum(r => r.Ready is null ? 0 : r.Students ?? 0);

    /// <summary>
    /// Ready students in the rows whose student and ready counts are both shown (the same rows as
    /// <see cref="Students"/>, so <c>Ready / Students</c> is a share).
    /// </summary>
    public int Ready => Rows.Sum(r => r.Students is null ? 0 : r.Ready ?? 0);

    /// <summary>Returns the report with rows in canonical order (school id, then grade).</summary>
    /// <returns>The ordered report.</returns>
    public ReadinessReport Normalize() =>
        this with { Rows = Rows.OrderBy(r => r.SchoolId).ThenBy(r => r.Grade).ToValueList() };
}

/// <summary>What a level-distribution report covers.</summary>
/// <param name="Year">The school year of the evaluations.</param>
/// <param name="Rubric">The rubric version.</param>
/// <param name="Combination">How several evaluators' levels for one subject combine.</param>
public sealed record LevelDistributionRequest(SchoolYear Year, Rubric Rubric, ScoreCombination Combination = ScoreCombination.MedianLevel)
{
    /// <summary>
    /// Only these schools, when not empty: the rows of these schools, exactly as in the report of all schools
    /// (each result counts at the school and grade of its subject's evaluation context).
    /// </summary>
    public ValueList<SchoolId> Schools { get; init; } = ValueList<SchoolId>.Empty;
}

/// <summary>How many results reached one level.</summary>
/// <param name="LevelId">The level.</param>
/// <param name="Level">The level's name.</param>
/// <param name="Count">How many results; <see langword="null"/> when withheld to protect a small group (see <see cref="ReportService"/>).</param>
public sealed record LevelCount(LevelId LevelId, string Level, int? Count)
{
    /// <summary>Whether the count is withheld (<see cref="Count"/> is <see langword="null"/>).</summary>
    public bool IsWithheld => Count is null;
}

/// <summary>The level distribution of one criterion in one school's grade.</summary>
/// <remarks>
/// Counts are <see langword="null"/> when withheld to protect a small group of students (see
/// <see cref="ReportService"/>): when <see cref="Total"/> is below the district's minimum cell size,
/// every count of the row is withheld. A store returns every count; <see cref="ReportService"/> withholds.
/// </remarks>
/// <param name="SchoolId">The school.</param>
/// <param name="Grade">The grade.</param>
/// <param name="CriterionId">The criterion.</param>
/// <param name="Total">All results (the sum of the level counts), or <see langword="null"/> when withheld.</param>
/// <param name="Levels">Count per level, lowest level first (every level, zeros included).</param>
/// <param name="AtOrAboveMeets">Results at or above the meets level, or <see langword="null"/> when withheld.</param>
public sealed record LevelDistributionRow(SchoolId SchoolId, GradeLevel Grade, CriterionId CriterionId, int? Total, ValueList<LevelCount> Levels, int? AtOrAboveMeets)
{
    /// <summary>
    /// The share at or above the meets level, 0 to 1 ("80% Ready or Excelling"); <see langword="null"/> when
    /// <see cref="Total"/> or <see cref="AtOrAboveMeets"/> is withheld.
    /// </summary>
    public double? ShareMeeting => Total is not { } total || AtOrAboveMeets is not { } meets ? null : total == 0 ? 0 : (double)meets / total;

    /// <summary>Whether any count of the row is withheld.</summary>
    public bool HasWithheldCounts => Total is null || AtOrAboveMeets is null || Levels.Any(l => l.IsWithheld);
}

/// <summary>Level distributions per criterion by school and grade.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Rubric">The rubric version.</param>
/// <param name="Rows">Rows ordered by school, grade and criterion position.</param>
public sealed record LevelDistributionReport(SchoolYear Year, RubricRef Rubric, ValueList<LevelDistributionRow> Rows);
