using Backpack.Core.Access;
using Backpack.Core.Evaluations;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Reporting;

/// <summary>Aggregate reports for administrators: readiness and level distributions by school and grade. No individual work.</summary>
/// <remarks>
/// <para>
/// Small groups are protected with the district's <see cref="BackpackOptions.MinimumCellSize"/> k: a withheld
/// count is <see langword="null"/> (and its <c>IsWithheld</c> is true). A row whose group (students; results
/// of a criterion) is smaller than k has every count withheld; otherwise a count is withheld when it, or the
/// group minus it, is 1 to k-1. Zeros are shown. Then complementary suppression withholds further counts
/// until no withheld count can be recovered by subtraction from one equation a reader could write: a row's
/// total against its parts (level counts; at-or-above-meets and the levels it sums; students, ready and a
/// skill's not-ready count when these determine each other), and each count summed over the schools of one
/// grade, over the grades of one school and over the report, as if those totals were known. Report totals
/// (<see cref="ReadinessReport.Students"/>, <see cref="ReadinessReport.Ready"/>) add up the shown counts only.
/// With k = 1 the reports are exactly the store's.
/// </para>
/// <para>
/// The withholding of a row's own small counts depends on that row alone, so it is the same in every report
/// that contains the row, whatever its filters. The complements chosen across rows depend on the rows of the
/// report.
/// </para>
/// </remarks>
public sealed class ReportService
{
    private readonly CommandPath _path;

    internal ReportService(CommandPath path) => _path = path;

    /// <summary>
    /// Readiness by school and grade for a school year: students meeting the district's evidence rule in
    /// every skill of the framework's current version active that year, and per skill how many are not. Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadReports"/>: a district administrator, or an administrator of the school named).</param>
    /// <param name="framework">The framework.</param>
    /// <param name="year">The school year.</param>
    /// <param name="school">Only this school, or all.</param>
    /// <param name="grades">Only these grades, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report, small groups withheld (see <see cref="ReportService"/>).</returns>
    public Task<ReadinessReport> GetReadinessReportAsync(Actor actor, FrameworkId framework, SchoolYear year, SchoolId? school = null, IEnumerable<GradeLevel>? grades = null, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports) { School = school }, "report.readiness", async c =>
        {
            var f = await c.Store.GetFrameworkAsync(framework, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", framework.ToString());
            var content = f.Current?.Content ?? throw new BackpackValidationException("$.framework", "framework.published", $"Framework {framework} has no published version yet.");
            c.Resource = framework.ToString();
            c.Detail = $"year {year}" + (school is { } sc ? $", school {sc}" : string.Empty);
            // Skills apply by grade band (Skill.AppliesTo): one store report per band, with that band's skills.
            var requested = grades?.ToValueList() ?? ValueList<GradeLevel>.Empty;
            var rows = new List<ReadinessReportRow>();
            foreach (var band in Milestones.ReadinessCheck.Bands(c.Options.Transitions))
            {
                var bandGrades = GradeLevel.All.Where(band.Contains).Where(g => requested.Count == 0 || requested.Contains(g)).ToValueList();
                if (bandGrades.Count == 0)
                {
                    continue;
                }

                var reportRequest = new ReadinessReportRequest(year, content.ActiveSkills(year).Where(s => s.AppliesTo(band)).Select(s => s.Id).ToValueList(), c.Options.EvidenceRule, c.Options.Transitions)
                {
                    Grades = bandGrades,
                    Schools = school is { } s ? ValueList.Of(s) : ValueList<SchoolId>.Empty,
                };
                rows.AddRange((await c.Store.GetReadinessReportAsync(reportRequest, cancellationToken).ConfigureAwait(false)).Rows);
            }

            var report = new ReadinessReport(year, rows.ToValueList()).Normalize();
            var names = await ReportNames.LoadAsync(c.Store, content, cancellationToken).ConfigureAwait(false);
            return names.Apply(ReportSuppression.Suppress(report, c.Options.MinimumCellSize));
        }, cancellationToken);

