using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Milestones;
using Backpack.Core.Reporting;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.TestSupport.StoreContract;

/// <summary>
/// A small, seeded district for report tests: a few schools, students across grades with mid-year
/// transfers and earlier years, artifacts in every curation state with and without reasoning and
/// reflections, evaluations by several evaluators. Plus naive in-memory reports to compare against.
/// </summary>
public sealed class SmallDistrict
{
    private SmallDistrict(DistrictDataSet data, FrameworkContent content, Rubric rubric)
    {
        Data = data;
        Content = content;
        Rubric = rubric;
    }

    public DistrictDataSet Data { get; }

    public FrameworkContent Content { get; }

    public Rubric Rubric { get; }

    public static SmallDistrict Generate(int seed, int students = 60, int artifactsPerStudent = 8)
    {
        var rnd = new Random(seed);
        Guid G() => new(Enumerable.Range(0, 16).Select(_ => (byte)rnd.Next(256)).ToArray());
        var year = TestData.Year;
        var content = new FrameworkContent("Skills", Enumerable.Range(1, 4).Select(i => new Skill(SkillId.From(G()), $"Skill {i}", i)).ToValueList());
        content = content with { Skills = content.Skills.Add(new Skill(SkillId.From(G()), "Retired", 5) { RetiredFrom = year }) };
        var framework = SkillsFramework.Create(FrameworkId.From(G()), content).Publish(TestData.T0);
        var rubric = TestData.Rubric(criteria: 3) with { Id = RubricId.From(G()) };
        var schools = Enumerable.Range(1, 3).Select(i => new School(SchoolId.From(G()), $"School {i}")).ToArray();
        var allSkills = content.Skills.Select(s => s.Id).ToArray();
        rubric = rubric with { Criteria = rubric.Criteria.Select((c, i) => c with { SkillId = allSkills[i % allSkills.Length] }).ToValueList() };
        var list = new List<Student>();
        var artifacts = new List<Artifact>();
        var evaluations = new List<Evaluation>();
        var milestones = new List<Milestone>();
        for (var i = 0; i < students; i++)
        {
            var grade = rnd.Next(-1, 13);
            var school = schools[rnd.Next(schools.Length)].Id;
            var enrollments = new List<Enrollment>();
            if (grade > -1 && rnd.Next(3) == 0)
            {
                enrollments.Add(new Enrollment(schools[rnd.Next(schools.Length)].Id, GradeLevel.FromOrdinal(grade - 1), year.Previous, year.Previous.FirstDay(8), year.Previous.LastDay(8)));
            }

            var roll = rnd.Next(10);
            if (roll == 0)
            {
                // Not enrolled this year: not counted.
            }
            else if (roll <= 2)
            {
                // Mid-year transfer: counted at the second school.
                var first = year.FirstDay(8);
                enrollments.Add(new Enrollment(school, GradeLevel.FromOrdinal(grade), year, first, first.AddDays(60)));
                enrollments.Add(new Enrollment(schools[rnd.Next(schools.Length)].Id, GradeLevel.FromOrdinal(grade), year, first.AddDays(61)));
            }
            else
            {
                enrollments.Add(new Enrollment(school, GradeLevel.FromOrdinal(grade), year, year.FirstDay(8)));
            }

            if (rnd.Next(2) == 0)
            {
                enrollments.Reverse(); // list order must not matter, only entry dates
            }

            var student = new Student(StudentId.From(G()), $"S{i:0000}", $"Student {i}", enrollments.ToValueList());
            list.Add(student);
            var n = rnd.Next(artifactsPerStudent * 2);
            for (var k = 0; k < n; k++)
            {
                var ay = new SchoolYear(year.StartYear - rnd.Next(0, 4) + (rnd.Next(8) == 0 ? 1 : 0));
                var ag = Math.Clamp(grade - (year.StartYear - ay.StartYear), -1, 12);
                var alignments = Enumerable.Range(0, rnd.Next(0, 3))
                    .Select(_ => new SkillAlignment(allSkills[rnd.Next(allSkills.Length)], rnd.Next(4) == 0 ? (rnd.Next(2) == 0 ? null : "  ") : "because"))
                    .ToValueList();
                var reflections = Enumerable.Range(1, rnd.Next(0, 3) == 0 ? 1 : 0).Select(v => new Reflection(v, "I learned", TestData.T0)).ToValueList();
                var a = new Artifact(ArtifactId.From(G()), student.Id, "Work", new WebLinkSource(new Uri("https://example.org/w")), new CaptureContext(ay, GradeLevel.FromOrdinal(ag), school), (CurationState)rnd.Next(4), TestData.T0.AddMinutes(k))
                {
                    Alignments = alignments,
                    Reflections = reflections,
                };
                artifacts.Add(a);
                if (rnd.Next(3) == 0)
                {
                    var evaluators = rnd.Next(1, 4);
                    var ctx = new CaptureContext(rnd.Next(5) == 0 ? year.Previous : year, GradeLevel.FromOrdinal(Math.Max(0, grade)), school);
                    for (var e = 0; e < evaluators; e++)
                    {
                        var scores = rubric.Criteria.Where(_ => rnd.Next(5) > 0).Select(c => new CriterionScore(c.Id, c.Levels[rnd.Next(c.Levels.Count)].Id)).ToValueList();
                        if (scores.Count == 0)
                        {
                            continue;
                        }

                        evaluations.Add(new Evaluation(EvaluationId.From(G()), student.Id, rubric.Ref, PersonId.From(G()), EvaluatorRole.Teacher, scores, TestData.T0, ctx) { ArtifactId = a.Id });
                    }
                }
            }

            if (rnd.Next(4) == 0)
            {
                milestones.Add(new Milestone(MilestoneId.From(G()), student.Id, MilestoneKind.MiniDefense, new CaptureContext(year, GradeLevel.FromOrdinal(Math.Max(0, grade)), school), TestData.T0, MilestoneStatus.Scheduled));
            }
        }

        // Panels score some milestones (a separate generator: the rest of the district stays as it was), and students
        // belong to district groups by their position.
        var panels = new Random(seed + 1);
        foreach (var m in milestones.Where(_ => panels.Next(3) > 0))
        {
            foreach (var e in Enumerable.Range(0, panels.Next(1, 4)))
            {
                var scores = rubric.Criteria.Select(c => new CriterionScore(c.Id, c.Levels[panels.Next(c.Levels.Count)].Id)).ToValueList();
                evaluations.Add(new Evaluation(EvaluationId.New(), m.StudentId, rubric.Ref, PersonId.New(), EvaluatorRole.Panelist, scores, TestData.T0, m.Context) { MilestoneId = m.Id });
            }
        }

        list = list.Select((s, i) => s with { Groups = (i % 4) switch { 0 => ValueList.Of("ell"), 1 => ValueList.Of("ell", "iep"), 2 => ValueList.Of("frl"), _ => ValueList<string>.Empty } }).ToList();
        var data = new DistrictDataSet
        {
            Frameworks = [framework],
            Rubrics = [rubric],
            Schools = schools,
            Students = list,
            Artifacts = artifacts,
            Evaluations = evaluations,
            Milestones = milestones,
        };
        return new SmallDistrict(data, content, rubric);
    }

