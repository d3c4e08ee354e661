using Backpack.Core.Access;
using Backpack.Core.DependencyInjection;
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
    private readonly ServiceContext _context;

    internal ReportService(ServiceContext context) => _context = context;

    /// <summary>
    /// Readiness by school and grade for a school year: students meeting the district's evidence rule in
    /// every skill of the framework's current version active that year, and per skill how many are not.
    /// </summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ReadAggregates"/>; a school administrator must name a school).</param>
    /// <param name="framework">The framework.</param>
    /// <param name="year">The school year.</param>
    /// <param name="school">Only this school, or all.</param>
    /// <param name="grades">Only these grades, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report, small groups withheld (see <see cref="ReportService"/>).</returns>
    public async Task<ReadinessReport> GetReadinessReportAsync(Actor actor, FrameworkId framework, SchoolYear year, SchoolId? school = null, IEnumerable<GradeLevel>? grades = null, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ReadAggregates) { School = school };
        await _context.Guard.DemandAsync(actor, request, "report.readiness", cancellationToken).ConfigureAwait(false);
        var f = await _context.Store.GetFrameworkAsync(framework, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", framework.ToString());
        var content = f.Current?.Content ?? throw new BackpackValidationException("$.framework", "framework.published", $"Framework {framework} has no published version yet.");
        var reportRequest = new ReadinessReportRequest(year, content.ActiveSkills(year).Select(s => s.Id).ToValueList(), _context.Options.EvidenceRule, _context.Options.Transitions)
        {
            Grades = grades?.ToValueList() ?? ValueList<GradeLevel>.Empty,
            Schools = school is { } s ? ValueList.Of(s) : ValueList<SchoolId>.Empty,
        };
        var report = await _context.Store.GetReadinessReportAsync(reportRequest, cancellationToken).ConfigureAwait(false);
        return ReportSuppression.Suppress(report, _context.Options.MinimumCellSize);
    }

    /// <summary>The level distribution per criterion of a rubric version by school and grade, with the share meeting the bar.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ReadAggregates"/>; a school administrator must name a school).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="year">The school year.</param>
    /// <param name="school">Only this school, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report, small groups withheld (see <see cref="ReportService"/>).</returns>
    public async Task<LevelDistributionReport> GetLevelDistributionAsync(Actor actor, RubricRef rubric, SchoolYear year, SchoolId? school = null, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ReadAggregates) { School = school };
        await _context.Guard.DemandAsync(actor, request, "report.levels", cancellationToken).ConfigureAwait(false);
        var r = await _context.Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());
        var reportRequest = new LevelDistributionRequest(year, r, _context.Options.ScoreCombination)
        {
            Schools = school is { } s ? ValueList.Of(s) : ValueList<SchoolId>.Empty,
        };
        var report = await _context.Store.GetLevelDistributionAsync(reportRequest, cancellationToken).ConfigureAwait(false);
        var meets = new Dictionary<CriterionId, bool[]>();
        foreach (var c in r.Criteria)
        {
            meets.TryAdd(c.Id, c.Levels.OrderBy(l => l.Position).Select(l => r.Meets(c, l)).ToArray());
        }

        return ReportSuppression.Suppress(report, meets, _context.Options.MinimumCellSize);
    }
}
