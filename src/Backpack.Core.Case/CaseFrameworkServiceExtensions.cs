using Backpack.Core.Access;
using Backpack.Core.Rubrics;

namespace Backpack.Core.Case;

/// <summary>
/// CASE import and export of district frameworks through <see cref="FrameworkService"/>: the package is read or
/// written here, and saved or loaded by core's <see cref="FrameworkService.ImportAsync"/> and
/// <see cref="FrameworkService.GetPackageAsync"/>, which authorize the actor and audit as every operation does.
/// </summary>
public static class CaseFrameworkServiceExtensions
{
    /// <summary>
    /// Imports a CASE 1.1 (or 1.0) CFPackage: the framework becomes the draft of the framework with the
    /// document's identifier (created if new; publish it with <see cref="FrameworkService.PublishAsync"/>), and each
    /// rubric is added as the next version of its rubric unless it equals the latest version. Everything is saved
    /// in one change set: a bad package, or a conflict, changes nothing.
    /// </summary>
    /// <param name="frameworks">The framework service.</param>
    /// <param name="actor">Who (<see cref="BackpackOperation.ManageFramework"/>).</param>
    /// <param name="json">The CFPackage JSON.</param>
    /// <param name="options">Import options (the meets level), or the defaults.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The imported package (rubrics with the versions they were saved as) and the import's warnings.</returns>
    /// <exception cref="BackpackValidationException">The package breaks a rule; every problem names its JSON path.</exception>
    /// <exception cref="BackpackAccessDeniedException">The actor may not manage frameworks.</exception>
    public static async Task<ImportResult<FrameworkPackage>> ImportCaseAsync(this FrameworkService frameworks, Actor actor, string json, CaseImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frameworks);
        ArgumentNullException.ThrowIfNull(actor);
        var imported = CaseJson.Import(json, options ?? CaseImportOptions.Default);
        var saved = await frameworks.ImportAsync(actor, imported.Value, cancellationToken).ConfigureAwait(false);
        return imported with { Value = saved };
    }

    /// <summary>Exports a framework's current version (or its draft, when unpublished) and the given rubric versions as a CASE 1.1 CFPackage.</summary>
    /// <param name="frameworks">The framework service.</param>
    /// <param name="actor">Who (<see cref="BackpackOperation.ReadFramework"/>: anyone in the district).</param>
    /// <param name="id">The framework.</param>
    /// <param name="rubrics">The rubric versions to include.</param>
    /// <param name="options">Export options; the last-change time defaults to the version's publication time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The CFPackage JSON.</returns>
    /// <exception cref="BackpackNotFoundException">No such framework or rubric version.</exception>
    /// <exception cref="BackpackAccessDeniedException">The actor may not read frameworks.</exception>
    public static async Task<string> ExportCaseAsync(this FrameworkService frameworks, Actor actor, FrameworkId id, IEnumerable<RubricRef> rubrics, CaseExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frameworks);
        var package = await frameworks.GetPackageAsync(actor, id, rubrics, cancellationToken).ConfigureAwait(false);
        return CaseJson.Export(package, options);
    }
}