    public ReadinessReportRequest Request(EvidenceRule? rule = null) =>
        new(TestData.Year, Content.ActiveSkills(TestData.Year).Select(s => s.Id).ToValueList(), rule ?? new EvidenceRule(), TransitionGrades.Default);

    /// <summary>The reference: every student once, at their latest enrollment of the year, checked with <see cref="ReadinessCheck.Check"/>.</summary>
    public ReadinessReport NaiveReadiness(ReadinessReportRequest request, DistrictDataSet? data = null)
    {
        data ??= Data;
        // The store counts exactly the requested skills (which apply to which band is ReportService's business).
        var content = Content with { Skills = Content.Skills.Where(s => request.Skills.Contains(s.Id)).Select(s => s with { Grades = null, Indicators = [] }).ToValueList() };
        var byStudent = data.Artifacts.ToLookup(a => a.StudentId);
        var rows = data.Students
            .Select(s => (Student: s, Enrollment: s.LatestEnrollmentIn(request.Year)))
            .Where(x => x.Enrollment is not null)
            .Where(x => request.Grades.Count == 0 || request.Grades.Contains(x.Enrollment!.Grade))
            .Where(x => request.Schools.Count == 0 || request.Schools.Contains(x.Enrollment!.SchoolId))
            .Select(x => (x.Enrollment!.SchoolId, x.Enrollment.Grade, Result: ReadinessCheck.Check(x.Student.Id, content, request.Year, request.TransitionGrades.BandOf(x.Enrollment.Grade), byStudent[x.Student.Id], request.Rule)))
            .GroupBy(x => (x.SchoolId, x.Grade))
            .Select(g => new ReadinessReportRow(
                g.Key.SchoolId,
                g.Key.Grade,
                g.Count(),
                g.Count(x => x.Result.IsReady),
                request.Skills.Select(skill => new SkillGapCount(skill, g.Count(x => x.Result.Gaps.Any(gap => gap.SkillId == skill)))).ToValueList()))
            .ToValueList();
        return new ReadinessReport(request.Year, rows).Normalize();
    }

