using Backpack.Core.Access;
using Backpack.Core.DependencyInjection;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Reporting;

/// <summary>Aggregate reports for administrators: readiness and level distributions by school and grade. No individual work.</summary>
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
    /// <returns>The report.</returns>
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
        return await _context.Store.GetReadinessReportAsync(reportRequest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The level distribution per criterion of a rubric version by school and grade, with the share meeting the bar.</summary>
    /// <param name="actor">Who (needs <see cref="AccessRight.ReadAggregates"/>).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report.</returns>
    public async Task<LevelDistributionReport> GetLevelDistributionAsync(Actor actor, RubricRef rubric, SchoolYear year, CancellationToken cancellationToken = default)
    {
        var request = new AccessRequest(AccessRight.ReadAggregates);
        await _context.Guard.DemandAsync(actor, request, "report.levels", cancellationToken).ConfigureAwait(false);
        var r = await _context.Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());
        return await _context.Store.GetLevelDistributionAsync(new LevelDistributionRequest(year, r, _context.Options.ScoreCombination), cancellationToken).ConfigureAwait(false);
    }
}
