using Backpack.Core.Access;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Reporting;

/// <summary>Aggregate reports for administrators: readiness and level distributions by school and grade. No individual work.</summary>
public sealed class ReportService
{
    private readonly CommandPath _path;

    internal ReportService(CommandPath path) => _path = path;

    /// <summary>
    /// Readiness by school and grade for a school year: students meeting the district's evidence rule in
    /// every skill of the framework's current version active that year, and per skill how many are not.
    /// </summary>
    /// <param name="actor">Who (needs <see cref="BackpackOperation.ReadReports"/>; a school administrator must name a school).</param>
    /// <param name="framework">The framework.</param>
    /// <param name="year">The school year.</param>
    /// <param name="school">Only this school, or all.</param>
    /// <param name="grades">Only these grades, or all.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report.</returns>
    public Task<ReadinessReport> GetReadinessReportAsync(Actor actor, FrameworkId framework, SchoolYear year, SchoolId? school = null, IEnumerable<GradeLevel>? grades = null, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports) { School = school }, "report.readiness", async c =>
        {
            var f = await c.Store.GetFrameworkAsync(framework, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("framework", framework.ToString());
            var content = f.Current?.Content ?? throw new BackpackValidationException("$.framework", "framework.published", $"Framework {framework} has no published version yet.");
            c.Resource = framework.ToString();
            c.Detail = $"year {year}" + (school is { } sc ? $", school {sc}" : string.Empty);
            var reportRequest = new ReadinessReportRequest(year, content.ActiveSkills(year).Select(s => s.Id).ToValueList(), c.Options.EvidenceRule, c.Options.Transitions)
            {
                Grades = grades?.ToValueList() ?? ValueList<GradeLevel>.Empty,
                Schools = school is { } s ? ValueList.Of(s) : ValueList<SchoolId>.Empty,
            };
            return await c.Store.GetReadinessReportAsync(reportRequest, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The level distribution per criterion of a rubric version by school and grade, with the share meeting the bar.</summary>
    /// <param name="actor">Who (needs <see cref="BackpackOperation.ReadReports"/>).</param>
    /// <param name="rubric">The rubric version.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report.</returns>
    public Task<LevelDistributionReport> GetLevelDistributionAsync(Actor actor, RubricRef rubric, SchoolYear year, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ReadReports), "report.levels", async c =>
        {
            var r = await c.Store.GetRubricAsync(rubric, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("rubric", rubric.ToString());
            c.Resource = rubric.ToString();
            c.Detail = $"year {year}";
            return await c.Store.GetLevelDistributionAsync(new LevelDistributionRequest(year, r, c.Options.ScoreCombination), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
