using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.Reporting;

/// <summary>
/// How scores become growth. Per subject (an artifact or a defense) and criterion aligned to a skill, the evaluators'
/// levels combine by the district's <see cref="ScoreCombination"/> (as in every report). Per student, skill and school
/// year, the subjects' combined levels then combine into the year's level: the lower median by level position (so one
/// strong piece does not stand for a weak year); it meets the bar when that level is at or above its rubric's meets level.
/// Criteria without a skill (defense dimensions such as "Presentation") are left out.
/// </summary>
internal static class Growth
{
    /// <summary>One student's combined level in one skill and year.</summary>
    public readonly record struct Result(StudentId Student, SkillId Skill, GrowthPoint Point);

    public static IReadOnlyList<Result> Results(IEnumerable<ScoreRecord> scores, IReadOnlyDictionary<RubricRef, Rubric> rubrics, ScoreCombination combination)
    {
        var subjects = new Dictionary<(StudentId Student, Guid Subject, RubricRef Rubric, CriterionId Criterion), (CaptureContext Context, List<RubricLevel> Levels)>();
        foreach (var s in scores)
        {
            if (!rubrics.TryGetValue(s.Rubric, out var rubric) || rubric.FindCriterion(s.CriterionId) is not { SkillId: not null } criterion || criterion.FindLevel(s.LevelId) is not { } level)
            {
                continue;
            }

            var key = (s.StudentId, s.SubjectId, s.Rubric, s.CriterionId);
            if (!subjects.TryGetValue(key, out var entry))
            {
                subjects[key] = entry = (s.Context, []);
            }

            entry.Levels.Add(level);
        }

        var years = new Dictionary<(StudentId Student, SkillId Skill, SchoolYear Year), List<GrowthPoint>>();
        foreach (var ((student, _, rubricRef, criterionId), (context, levels)) in subjects)
        {
            var rubric = rubrics[rubricRef];
            var criterion = rubric.FindCriterion(criterionId)!;
            var combined = EvaluationCombiner.CombineLevels(criterion, levels, combination);
            var key = (Student: student, Skill: criterion.SkillId!.Value, context.Year);
            if (!years.TryGetValue(key, out var list))
            {
                years[key] = list = [];
            }

            list.Add(new GrowthPoint(context.Year, context.Grade, combined.Name, combined.Position, rubric.Meets(criterion, combined)));
        }

        return years
            .Select(kv =>
            {
                var ordered = kv.Value.OrderBy(p => p.Position).ThenBy(p => p.Meets).ThenBy(p => p.Level, StringComparer.Ordinal).ThenBy(p => p.Grade).ToArray();
                return new Result(kv.Key.Student, kv.Key.Skill, ordered[(ordered.Length - 1) / 2]);
            })
            .OrderBy(r => r.Student)
            .ThenBy(r => r.Skill)
            .ThenBy(r => r.Point.Year)
            .ToArray();
    }

    public static GrowthReport Report(IReadOnlyList<Result> results, SchoolYear from, SchoolYear to, GradeLevel cohortGrade, int cohortYears)
    {
        var byYear = results
            .GroupBy(r => (r.Point.Year, r.Skill))
            .OrderBy(g => g.Key.Year)
            .ThenBy(g => g.Key.Skill)
            .Select(g => new GrowthShare(g.Key.Year, null, g.Key.Skill, g.Count(), g.Count(r => r.Point.Meets)))
            .ToValueList();
        var byStudentYear = results.ToLookup(r => (r.Student, r.Point.Year));
        var cohorts = new List<GrowthCohort>();
        for (var start = from; start <= to; start = start.Next)
        {
            var members = results.Where(r => r.Point.Year == start && r.Point.Grade == cohortGrade).Select(r => r.Student).ToHashSet();
            if (members.Count == 0)
            {
                continue;
            }

            var points = new List<GrowthShare>();
            var year = start;
            for (var t = 0; t <= cohortYears && year <= to; t++, year = year.Next)
            {
                var inYear = members.SelectMany(m => byStudentYear[(m, year)]).ToArray();
                points.Add(new GrowthShare(year, GradeLevel.FromOrdinal(Math.Min(12, cohortGrade.Ordinal + t)), null, inYear.Length, inYear.Count(r => r.Point.Meets)));
            }

            cohorts.Add(new GrowthCohort(start, cohortGrade, points.ToValueList()));
        }

        return new GrowthReport(byYear, cohorts.ToValueList());
    }
}
