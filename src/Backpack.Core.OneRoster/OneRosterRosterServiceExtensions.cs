using Backpack.Core.Access;

namespace Backpack.Core.OneRoster;

/// <summary>OneRoster CSV import through <see cref="RosterService"/>.</summary>
public static class OneRosterRosterServiceExtensions
{
    /// <summary>
    /// Imports a OneRoster 1.1 or 1.2 CSV folder (manifest.csv, orgs, academicSessions, courses, classes, users,
    /// roles, enrollments, demographics; bulk or delta) for the district, as of today in the district's calendar:
    /// schools, students with their enrollment history and transfers (placed by core's
    /// <see cref="EnrollmentPlacement"/>), guardians, reporting groups and rosters. Every problem in the folder is
    /// reported at once, as <c>file.csv:line:column</c>, and nothing is written unless the whole folder is valid;
    /// the changes and the audit record (<c>oneroster.import</c>) are saved together by
    /// <see cref="RosterService.ImportAsync{TResult}"/>. Ids are derived from sourcedIds, so importing the same
    /// folder again changes nothing.
    /// </summary>
    /// <param name="rosters">The roster service.</param>
    /// <param name="actor">Who (<see cref="BackpackOperation.ImportRosters"/>: a district administrator or roster sync).</param>
    /// <param name="folder">The folder holding manifest.csv and the data files.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>What changed, and the warnings.</returns>
    /// <exception cref="BackpackValidationException">The folder breaks one or more rules; nothing was written.</exception>
    /// <exception cref="BackpackConcurrencyException">A student, roster or school changed during the import; nothing was written.</exception>
    /// <exception cref="BackpackAccessDeniedException">The actor may not import rosters.</exception>
    public static Task<OneRosterImportResult> ImportOneRosterAsync(this RosterService rosters, Actor actor, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rosters);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return rosters.ImportAsync(
            actor,
            "oneroster",
            (import, ct) => OneRosterImporter.ImportAsync(folder, new OneRosterImportOptions { AsOf = import.Today, SchoolYearStartMonth = import.SchoolYearStartMonth }, import, ct),
            cancellationToken);
    }
}