    /// <summary>The level distribution per criterion of a rubric version by school and grade, with the share meeting the bar. Audited.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadReports"/>: a district administrator, or an administrator of the school named).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="year">The school year.</param>
    /// <param name="school">Only this school, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report, small groups withheld (see <see cref="ReportService"/>).</returns>
    public Task<LevelDistributionReport> GetLevelDistributionAsync(Actor actor, RubricRef rubric, SchoolYear year, SchoolId? school = null, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports) { School = school }, "report.levels", async c =>
        {
            var r = await c.Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());
            c.Resource = rubric.ToString();
            c.Detail = $"year {year}" + (school is { } sc ? $", school {sc}" : string.Empty);
            var reportRequest = new LevelDistributionRequest(year, r, c.Options.ScoreCombination)
            {
                Schools = school is { } s ? ValueList.Of(s) : ValueList<SchoolId>.Empty,
            };
            var report = await c.Store.GetLevelDistributionAsync(reportRequest, cancellationToken).ConfigureAwait(false);
            var meets = new Dictionary<CriterionId, bool[]>();
            foreach (var criterion in r.Criteria)
            {
                meets.TryAdd(criterion.Id, criterion.Levels.OrderBy(l => l.Position).Select(l => r.Meets(criterion, l)).ToArray());
            }

