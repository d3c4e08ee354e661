using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.TestSupport;

/// <summary>
/// Straightforward reference implementations of the store reports, written for obviousness, not speed.
/// They are the benchmarks' baselines and, in Backpack.Core.Testing.Tests, the oracles the in-memory
/// store's indexed reports are checked against.
/// </summary>
public static class NaiveReports
{
    /// <summary>
    /// The readiness report built on <see cref="ReadinessCheck.Check"/>: each student with an enrollment in
    /// the year is checked at the school and grade of their latest enrollment, against the band of that grade.
    /// </summary>
    public static ReadinessReport ReadinessWithCheck(IEnumerable<Student> students, IEnumerable<Artifact> artifacts, ReadinessReportRequest request)
    {
        var framework = new FrameworkContent("request", request.Skills.Select((id, i) => new Skill(id, id.ToString(), i + 1)).ToValueList());
        var byStudent = artifacts.ToLookup(a => a.StudentId);
        var checkedStudents = new List<(SchoolId School, GradeLevel Grade, ReadinessResult Result)>();
        foreach (var student in students)
        {
            var enrollment = student.LatestEnrollmentIn(request.Year);
            if (enrollment is null || !Included(request, enrollment))
            {
                continue;
            }

            var band = request.TransitionGrades.BandOf(enrollment.Grade);
            var result = ReadinessCheck.Check(student.Id, framework, request.Year, band, byStudent[student.Id], request.Rule);
            checkedStudents.Add((enrollment.SchoolId, enrollment.Grade, result));
        }

        var rows = checkedStudents
            .GroupBy(x => (x.School, x.Grade))
            .Select(g => new ReadinessReportRow(
                g.Key.School,
                g.Key.Grade,
                g.Count(),
                g.Count(x => x.Result.IsReady),
                request.Skills.Select((skill, position) => new SkillGapCount(skill, g.Count(x => x.Result.Gaps.Any(gap => gap.SkillId == skill)))).ToValueList()))
            .ToValueList();
        return new ReadinessReport(request.Year, rows).Normalize();
    }

    /// <summary>
    /// The readiness report as a naive LINQ query: group the artifacts by student, then each student's
    /// counted evidence by skill, then the students by school and grade. Same semantics as
    /// <see cref="ReadinessWithCheck"/>.
    /// </summary>
    public static ReadinessReport ReadinessWithLinq(IEnumerable<Student> students, IEnumerable<Artifact> artifacts, ReadinessReportRequest request)
    {
        var year = request.Year;
        var rule = request.Rule;
        var placements = students
            .Select(s => (Student: s, Enrollment: s.LatestEnrollmentIn(year)))
            .Where(x => x.Enrollment is not null && Included(request, x.Enrollment))
            .Select(x => (x.Student.Id, x.Enrollment!.SchoolId, x.Enrollment.Grade, Band: request.TransitionGrades.BandOf(x.Enrollment.Grade)))
            .ToDictionary(p => p.Id);

        var evidence = artifacts
            .Where(a => a.IsCollected && placements.ContainsKey(a.StudentId))
            .GroupBy(a => a.StudentId)
            .ToDictionary(
                byStudent => byStudent.Key,
                byStudent => byStudent
                    .Where(a => a.Captured.Year <= year && placements[byStudent.Key].Band.Contains(a.Captured.Grade))
                    .SelectMany(a => a.Alignments
                        .Where(l => !rule.RequireReasoning || l.HasReasoning)
                        .Select(l => l.SkillId)
                        .Distinct()
                        .Select(skill => (Skill: skill, Reflected: a.Reflections.Count > 0)))
                    .GroupBy(x => x.Skill)
                    .ToDictionary(bySkill => bySkill.Key, bySkill => (Artifacts: bySkill.Count(), Reflected: bySkill.Count(x => x.Reflected))));

        var rows = placements.Values
            .Select(p =>
            {
                var counts = evidence.GetValueOrDefault(p.Id);
                var notReady = request.Skills
                    .Select(skill => counts is not null && counts.TryGetValue(skill, out var c)
                        ? c.Artifacts < rule.MinimumArtifactsPerSkill || c.Reflected < rule.MinimumReflectionsPerSkill
                        : 0 < rule.MinimumArtifactsPerSkill || 0 < rule.MinimumReflectionsPerSkill)
                    .ToArray();
                return (Placement: p, NotReady: notReady);
            })
            .GroupBy(x => (x.Placement.SchoolId, x.Placement.Grade))
            .OrderBy(g => g.Key.SchoolId)
            .ThenBy(g => g.Key.Grade)
            .Select(g => new ReadinessReportRow(
                g.Key.SchoolId,
                g.Key.Grade,
                g.Count(),
                g.Count(x => !x.NotReady.Any(n => n)),
                request.Skills.Select((skill, i) => new SkillGapCount(skill, g.Count(x => x.NotReady[i]))).ToValueList()))
            .ToValueList();
        return new ReadinessReport(year, rows);
    }

    /// <summary>
    /// The level distribution built on <see cref="EvaluationCombiner.Combine"/>: evaluations against the
    /// rubric version in the year, grouped by subject, combined, and counted at the context of the subject's
    /// latest evaluation (rows of the requested schools only, when some are named).
    /// </summary>
    public static LevelDistributionReport LevelsWithCombiner(IEnumerable<Evaluation> evaluations, LevelDistributionRequest request)
    {
        var rubric = request.Rubric;
        var criteria = rubric.Criteria.OrderBy(c => c.Position).ToList();
        var results = evaluations
            .Where(e => e.Rubric == rubric.Ref && e.Context.Year == request.Year && (e.ArtifactId is not null || e.MilestoneId is not null))
            .GroupBy(e => e.ArtifactId is { } a ? (true, a.Value) : (false, e.MilestoneId!.Value.Value))
            .SelectMany(subject =>
            {
                var context = subject.OrderByDescending(e => e.ScoredAt).ThenByDescending(e => e.Id).First().Context;
                return EvaluationCombiner.Combine(rubric, subject, request.Combination).Select(r => (context.SchoolId, context.Grade, Result: r));
            });
        var rows = results
            .Where(x => request.Schools.Count == 0 || request.Schools.Contains(x.SchoolId))
            .GroupBy(x => (x.SchoolId, x.Grade, Criterion: criteria.FindIndex(c => c.Id == x.Result.CriterionId)))
            .OrderBy(g => g.Key.SchoolId)
            .ThenBy(g => g.Key.Grade)
            .ThenBy(g => g.Key.Criterion)
            .Select(g =>
            {
                var criterion = criteria[g.Key.Criterion];
                var levels = criterion.Levels.OrderBy(l => l.Position)
                    .Select(l => new LevelCount(l.Id, l.Name, g.Count(x => x.Result.Level.Id == l.Id)))
                    .ToValueList();
                return new LevelDistributionRow(g.Key.SchoolId, g.Key.Grade, criterion.Id, g.Count(), levels, g.Count(x => x.Result.MeetsBar));
            })
            .ToValueList();
        return new LevelDistributionReport(request.Year, rubric.Ref, rows);
    }

    private static bool Included(ReadinessReportRequest request, Enrollment enrollment) =>
        (request.Grades.Count == 0 || request.Grades.Contains(enrollment.Grade))
        && (request.Schools.Count == 0 || request.Schools.Contains(enrollment.SchoolId));
}
