using Backpack.Core.Access;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Reporting;

/// <summary>Aggregate reports for administrators: readiness and level distributions by school and grade. No individual work.</summary>
/// <remarks>
/// <para>
/// Small groups are protected with the district's <see cref="DependencyInjection.BackpackOptions.MinimumCellSize"/> k: a withheld
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
    private static IEnumerable<GradeLevel> AllGrades()
    {
        for (var g = GradeLevel.Lowest; ; g = g.Next)
        {
            yield return g;
            if (g == GradeLevel.Highest)
            {
                yield break;
            }
        }
    }

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
                var bandGrades = AllGrades().Where(band.Contains).Where(g => requested.Count == 0 || requested.Contains(g)).ToValueList();
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
            return ReportSuppression.Suppress(report, c.Options.MinimumCellSize);
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

            return ReportSuppression.Suppress(report, meets, c.Options.MinimumCellSize);
        }, cancellationToken);
}
