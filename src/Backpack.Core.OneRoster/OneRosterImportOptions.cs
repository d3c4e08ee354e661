namespace Backpack.Core.OneRoster;

/// <summary>How a OneRoster CSV folder is imported.</summary>
internal sealed class OneRosterImportOptions
{
    /// <summary>
    /// The date the export describes (usually today in the district's calendar). Class enrollments that ended
    /// before it no longer put a student or teacher on the roster; a class whose terms all ended before it is
    /// archived; a student marked <c>tobedeleted</c> leaves their school on it.
    /// </summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>The month (1-12) a school year starts in (default 8, August), used when a session has no <c>schoolYear</c>.</summary>
    public int SchoolYearStartMonth { get; init; } = 8;
}