    /// <summary>
    /// The reference coverage report: per student of the year (latest enrollment), per skill, a collected artifact
    /// captured that year aligned to it, and the readiness check's verdict for it; by school and grade, and by group and grade.
    /// </summary>
    public CoverageReport NaiveCoverage(CoverageReportRequest request, DistrictDataSet? data = null)
    {
        data ??= Data;
        var content = Content with { Skills = Content.Skills.Where(s => request.Skills.Contains(s.Id)).Select(s => s with { Grades = null, Indicators = [], RetiredFrom = null }).ToValueList() };
        var byStudent = data.Artifacts.ToLookup(a => a.StudentId);
        var students = data.Students
            .Select(s => (Student: s, Enrollment: s.LatestEnrollmentIn(request.Year)))
            .Where(x => x.Enrollment is not null)
            .Where(x => request.Grades.Count == 0 || request.Grades.Contains(x.Enrollment!.Grade))
            .Where(x => request.Schools.Count == 0 || request.Schools.Contains(x.Enrollment!.SchoolId))
            .Select(x =>
            {
                var result = ReadinessCheck.Check(x.Student.Id, content, request.Year, request.TransitionGrades.BandOf(x.Enrollment!.Grade), byStudent[x.Student.Id], request.Rule);
                var counts = request.Skills.Select(skill => (
                    Skill: skill,
                    Evidence: byStudent[x.Student.Id].Any(a => a.IsCollected && a.Captured.Year == request.Year && a.Alignments.Any(al => al.SkillId == skill)),
                    Meets: result.Gaps.All(g => g.SkillId != skill))).ToArray();
                return (x.Student, x.Enrollment, Counts: counts);
            })
            .ToArray();
        ValueList<CoverageSkillCount> Sum(IEnumerable<(SkillId Skill, bool Evidence, bool Meets)[]> group)
        {
            var all = group.ToArray();
            return request.Skills.Select((skill, i) => new CoverageSkillCount(skill, all.Count(c => c[i].Evidence), all.Count(c => c[i].Meets))).ToValueList();
        }

        var rows = students
            .GroupBy(x => (x.Enrollment!.SchoolId, x.Enrollment.Grade))
            .OrderBy(g => g.Key.SchoolId).ThenBy(g => g.Key.Grade)
            .Select(g => new CoverageReportRow(g.Key.SchoolId, g.Key.Grade, g.Count(), Sum(g.Select(x => x.Counts))))
            .ToValueList();
        var groups = students
            .SelectMany(x => x.Student.Groups.Distinct().Select(group => (Group: group, x.Enrollment!.Grade, x.Counts)))
            .GroupBy(x => (x.Group, x.Grade))
            .OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.Grade)
            .Select(g => new CoverageGroupRow(g.Key.Group, new CoverageReportRow(null, g.Key.Grade, g.Count(), Sum(g.Select(x => x.Counts)))))
            .ToValueList();
        return new CoverageReport(request.Year, rows) { Groups = groups };
    }

    /// <summary>The reference level distribution: per subject, the engine's combiner; counted per school, grade and criterion; then the requested schools' rows.</summary>
    public LevelDistributionReport NaiveLevels(LevelDistributionRequest request)
    {
        var rubric = request.Rubric;
        var results = Data.Evaluations
            .Where(e => e.Context.Year == request.Year && e.Rubric == rubric.Ref)
            .Where(e => request.Grades.Count == 0 || request.Grades.Contains(e.Context.Grade))
            .Where(e => !request.MilestonesOnly || e.MilestoneId is not null)
            .GroupBy(e => (e.Context.SchoolId, e.Context.Grade, Subject: e.ArtifactId?.Value ?? e.MilestoneId?.Value ?? e.Id.Value))
            .SelectMany(g => EvaluationCombiner.Combine(rubric, g, request.Combination).Select(r => (g.Key.SchoolId, g.Key.Grade, Result: r)))
            .Where(x => request.Schools.Count == 0 || request.Schools.Contains(x.SchoolId))
            .GroupBy(x => (x.SchoolId, x.Grade, x.Result.CriterionId))
            .Select(g =>
            {
                var criterion = rubric.FindCriterion(g.Key.CriterionId)!;
                var levels = criterion.Levels.OrderBy(l => l.Position).Select(l => new LevelCount(l.Id, l.Name, g.Count(x => x.Result.Level.Id == l.Id))).ToValueList();
                return (criterion.Position, Row: new LevelDistributionRow(g.Key.SchoolId, g.Key.Grade, criterion.Id, g.Count(), levels, g.Count(x => x.Result.MeetsBar)));
            })
            .OrderBy(x => x.Row.SchoolId).ThenBy(x => x.Row.Grade).ThenBy(x => x.Position)
            .Select(x => x.Row)
            .ToValueList();
        return new LevelDistributionReport(request.Year, rubric.Ref, results);
    }
}
