using Backpack.Core.Artifacts;
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
    /// <summary>The skill's name, as the framework names it (empty when the framework no longer has the skill).</summary>
    public string SkillName { get; init; } = string.Empty;

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
    /// <summary>The school's name (empty when the school is no longer on the roster).</summary>
    public string SchoolName { get; init; } = string.Empty;

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

    /// <summary>Only these grades (of the subject's evaluation context), when not empty.</summary>
    public ValueList<GradeLevel> Grades { get; init; } = ValueList<GradeLevel>.Empty;

    /// <summary>Only milestone subjects (defense outcomes), not artifacts.</summary>
    public bool MilestonesOnly { get; init; }
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
    /// <summary>The school's name (empty when the school is no longer on the roster).</summary>
    public string SchoolName { get; init; } = string.Empty;

    /// <summary>The criterion's name, as the rubric version names it.</summary>
    public string CriterionName { get; init; } = string.Empty;

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

/// <summary>What an evidence-coverage report covers.</summary>
/// <param name="Year">The school year. Each student counts once, at the school and grade of their latest enrollment that year.</param>
/// <param name="Skills">The skills covered.</param>
/// <param name="Rule">The evidence rule (for <see cref="CoverageSkillCount.MeetingRule"/>).</param>
/// <param name="TransitionGrades">The transition grades, which decide whose evidence counts toward the rule (the band of the student's grade).</param>
public sealed record CoverageReportRequest(SchoolYear Year, ValueList<SkillId> Skills, EvidenceRule Rule, TransitionGrades TransitionGrades)
{
    /// <summary>Only these grades, when not empty.</summary>
    public ValueList<GradeLevel> Grades { get; init; } = ValueList<GradeLevel>.Empty;

    /// <summary>Only these schools, when not empty.</summary>
    public ValueList<SchoolId> Schools { get; init; } = ValueList<SchoolId>.Empty;
}

/// <summary>How many students of a group have evidence of one skill.</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="WithEvidence">
/// Students with at least one collected (or showcased) artifact aligned to the skill, captured in the report's
/// school year; <see langword="null"/> when withheld.
/// </param>
/// <param name="MeetingRule">
/// Students meeting the evidence rule in the skill (as in the readiness report: evidence of their grade band up to the
/// report's year); <see langword="null"/> when withheld.
/// </param>
public sealed record CoverageSkillCount(SkillId SkillId, int? WithEvidence, int? MeetingRule)
{
    /// <summary>The skill's name, as the framework names it (empty when no framework has the skill).</summary>
    public string SkillName { get; init; } = string.Empty;
}

/// <summary>Evidence coverage of one school's grade, or (with no school) of the district's grade.</summary>
/// <param name="SchoolId">The school; <see langword="null"/> in <see cref="CoverageReport.District"/>.</param>
/// <param name="Grade">The grade.</param>
/// <param name="Students">Students counted, or <see langword="null"/> when withheld.</param>
/// <param name="Skills">Per skill (in request order), the counts.</param>
public sealed record CoverageReportRow(SchoolId? SchoolId, GradeLevel Grade, int? Students, ValueList<CoverageSkillCount> Skills)
{
    /// <summary>The school's name; empty in the district's rows and when the school is no longer on the roster.</summary>
    public string SchoolName { get; init; } = string.Empty;

    /// <summary>The share of students with evidence of <paramref name="skill"/>, 0 to 1, or <see langword="null"/> when a count is withheld or the skill is not in the row.</summary>
    /// <param name="skill">The skill.</param>
    /// <returns>The share.</returns>
    public double? ShareWithEvidence(SkillId skill) => Share(Skills.FirstOrDefault(s => s.SkillId == skill)?.WithEvidence);

    /// <summary>The share of students meeting the evidence rule in <paramref name="skill"/>, 0 to 1, or <see langword="null"/>.</summary>
    /// <param name="skill">The skill.</param>
    /// <returns>The share.</returns>
    public double? ShareMeetingRule(SkillId skill) => Share(Skills.FirstOrDefault(s => s.SkillId == skill)?.MeetingRule);

    private double? Share(int? count) => Students is not { } n || count is not { } c ? null : n == 0 ? 0 : (double)c / n;
}

/// <summary>A school's grade whose share of students with evidence of a skill differs from the district's.</summary>
/// <param name="SchoolId">The school.</param>
/// <param name="Grade">The grade.</param>
/// <param name="SkillId">The skill.</param>
/// <param name="Share">The school's share with evidence, 0 to 1.</param>
/// <param name="DistrictShare">The district's share in that grade, 0 to 1.</param>
public sealed record CoverageGap(SchoolId SchoolId, GradeLevel Grade, SkillId SkillId, double Share, double DistrictShare)
{
    /// <summary>The school's name (empty when the school is no longer on the roster).</summary>
    public string SchoolName { get; init; } = string.Empty;

    /// <summary>The skill's name, as the framework names it (empty when no framework has the skill).</summary>
    public string SkillName { get; init; } = string.Empty;

    /// <summary>The school's share minus the district's: negative when the school's students have less chance to show the skill.</summary>
    public double Gap => Share - DistrictShare;
}

/// <summary>Evidence coverage by school, grade and skill ("does every student in every school get the chance to produce evidence for every skill?").</summary>
/// <param name="Year">The school year.</param>
/// <param name="Rows">One row per school and grade with students, ordered by school then grade.</param>
public sealed record CoverageReport(SchoolYear Year, ValueList<CoverageReportRow> Rows)
{
    /// <summary>The district's rows: per grade, over every school of the district (not only the rows shown); empty from a store.</summary>
    public ValueList<CoverageReportRow> District { get; init; } = ValueList<CoverageReportRow>.Empty;