            var names = await ReportNames.LoadAsync(c.Store, r, cancellationToken).ConfigureAwait(false);
            return names.Apply(ReportSuppression.Suppress(report, meets, c.Options.MinimumCellSize));
        }, cancellationToken);

    /// <summary>
    /// Inter-rater agreement per criterion of a rubric version in a school year (<see cref="InterRaterAgreement"/>):
    /// subjects, ratings, exact and adjacent agreement, Fleiss' kappa and Krippendorff's ordinal alpha, over every
    /// evaluator's latest levels (level = position, 1 = lowest). Scope: the district, one school, and/or panels only.
    /// A criterion rated on fewer subjects than <c>MinimumCellSize</c> has its statistics withheld (null). Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadReports"/>).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="year">The school year of the scores.</param>
    /// <param name="school">Only this school's scores, or all.</param>
    /// <param name="panelsOnly">Only defense panels' scores (milestone subjects, panelist role).</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>One result per criterion, in rubric order, with its id and name.</returns>
    public Task<IReadOnlyList<CriterionAgreement>> GetAgreementAsync(Actor actor, RubricRef rubric, SchoolYear year, SchoolId? school = null, bool panelsOnly = false, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports) { School = school }, "report.agreement", async c =>
        {
            var r = await c.Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());
            c.Resource = rubric.ToString();
            c.Detail = $"year {year}" + (school is { } sc ? $", school {sc}" : string.Empty) + (panelsOnly ? ", panels" : string.Empty);
            var ratings = new List<Rating>();
            foreach (var e in await ScopedEvaluationsAsync(c, rubric, year, school, panelsOnly, cancellationToken).ConfigureAwait(false))
            {
                foreach (var score in e.Scores)
                {
                    var criterion = r.FindCriterion(score.CriterionId);
                    var level = criterion?.FindLevel(score.LevelId);
                    if (criterion is not null && level is not null)
                    {
                        ratings.Add(new Rating(SubjectOf(e).ToString(), e.EvaluatorId.ToString(), criterion.Id.ToString(), criterion.Levels.OrderBy(l => l.Position).ToList().IndexOf(level) + 1));
                    }
                }
            }

            var computed = InterRaterAgreement.Compute(ratings).ToDictionary(a => a.Criterion);
            return (IReadOnlyList<CriterionAgreement>)r.Criteria.OrderBy(x => x.Position)
                .Select(x => (computed.GetValueOrDefault(x.Id.ToString()) ?? new CriterionAgreement(x.Id.ToString(), 0, 0, null, null, null, null)) with { CriterionName = x.Name })
                .Select(a => a.Subjects >= c.Options.MinimumCellSize ? a : a with { ExactAgreement = null, AdjacentAgreement = null, FleissKappa = null, KrippendorffAlphaOrdinal = null })
                .ToArray();
        }, cancellationToken);

    /// <summary>
    /// Subjects flagged for a further scorer: two scores of the same subject and criterion more than
    /// <c>ModerationLevelGap</c> levels apart (default 1) while only two evaluators have scored it. For school
    /// administrators (their school) and the district. Student and subject by id; school and criterion by id and name. Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadReports"/>).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="year">The school year of the scores.</param>
    /// <param name="school">Only this school's subjects, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The flags, by student, subject and criterion.</returns>
    public Task<IReadOnlyList<ModerationFlag>> ListModerationFlagsAsync(Actor actor, RubricRef rubric, SchoolYear year, SchoolId? school = null, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports) { School = school }, "report.moderation", async c =>
        {
            var r = await c.Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());
            c.Resource = rubric.ToString();
            var flags = new List<ModerationFlag>();
            foreach (var subject in (await ScopedEvaluationsAsync(c, rubric, year, school, panelsOnly: false, cancellationToken).ConfigureAwait(false)).GroupBy(SubjectOf))
            {
                foreach (var criterion in r.Criteria.OrderBy(x => x.Position))
                {
                    var positions = subject.SelectMany(e => e.Scores.Where(s => s.CriterionId == criterion.Id)).Select(s => criterion.FindLevel(s.LevelId)?.Position).OfType<int>().ToArray();
                    if (positions.Length == 2 && positions.Max() - positions.Min() > c.Options.ModerationLevelGap)
                    {
                        var first = subject.First();
                        flags.Add(new ModerationFlag(first.StudentId, subject.Key, first.Context.SchoolId, criterion.Id, positions.Min(), positions.Max()));
                    }
                }
            }

            var names = await ReportNames.LoadAsync(c.Store, r, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<ModerationFlag>)flags.Select(names.Apply).ToArray();
        }, cancellationToken);

    /// <summary>
    /// Evidence coverage by school, grade and skill for a school year ("does every student in every school get the
    /// chance to produce evidence for every skill?"): per school and grade, the students, and per skill (the framework's
    /// skills active that year that apply to the grade's band) how many have at least one collected artifact aligned to
    /// it captured that year, and how many meet the district's evidence rule in it; the district's rows per grade
    /// beside them (<see cref="CoverageReport.District"/>), per student group where the district supplies groups
    /// (<see cref="CoverageReport.Groups"/>), and the largest gaps (<see cref="CoverageReport.LargestGaps"/>). Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadReports"/>: a district administrator, or an administrator of the school named).</param>
    /// <param name="framework">The framework.</param>
    /// <param name="year">The school year.</param>
    /// <param name="school">Only this school's rows (the district's rows stay district-wide), or all.</param>
    /// <param name="grades">Only these grades, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report, small groups withheld (see <see cref="ReportService"/>).</returns>
    public Task<CoverageReport> GetCoverageReportAsync(Actor actor, FrameworkId framework, SchoolYear year, SchoolId? school = null, IEnumerable<GradeLevel>? grades = null, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports) { School = school }, "report.coverage", async c =>
        {
            var f = await c.Store.GetFrameworkAsync(framework, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", framework.ToString());
            var content = f.Current?.Content ?? throw new BackpackValidationException("$.framework", "framework.published", $"Framework {framework} has no published version yet.");
            c.Resource = framework.ToString();
            c.Detail = $"year {year}" + (school is { } sc ? $", school {sc}" : string.Empty);
            var requested = grades?.ToValueList() ?? ValueList<GradeLevel>.Empty;
            var rows = new List<CoverageReportRow>();
            var groups = new List<CoverageGroupRow>();
            foreach (var band in Milestones.ReadinessCheck.Bands(c.Options.Transitions))
            {
                var bandGrades = GradeLevel.All.Where(band.Contains).Where(g => requested.Count == 0 || requested.Contains(g)).ToValueList();
                if (bandGrades.Count == 0)
                {
                    continue;
                }

                // Every school: the district's rows are over all of them, and suppression sees the whole table.
                var request = new CoverageReportRequest(year, content.ActiveSkills(year).Where(s => s.AppliesTo(band)).Select(s => s.Id).ToValueList(), c.Options.EvidenceRule, c.Options.Transitions) { Grades = bandGrades };
                var part = await c.Store.GetCoverageReportAsync(request, cancellationToken).ConfigureAwait(false);
                rows.AddRange(part.Rows);
                groups.AddRange(part.Groups);
            }

            var report = new CoverageReport(year, rows.OrderBy(r => r.SchoolId).ThenBy(r => r.Grade).ToValueList())
            {
                District = rows.GroupBy(r => r.Grade).OrderBy(g => g.Key).Select(g => Sum(null, g.Key, g.ToArray())).ToValueList(),
                Groups = groups.OrderBy(g => g.Group, StringComparer.Ordinal).ThenBy(g => g.Row.Grade).ToValueList(),
            };
            var names = await ReportNames.LoadAsync(c.Store, content, cancellationToken).ConfigureAwait(false);
            var shown = names.Apply(ReportSuppression.Suppress(report, c.Options.MinimumCellSize));
            return school is { } only ? shown with { Rows = shown.Rows.Where(r => r.SchoolId == only).ToValueList() } : shown;
        }, cancellationToken);

    private static CoverageReportRow Sum(SchoolId? school, GradeLevel grade, CoverageReportRow[] rows) =>
        new(
            school,
            grade,
            rows.Sum(r => r.Students ?? 0),
            rows[0].Skills.Select(s => new CoverageSkillCount(
                s.SkillId,
                rows.Sum(r => r.Skills.FirstOrDefault(x => x.SkillId == s.SkillId)?.WithEvidence ?? 0),
                rows.Sum(r => r.Skills.FirstOrDefault(x => x.SkillId == s.SkillId)?.MeetingRule ?? 0))).ToValueList());

    /// <summary>
    /// The level distribution of defense outcomes: the panels' scores of milestones (not of artifacts) against a
    /// rubric version, combined per defense and criterion, by school and grade, with the share meeting the bar. School
    /// administrators read their own school's. Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadReports"/>: a district administrator, or an administrator of the school named).</param>
    /// <param name="rubric">The defense rubric version.</param>
    /// <param name="year">The school year.</param>
    /// <param name="school">Only this school, or all.</param>
    /// <param name="grades">Only these grades, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report, small groups withheld (see <see cref="ReportService"/>).</returns>
    public Task<LevelDistributionReport> GetDefenseOutcomesAsync(Actor actor, RubricRef rubric, SchoolYear year, SchoolId? school = null, IEnumerable<GradeLevel>? grades = null, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports) { School = school }, "report.defense-outcomes", async c =>
        {
            var r = await c.Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());
            c.Resource = rubric.ToString();
            c.Detail = $"year {year}" + (school is { } sc ? $", school {sc}" : string.Empty);
            var reportRequest = new LevelDistributionRequest(year, r, c.Options.ScoreCombination)
            {
                Schools = school is { } s ? ValueList.Of(s) : ValueList<SchoolId>.Empty,
                Grades = grades?.Distinct().ToValueList() ?? ValueList<GradeLevel>.Empty,
                MilestonesOnly = true,
            };
            var report = await c.Store.GetLevelDistributionAsync(reportRequest, cancellationToken).ConfigureAwait(false);
            var names = await ReportNames.LoadAsync(c.Store, r, cancellationToken).ConfigureAwait(false);
            return names.Apply(ReportSuppression.Suppress(report, Meets(r), c.Options.MinimumCellSize));
        }, cancellationToken);

    private static Dictionary<CriterionId, bool[]> Meets(Rubric r)
    {
        var meets = new Dictionary<CriterionId, bool[]>();
        foreach (var criterion in r.Criteria)
        {
            meets.TryAdd(criterion.Id, criterion.Levels.OrderBy(l => l.Position).Select(l => r.Meets(criterion, l)).ToArray());
        }

        return meets;
    }

    /// <summary>
    /// A student's growth: per skill, the sequence of combined levels across school years, from the scores of their
    /// work and of their defenses (criteria aligned to a skill). See <see cref="Growth"/> for how levels combine. Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadBackpack"/>: the student, a current teacher, an administrator of the student's school).</param>
    /// <param name="student">The student.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The growth.</returns>
    public Task<StudentGrowth> GetStudentGrowthAsync(Actor actor, StudentId student, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadBackpack) { Student = student }, "report.growth.student", async c =>
        {
            _ = await c.Store.GetStudentAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
            c.Resource = student.ToString();
            var scores = (await c.Store.ListEvaluationsAsync(student, cancellationToken).ConfigureAwait(false))
                .SelectMany(e => e.Scores.Select(s => new ScoreRecord(e.StudentId, e.Rubric, SubjectOf(e), e.MilestoneId is not null, e.Context, s.CriterionId, s.LevelId)))
                .ToArray();
            var rubrics = await RubricsOfAsync(c, scores, cancellationToken).ConfigureAwait(false);
            var results = Growth.Results(scores, rubrics, c.Options.ScoreCombination);
            var names = await ReportNames.LoadAsync(c.Store, cancellationToken).ConfigureAwait(false);
            return names.Apply(new StudentGrowth(
                student,
                results.GroupBy(r => r.Skill).OrderBy(g => g.Key).Select(g => new SkillGrowth(g.Key, g.OrderBy(r => r.Point.Year).Select(r => r.Point).ToValueList())).ToValueList()));
        }, cancellationToken);

    /// <summary>
    /// Growth across the district from school year <paramref name="from"/> to <paramref name="to"/>: per year and skill
    /// the share of students whose combined level (see <see cref="Growth"/>) is at or above the meets level; and per
    /// cohort (the students with a result in <paramref name="cohortGrade"/> in a year Y, followed for
    /// <paramref name="cohortYears"/> years: grade 5 in Y into grade 8 in Y+3 by default), the share of their results in
    /// every skill meeting the bar, year by year. Counts of fewer than <c>MinimumCellSize</c> students are withheld. Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadReports"/>: a district administrator).</param>
    /// <param name="from">The first school year.</param>
    /// <param name="to">The last school year.</param>
    /// <param name="cohortGrade">The grade cohorts are taken in (default 5).</param>
    /// <param name="cohortYears">How many years a cohort is followed after its first (default 3).</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report.</returns>
    public Task<GrowthReport> GetGrowthReportAsync(Actor actor, SchoolYear from, SchoolYear to, GradeLevel? cohortGrade = null, int cohortYears = 3, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports), "report.growth", async c =>
        {
            if (to < from)
            {
                throw new BackpackValidationException("$.to", "report.years.order", $"The last school year {to} comes before the first {from}.");
            }

            if (cohortYears is < 0 or > 13)
            {
                throw new BackpackValidationException("$.cohortYears", "report.cohort-years.range", $"cohortYears is {cohortYears}; it must be between 0 and 13.");
            }

            c.Detail = $"years {from} to {to}";
            var scores = await c.Store.ListScoresAsync(from, to, cancellationToken).ConfigureAwait(false);
            var rubrics = await RubricsOfAsync(c, scores, cancellationToken).ConfigureAwait(false);
            var report = Growth.Report(Growth.Results(scores, rubrics, c.Options.ScoreCombination), from, to, cohortGrade ?? GradeLevel.Grade(5), cohortYears);
            var names = await ReportNames.LoadAsync(c.Store, cancellationToken).ConfigureAwait(false);
            return names.Apply(ReportSuppression.Suppress(report, c.Options.MinimumCellSize));
        }, cancellationToken);

    private static async Task<Dictionary<RubricRef, Rubric>> RubricsOfAsync(Command c, IEnumerable<ScoreRecord> scores, CancellationToken ct)
    {
        var rubrics = new Dictionary<RubricRef, Rubric>();
        foreach (var rubric in scores.Select(s => s.Rubric).Distinct())
        {
            if (await c.Store.GetRubricAsync(rubric, ct).ConfigureAwait(false) is { } r)
            {
                rubrics[rubric] = r;
            }
        }

        return rubrics;
    }

    private static Guid SubjectOf(Evaluation e) => e.ArtifactId?.Value ?? e.MilestoneId?.Value ?? e.Id.Value;

    private static async Task<IEnumerable<Evaluation>> ScopedEvaluationsAsync(Command c, RubricRef rubric, SchoolYear year, SchoolId? school, bool panelsOnly, CancellationToken ct) =>
        (await c.Store.ListEvaluationsOfRubricAsync(rubric, year, ct).ConfigureAwait(false))
            .Where(e => school is null || e.Context.SchoolId == school)
            .Where(e => !panelsOnly || (e.MilestoneId is not null && e.Role == EvaluatorRole.Panelist));
}

/// <summary>A subject whose two scores of one criterion are too far apart: it needs a further scorer.</summary>
/// <param name="StudentId">Whose work.</param>
/// <param name="SubjectId">The artifact or milestone scored.</param>
/// <param name="SchoolId">The school of the scores' context.</param>
/// <param name="CriterionId">The criterion.</param>
/// <param name="LowestLevel">The lower level's position (1 = lowest).</param>
/// <param name="HighestLevel">The higher level's position.</param>
public sealed record ModerationFlag(StudentId StudentId, Guid SubjectId, SchoolId SchoolId, CriterionId CriterionId, int LowestLevel, int HighestLevel)
{
    /// <summary>The school's name (empty when the school is no longer on the roster).</summary>
    public string SchoolName { get; init; } = string.Empty;

    /// <summary>The criterion's name, as the rubric version names it.</summary>
    public string CriterionName { get; init; } = string.Empty;
}
