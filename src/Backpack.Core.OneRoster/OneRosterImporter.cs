
namespace Backpack.Core.OneRoster;

/// <summary>
/// Imports a OneRoster 1.1 or 1.2 CSV folder (manifest.csv, orgs, academicSessions, courses, classes, users,
/// roles, enrollments; bulk or delta) into schools, students with their enrollment history, and rosters.
/// Every problem in the folder is reported at once, as <c>file.csv:line:column</c>, before anything is
/// written; the changes are then written in one atomic save. Ids are derived from sourcedIds, so importing
/// the same files again changes nothing.
/// </summary>
internal static class OneRosterImporter
{
    /// <summary>Validates and imports a OneRoster CSV folder through <paramref name="command"/> (planners, references, audit, one save).</summary>
    /// <param name="folder">The folder holding manifest.csv and the data files.</param>
    /// <param name="options">The import date and calendar.</param>
    /// <param name="command">The authorized import command.</param>
    /// <param name="cancellationToken">Cancels the import (before the save commits).</param>
    /// <returns>What changed, and the warnings.</returns>
    /// <exception cref="BackpackValidationException">The folder breaks one or more rules; nothing was written.</exception>
    /// <exception cref="BackpackConcurrencyException">A student, roster or school changed during the import; nothing was written.</exception>
    internal static async Task<OneRosterImportResult> ImportAsync(string folder, OneRosterImportOptions options, RosterImport command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SchoolYearStartMonth is < 1 or > 12)
        {
            throw new BackpackValidationException("options.SchoolYearStartMonth", "options.month", "SchoolYearStartMonth must be a month from 1 to 12.");
        }

        var problems = new List<ValidationProblem>();
        var warnings = new List<ValidationProblem>();
        var data = await OneRosterReader.ReadAsync(folder, problems, warnings, cancellationToken).ConfigureAwait(false);
        var planner = new OneRosterPlanner(data, command, options, problems, warnings);
        if (!problems.Exists(p => p.Path.StartsWith(OneRosterReader.Manifest, StringComparison.Ordinal) || p.Rule == "oneroster.folder.missing"))
        {
            await planner.PlanAsync(cancellationToken).ConfigureAwait(false);
        }

        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        var result = planner.Fill(command, data.Version);
        command.Detail = $"{result.StudentsAdded} students added, {result.StudentsUpdated} updated, {result.RostersAdded + result.RostersUpdated} rosters, {result.Warnings.Count} warnings";
        return result;
    }
}