    /// <summary>Per student group (<see cref="Student.Groups"/>), the district's rows: <see cref="CoverageReportRow.SchoolId"/> is empty, <see cref="CoverageGroupRow.Group"/> names the group.</summary>
    public ValueList<CoverageGroupRow> Groups { get; init; } = ValueList<CoverageGroupRow>.Empty;

    /// <summary>
    /// The school grades and skills whose share with evidence falls furthest below the district's share in that grade,
    /// largest gap first (only rows whose counts are shown).
    /// </summary>
    /// <param name="count">How many.</param>
    /// <returns>The gaps.</returns>
    public IReadOnlyList<CoverageGap> LargestGaps(int count = 20)
    {
        var district = District.ToDictionary(r => r.Grade);
        return Rows
            .Where(r => r.SchoolId is not null && district.ContainsKey(r.Grade))
            .SelectMany(r => r.Skills.Select(s => (r, s)))
            .Select(x => (x.r, x.s.SkillId, Share: x.r.ShareWithEvidence(x.s.SkillId), District: district[x.r.Grade].ShareWithEvidence(x.s.SkillId)))
            .Where(x => x.Share is not null && x.District is not null)
            .Select(x => new CoverageGap(x.r.SchoolId!.Value, x.r.Grade, x.SkillId, x.Share!.Value, x.District!.Value)
            {
                SchoolName = x.r.SchoolName,
                SkillName = x.r.Skills.First(k => k.SkillId == x.SkillId).SkillName,
            })
            .OrderBy(g => g.Gap)
            .ThenBy(g => g.SchoolId)
            .ThenBy(g => g.Grade)
            .Take(Math.Max(0, count))
            .ToArray();
    }
}

/// <summary>Evidence coverage of one student group in one grade of the district.</summary>
/// <param name="Group">The group (as the district names it, e.g. a OneRoster demographics flag).</param>
/// <param name="Row">The counts (no school).</param>
public sealed record CoverageGroupRow(string Group, CoverageReportRow Row);

/// <summary>One score given to a student's work or defense, as the growth reports read them.</summary>
/// <param name="StudentId">Whose.</param>
/// <param name="Rubric">The rubric version.</param>
/// <param name="SubjectId">The artifact or milestone scored.</param>
/// <param name="IsMilestone">Whether the subject is a milestone (a defense).</param>
/// <param name="Context">The student's school, grade and year when scored.</param>
/// <param name="CriterionId">The criterion.</param>
/// <param name="LevelId">The level given.</param>
public sealed record ScoreRecord(StudentId StudentId, RubricRef Rubric, Guid SubjectId, bool IsMilestone, CaptureContext Context, CriterionId CriterionId, LevelId LevelId);

/// <summary>A student's combined level in one skill in one school year.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Grade">The student's grade then.</param>
/// <param name="Level">The level's name.</param>
/// <param name="Position">The level's position (1 = lowest).</param>
/// <param name="Meets">Whether the level is at or above the rubric's meets level.</param>
public sealed record GrowthPoint(SchoolYear Year, GradeLevel Grade, string Level, int Position, bool Meets);

/// <summary>A student's levels in one skill, year by year.</summary>
/// <param name="SkillId">The skill.</param>
/// <param name="Points">One point per school year with a score, oldest first.</param>
public sealed record SkillGrowth(SkillId SkillId, ValueList<GrowthPoint> Points)
{
    /// <summary>The skill's name, as the framework names it (empty when no framework has the skill).</summary>
    public string SkillName { get; init; } = string.Empty;
}

/// <summary>A student's growth: per skill, the sequence of combined levels across school years.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="Skills">Per skill scored, in skill id order.</param>
public sealed record StudentGrowth(StudentId StudentId, ValueList<SkillGrowth> Skills);

/// <summary>How many student results in one skill (or all skills) met the bar in one year.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Grade">The grade, or <see langword="null"/> for every grade.</param>
/// <param name="SkillId">The skill, or <see langword="null"/> for every skill (one result per student and skill).</param>
/// <param name="Results">Students with a combined level, or <see langword="null"/> when withheld.</param>
/// <param name="Meeting">Those at or above the meets level, or <see langword="null"/> when withheld.</param>
public sealed record GrowthShare(SchoolYear Year, GradeLevel? Grade, SkillId? SkillId, int? Results, int? Meeting)
{
    /// <summary>The skill's name when <see cref="SkillId"/> names one (empty otherwise, or when no framework has the skill).</summary>
    public string SkillName { get; init; } = string.Empty;

    /// <summary>The share meeting the bar, 0 to 1, or <see langword="null"/> when a count is withheld.</summary>
    public double? Share => Results is not { } n || Meeting is not { } m ? null : n == 0 ? 0 : (double)m / n;
}

/// <summary>A cohort followed over the years: the students in <see cref="StartGrade"/> in <see cref="StartYear"/>.</summary>
/// <param name="StartYear">The year the cohort is taken.</param>
/// <param name="StartGrade">The grade it is taken in.</param>
/// <param name="Points">Per year from the start, the cohort's results in every skill (one per student and skill).</param>
public sealed record GrowthCohort(SchoolYear StartYear, GradeLevel StartGrade, ValueList<GrowthShare> Points);

/// <summary>Growth across the district: the share at or above the meets level by school year and skill, and by cohort.</summary>
/// <param name="ByYear">Per school year and skill.</param>
/// <param name="Cohorts">Per cohort (e.g. grade 5 in year Y, followed into grade 8 in Y+3).</param>
public sealed record GrowthReport(ValueList<GrowthShare> ByYear, ValueList<GrowthCohort> Cohorts);
