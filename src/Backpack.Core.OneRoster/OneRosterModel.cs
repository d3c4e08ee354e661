namespace Backpack.Core.OneRoster;

/// <summary>How the manifest says a file is delivered.</summary>
internal enum OneRosterFileMode
{
    Absent,
    Bulk,
    Delta,
}

/// <summary>A OneRoster record: where it came from, its sourcedId and whether it is marked <c>tobedeleted</c>.</summary>
internal abstract class OneRosterRecord
{
    public required CsvTable Table { get; init; }

    public required int Line { get; init; }

    public required string SourcedId { get; init; }

    public required bool Deleted { get; init; }

    public bool IsDelta { get; init; }

    /// <summary>The problem path of a column of this record.</summary>
    public string At(string column) => Table.PathOf(Line, column);
}

internal sealed class OrOrg : OneRosterRecord
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public string? Identifier { get; init; }

    public string? Parent { get; init; }

    public bool IsSchool => string.Equals(Type, "school", StringComparison.OrdinalIgnoreCase);
}

internal sealed class OrSession : OneRosterRecord
{
    public required string Title { get; init; }

    public required DateOnly? Start { get; init; }

    public required DateOnly? End { get; init; }

    public required SchoolYear? Year { get; init; }

    public string? Parent { get; init; }
}

internal sealed class OrCourse : OneRosterRecord
{
    public required string Title { get; init; }

    public required IReadOnlyList<GradeLevel> Grades { get; init; }

    public string? Org { get; init; }

    public string? SchoolYearSession { get; init; }
}

internal sealed class OrClass : OneRosterRecord
{
    public required string Title { get; init; }

    public required IReadOnlyList<GradeLevel> Grades { get; init; }

    public required string Course { get; init; }

    public required string School { get; init; }

    public required IReadOnlyList<string> Terms { get; init; }
}

internal sealed class OrUser : OneRosterRecord
{
    public required string GivenName { get; init; }

    public required string FamilyName { get; init; }

    public string? PreferredGivenName { get; init; }

    public string? PreferredFamilyName { get; init; }

    public string? Identifier { get; init; }

    public string? Email { get; init; }

    public required IReadOnlyList<string> Agents { get; init; }

    public required IReadOnlyList<GradeLevel> Grades { get; init; }

    /// <summary>Orgs the user belongs to (1.1 <c>orgSourcedIds</c>, 1.2 <c>primaryOrgSourcedId</c> and roles).</summary>
    public required List<string> Orgs { get; init; }

    /// <summary>Orgs that are the user's primary org (1.2 <c>primaryOrgSourcedId</c>, roles with <c>roleType = primary</c>; 1.1: the only school listed).</summary>
    public required HashSet<string> PrimaryOrgs { get; init; }

    /// <summary>The user's roles (lower case): 1.1 <c>role</c>; 1.2 the active rows of roles.csv.</summary>
    public required HashSet<string> Roles { get; init; }

    public string DisplayName
    {
        get
        {
            var given = string.IsNullOrWhiteSpace(PreferredGivenName) ? GivenName : PreferredGivenName;
            var family = string.IsNullOrWhiteSpace(PreferredFamilyName) ? FamilyName : PreferredFamilyName;
            return $"{given} {family}".Trim();
        }
    }

    public bool IsStudent => Roles.Contains("student");

    public bool IsGuardian => Roles.Contains("parent") || Roles.Contains("guardian");
}

/// <summary>A user's row of demographics.csv (1.2; the sourcedId is the user's): the reporting groups it names.</summary>
internal sealed class OrDemographics : OneRosterRecord
{
    public required IReadOnlyList<string> Groups { get; init; }
}

internal sealed class OrRole : OneRosterRecord
{
    public required string User { get; init; }

    public required string Role { get; init; }

    public required bool Primary { get; init; }

    public required string Org { get; init; }
}

internal sealed class OrEnrollment : OneRosterRecord
{
    public required string Class { get; init; }

    public required string School { get; init; }

    public required string User { get; init; }

    public required string Role { get; init; }

    public required DateOnly? Begin { get; init; }

    public required DateOnly? End { get; init; }

    public bool IsStudent => Role == "student";

    public bool IsTeacher => Role == "teacher";
}

/// <summary>Everything read from a OneRoster folder, checked row by row (references are checked when planning).</summary>
internal sealed class OneRosterData
{
    public string Version { get; set; } = "1.2";

    public Dictionary<string, OneRosterFileMode> Modes { get; } = new(StringComparer.Ordinal);

    public List<OrOrg> Orgs { get; } = [];

    public List<OrSession> Sessions { get; } = [];

    public List<OrCourse> Courses { get; } = [];

    public List<OrClass> Classes { get; } = [];

    public List<OrUser> Users { get; } = [];

    public List<OrRole> Roles { get; } = [];

    public List<OrEnrollment> Enrollments { get; } = [];

    public List<OrDemographics> Demographics { get; } = [];

    public OneRosterFileMode ModeOf(string file) => Modes.TryGetValue(file, out var m) ? m : OneRosterFileMode.Absent;
}
