using System.Globalization;
using System.Text;

namespace Backpack.Core.OneRoster;

/// <summary>
/// Reads a OneRoster 1.1 or 1.2 CSV folder into <see cref="OneRosterData"/>, checking every row on its own
/// (required columns and values, dates, codes, status, duplicate sourcedIds). Collects every problem.
/// </summary>
internal static class OneRosterReader
{
    internal const string Manifest = "manifest.csv";

    /// <summary>The files Backpack imports; others named in the manifest are ignored with a warning.</summary>
    private static readonly string[] ImportedFiles = ["orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"];

    private static readonly HashSet<string> IgnoredQuietly = new(StringComparer.OrdinalIgnoreCase) { "userProfiles" };

    /// <summary>
    /// The yes/no columns of demographics.csv that become a student's reporting groups (<see cref="Student.Groups"/>),
    /// named as OneRoster names them; <c>sex</c> becomes <c>sex:VALUE</c>.
    /// </summary>
    internal static readonly string[] DemographicFlags =
    [
        "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white",
        "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity",
    ];

    private static readonly string[] ManifestColumns = ["propertyName", "value"];

    private static readonly HashSet<string> OrgTypes = new(StringComparer.OrdinalIgnoreCase) { "department", "district", "local", "national", "school", "state" };

    private static readonly HashSet<string> SessionTypes = new(StringComparer.OrdinalIgnoreCase) { "gradingPeriod", "semester", "schoolYear", "term" };

    private static readonly HashSet<string> UserRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "administrator", "aide", "counselor", "districtAdministrator", "guardian", "parent", "principal", "proctor",
        "relative", "siteAdministrator", "student", "systemAdministrator", "teacher",
    };

    private static readonly HashSet<string> EnrollmentRoles = new(StringComparer.OrdinalIgnoreCase) { "administrator", "aide", "proctor", "student", "teacher" };

    /// <summary>CEDS grade codes OneRoster allows that Backpack has no grade level for; accepted and not used.</summary>
    private static readonly HashSet<string> UnsupportedGrades = new(StringComparer.OrdinalIgnoreCase) { "IT", "PR", "13", "PS", "UG", "Other" };

    private static readonly Dictionary<string, string[]> RequiredColumns = new(StringComparer.Ordinal)
    {
        ["orgs"] = ["sourcedId", "name", "type"],
        ["academicSessions"] = ["sourcedId", "title", "type", "startDate", "endDate", "schoolYear"],
        ["courses"] = ["sourcedId", "title", "orgSourcedId"],
        ["classes"] = ["sourcedId", "title", "courseSourcedId", "schoolSourcedId", "termSourcedIds"],
        ["users"] = ["sourcedId", "givenName", "familyName"],
        ["roles"] = ["sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"],
        ["enrollments"] = ["sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"],
        ["demographics"] = ["sourcedId"],
    };

    public static async Task<OneRosterData> ReadAsync(string folder, List<ValidationProblem> problems, List<ValidationProblem> warnings, CancellationToken ct)
    {
        var data = new OneRosterData();
        if (!Directory.Exists(folder))
        {
            problems.Add(new(folder, "oneroster.folder.missing", "The OneRoster folder does not exist."));
            return data;
        }

        var manifest = await LoadAsync(folder, Manifest, problems, ct).ConfigureAwait(false);
        if (manifest is null)
        {
            if (!problems.Exists(p => p.Path.StartsWith(Manifest, StringComparison.Ordinal)))
            {
                problems.Add(new(Manifest, "oneroster.file.missing", "manifest.csv is missing: a OneRoster folder starts with its manifest."));
            }

            return data;
        }

        ReadManifest(manifest, data, problems, warnings);
        foreach (var file in ImportedFiles)
        {
            var mode = data.ModeOf(file);
            var name = file + ".csv";
            if (mode == OneRosterFileMode.Absent)
            {
                if (File.Exists(Path.Combine(folder, name)) && file != "demographics")
                {
                    warnings.Add(new(name, "oneroster.file.not-in-manifest", $"{name} is present but the manifest says file.{file} = absent: it was not read."));
                }

                continue;
            }

            if (file == "roles" && data.Version == "1.1")
            {
                continue;
            }

            if (!File.Exists(Path.Combine(folder, name)))
            {
                problems.Add(new(name, "oneroster.file.missing", $"The manifest says file.{file} = {mode.ToString().ToLowerInvariant()} but {name} is missing."));
                continue;
            }

            var table = await LoadAsync(folder, name, problems, ct).ConfigureAwait(false);
            if (table is null)
            {
                continue;
            }

            var required = RequiredColumns[file].ToList();
            if (file == "users" && data.Version == "1.1")
            {
                required.AddRange(["orgSourcedIds", "role"]);
            }

            if (mode == OneRosterFileMode.Delta)
            {
                required.Add("status");
            }

            var ok = true;
            foreach (var column in required.Where(c => !table.Has(c)))
            {
                problems.Add(new($"{name}:1", "oneroster.column.missing", $"{name} has no '{column}' column."));
                ok = false;
            }

            if (ok)
            {
                new RowReader(table, mode == OneRosterFileMode.Delta, data, problems, warnings).Read(file);
            }
        }

        if (data.Version != "1.1")
        {
            ApplyRoles(data);
        }

        return data;
    }

    private static async Task<CsvTable?> LoadAsync(string folder, string name, List<ValidationProblem> problems, CancellationToken ct)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            return null;
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, new UTF8Encoding(false, true), ct).ConfigureAwait(false);
        }
        catch (DecoderFallbackException)
        {
            problems.Add(new(name, "csv.encoding.utf8", $"{name} is not valid UTF-8."));
            return null;
        }

        return CsvTable.Parse(name, text, problems);
    }

    private static void ReadManifest(CsvTable manifest, OneRosterData data, List<ValidationProblem> problems, List<ValidationProblem> warnings)
    {
        foreach (var column in ManifestColumns.Where(c => !manifest.Has(c)))
        {
            problems.Add(new($"{Manifest}:1", "oneroster.column.missing", $"{Manifest} has no '{column}' column."));
        }

        string? version = null;
        foreach (var row in manifest.Rows)
        {
            var property = manifest.Get(row, "propertyName");
            var value = manifest.Get(row, "value");
            if (property.Equals("oneroster.version", StringComparison.OrdinalIgnoreCase))
            {
                version = value;
                if (value is not ("1.1" or "1.2"))
                {
                    problems.Add(new(manifest.PathOf(row.Line, "value"), "oneroster.version.supported", $"oneroster.version is '{value}': Backpack imports OneRoster 1.1 and 1.2."));
                }
                else
                {
                    data.Version = value;
                }
            }
            else if (property.StartsWith("file.", StringComparison.OrdinalIgnoreCase))
            {
                var file = property[5..];
                OneRosterFileMode? mode = value.ToLowerInvariant() switch
                {
                    "bulk" => OneRosterFileMode.Bulk,
                    "delta" => OneRosterFileMode.Delta,
                    "absent" => OneRosterFileMode.Absent,
                    _ => null,
                };
                if (mode is null)
                {
                    problems.Add(new(manifest.PathOf(row.Line, "value"), "oneroster.manifest.file-mode", $"{property} is '{value}': use bulk, delta or absent."));
                    continue;
                }

                var known = ImportedFiles.FirstOrDefault(f => f.Equals(file, StringComparison.OrdinalIgnoreCase));
                if (known is not null)
                {
                    data.Modes[known] = mode.Value;
                }
                else if (mode != OneRosterFileMode.Absent && !IgnoredQuietly.Contains(file))
                {
                    warnings.Add(new(manifest.PathOf(row.Line, "value"), "oneroster.file.ignored", $"{file}.csv is not imported by Backpack and was ignored."));
                }
            }
        }

        if (version is null)
        {
            problems.Add(new(Manifest, "oneroster.version.required", "manifest.csv has no oneroster.version property (1.1 or 1.2)."));
        }
    }

    /// <summary>1.2: roles.csv gives each user's roles and orgs; a primary role's org is the user's primary org.</summary>
    private static void ApplyRoles(OneRosterData data)
    {
        var users = new Dictionary<string, OrUser>(StringComparer.Ordinal);
        foreach (var u in data.Users)
        {
            users.TryAdd(u.SourcedId, u);
        }

        foreach (var r in data.Roles.Where(r => !r.Deleted))
        {
            if (users.TryGetValue(r.User, out var user))
            {
                user.Roles.Add(r.Role);
                if (!user.Orgs.Contains(r.Org))
                {
                    user.Orgs.Add(r.Org);
                }

                if (r.Primary)
                {
                    user.PrimaryOrgs.Add(r.Org);
                }
            }
        }
    }

    private sealed class RowReader(CsvTable table, bool delta, OneRosterData data, List<ValidationProblem> problems, List<ValidationProblem> warnings)
    {
        private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

        public void Read(string file)
        {
            foreach (var row in table.Rows)
            {
                var sourcedId = Required(row, "sourcedId");
                var deleted = Status(row);
                LastModified(row);
                if (sourcedId.Length > 0 && !_seen.TryAdd(sourcedId, row.Line))
                {
                    problems.Add(new(table.PathOf(row.Line, "sourcedId"), "oneroster.sourcedid.duplicate", string.Create(CultureInfo.InvariantCulture, $"The sourcedId '{sourcedId}' already appears on line {_seen[sourcedId]} of {table.FileName}.")));
                    continue;
                }

                switch (file)
                {
                    case "orgs":
                        ReadOrg(row, sourcedId, deleted);
                        break;
                    case "academicSessions":
                        ReadSession(row, sourcedId, deleted);
                        break;
                    case "courses":
                        data.Courses.Add(new OrCourse
                        {
                            Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta,
                            Title = Get(row, "title"),
                            Grades = Grades(row, "grades"),
                            Org = Optional(row, "orgSourcedId"),
                            SchoolYearSession = Optional(row, "schoolYearSourcedId"),
                        });
                        break;
                    case "classes":
                        data.Classes.Add(new OrClass
                        {
                            Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta,
                            Title = Required(row, "title"),
                            Grades = Grades(row, "grades"),
                            Course = Required(row, "courseSourcedId"),
                            School = Required(row, "schoolSourcedId"),
                            Terms = RequiredList(row, "termSourcedIds"),
                        });
                        break;
                    case "users":
                        ReadUser(row, sourcedId, deleted);
                        break;
                    case "roles":
                        ReadRole(row, sourcedId, deleted);
                        break;
                    case "enrollments":
                        ReadEnrollment(row, sourcedId, deleted);
                        break;
                    case "demographics":
                        ReadDemographics(row, sourcedId, deleted);
                        break;
                    default:
                        break;
                }
            }
        }

        /// <summary>A user's demographics: each flag that is true, and the sex, as reporting groups.</summary>
        private void ReadDemographics(CsvRow row, string sourcedId, bool deleted)
        {
            var groups = new List<string>();
            foreach (var flag in DemographicFlags.Where(table.Has))
            {
                var value = Get(row, flag);
                if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    groups.Add(flag);
                }
                else if (value.Length > 0 && !value.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new(table.PathOf(row.Line, flag), "oneroster.demographics.boolean", $"{flag} is '{value}': use true or false (or leave it empty)."));
                }
            }

            if (Optional(row, "sex") is { } sex)
            {
                if (sex is not ("male" or "female" or "unspecified" or "other"))
                {
                    problems.Add(new(table.PathOf(row.Line, "sex"), "oneroster.demographics.sex", $"sex is '{sex}': use male, female, unspecified or other."));
                }
                else
                {
                    groups.Add("sex:" + sex);
                }
            }

            data.Demographics.Add(new OrDemographics { Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta, Groups = groups });
        }

        private void ReadOrg(CsvRow row, string sourcedId, bool deleted)
        {
            var type = Required(row, "type");
            if (type.Length > 0 && !OrgTypes.Contains(type) && !type.StartsWith("ext:", StringComparison.Ordinal))
            {
                problems.Add(new(table.PathOf(row.Line, "type"), "oneroster.org.type", $"The org type '{type}' is not a OneRoster org type (school, district, department, local, state, national, ext:...)."));
            }

            data.Orgs.Add(new OrOrg
            {
                Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta,
                Name = Required(row, "name"),
                Type = type,
                Identifier = Optional(row, "identifier"),
                Parent = Optional(row, "parentSourcedId"),
            });
        }

        private void ReadSession(CsvRow row, string sourcedId, bool deleted)
        {
            var type = Required(row, "type");
            if (type.Length > 0 && !SessionTypes.Contains(type) && !type.StartsWith("ext:", StringComparison.Ordinal))
            {
                problems.Add(new(table.PathOf(row.Line, "type"), "oneroster.session.type", $"The session type '{type}' is not a OneRoster session type (schoolYear, semester, term, gradingPeriod)."));
            }

            var start = Date(row, "startDate", required: true);
            var end = Date(row, "endDate", required: true);
            if (start is { } s && end is { } e && e < s)
            {
                problems.Add(new(table.PathOf(row.Line, "endDate"), "oneroster.dates.ordered", $"The endDate {e:yyyy-MM-dd} is before the startDate {s:yyyy-MM-dd}."));
            }

            // OneRoster's schoolYear names the year a school year ends in: 2026 is 2025-26.
            SchoolYear? year = null;
            var text = Required(row, "schoolYear");
            if (text.Length > 0)
            {
                if (text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var endYear) && endYear > 1900)
                {
                    year = new SchoolYear(endYear - 1);
                }
                else
                {
                    problems.Add(new(table.PathOf(row.Line, "schoolYear"), "oneroster.session.school-year", $"The schoolYear '{text}' is not a year (YYYY, the year the school year ends, e.g. 2026 for 2025-26)."));
                }
            }

            data.Sessions.Add(new OrSession
            {
                Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta,
                Title = Required(row, "title"),
                Start = start,
                End = end,
                Year = year,
                Parent = Optional(row, "parentSourcedId"),
            });
        }

        private void ReadUser(CsvRow row, string sourcedId, bool deleted)
        {
            var enabled = Get(row, "enabledUser");
            if (enabled.Length > 0 && !enabled.Equals("true", StringComparison.OrdinalIgnoreCase) && !enabled.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(table.PathOf(row.Line, "enabledUser"), "oneroster.boolean", $"enabledUser is '{enabled}': use true or false."));
            }

            var orgs = new List<string>();
            var primary = new HashSet<string>(StringComparer.Ordinal);
            var roles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (data.Version == "1.1")
            {
                orgs.AddRange(RequiredList(row, "orgSourcedIds"));
                var role = Required(row, "role");
                if (role.Length > 0)
                {
                    CheckRole(row, "role", role, UserRoles);
                    roles.Add(role);
                }
            }
            else if (Optional(row, "primaryOrgSourcedId") is { } p)
            {
                orgs.Add(p);
                primary.Add(p);
            }

            UserIds(row);
            data.Users.Add(new OrUser
            {
                Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta,
                GivenName = Get(row, "givenName"),
                FamilyName = Get(row, "familyName"),
                PreferredGivenName = Optional(row, "preferredGivenName"),
                PreferredFamilyName = Optional(row, "preferredFamilyName"),
                Identifier = Optional(row, "identifier"),
                Email = Optional(row, "email"),
                Agents = List(row, "agentSourcedIds"),
                Grades = Grades(row, "grades"),
                Orgs = orgs,
                PrimaryOrgs = primary,
                Roles = roles,
            });
        }

        private void ReadRole(CsvRow row, string sourcedId, bool deleted)
        {
            var roleType = Required(row, "roleType");
            if (roleType.Length > 0 && !roleType.Equals("primary", StringComparison.OrdinalIgnoreCase) && !roleType.Equals("secondary", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(table.PathOf(row.Line, "roleType"), "oneroster.role.type", $"roleType is '{roleType}': use primary or secondary."));
            }

            var role = Required(row, "role");
            CheckRole(row, "role", role, UserRoles);
            var begin = Date(row, "beginDate", required: false);
            var end = Date(row, "endDate", required: false);
            CheckOrdered(row, begin, end, "endDate");
            data.Roles.Add(new OrRole
            {
                Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta,
                User = Required(row, "userSourcedId"),
                Role = role,
                Primary = roleType.Equals("primary", StringComparison.OrdinalIgnoreCase),
                Org = Required(row, "orgSourcedId"),
            });
        }

        private void ReadEnrollment(CsvRow row, string sourcedId, bool deleted)
        {
            var role = Required(row, "role");
            CheckRole(row, "role", role, EnrollmentRoles);
            var primary = Get(row, "primary");
            if (primary.Length > 0 && !primary.Equals("true", StringComparison.OrdinalIgnoreCase) && !primary.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(table.PathOf(row.Line, "primary"), "oneroster.boolean", $"primary is '{primary}': use true or false."));
            }

            var begin = Date(row, "beginDate", required: false);
            var end = Date(row, "endDate", required: false);
            CheckOrdered(row, begin, end, "endDate");
            data.Enrollments.Add(new OrEnrollment
            {
                Table = table, Line = row.Line, SourcedId = sourcedId, Deleted = deleted, IsDelta = delta,
                Class = Required(row, "classSourcedId"),
                School = Required(row, "schoolSourcedId"),
                User = Required(row, "userSourcedId"),
                Role = role.ToLowerInvariant(),
                Begin = begin,
                End = end,
            });
        }

        private void CheckOrdered(CsvRow row, DateOnly? begin, DateOnly? end, string endColumn)
        {
            if (begin is { } b && end is { } e && e < b)
            {
                problems.Add(new(table.PathOf(row.Line, endColumn), "oneroster.dates.ordered", $"The {endColumn} {e:yyyy-MM-dd} is before the beginDate {b:yyyy-MM-dd}."));
            }
        }

        private void CheckRole(CsvRow row, string column, string role, HashSet<string> allowed)
        {
            if (role.Length > 0 && !allowed.Contains(role) && !role.StartsWith("ext:", StringComparison.Ordinal))
            {
                problems.Add(new(table.PathOf(row.Line, column), "oneroster.role.unknown", $"The role '{role}' is not a OneRoster role here ({string.Join(", ", allowed.Order(StringComparer.Ordinal))} or ext:...)."));
            }
        }

        private bool Status(CsvRow row)
        {
            var status = Get(row, "status");
            if (status.Length == 0)
            {
                if (delta)
                {
                    problems.Add(new(table.PathOf(row.Line, "status"), "oneroster.status.required", $"{table.FileName} is a delta file: every row needs a status (active or tobedeleted)."));
                }

                return false;
            }

            if (status.Equals("active", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (status.Equals("tobedeleted", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            problems.Add(new(table.PathOf(row.Line, "status"), "oneroster.status.value", $"The status '{status}' is not active or tobedeleted."));
            return false;
        }

        private void LastModified(CsvRow row)
        {
            var text = Get(row, "dateLastModified");
            if (text.Length > 0 && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                problems.Add(new(table.PathOf(row.Line, "dateLastModified"), "oneroster.datetime", $"dateLastModified '{text}' is not an ISO 8601 date-time."));
            }
        }

        private DateOnly? Date(CsvRow row, string column, bool required)
        {
            var text = required ? Required(row, column) : Get(row, column);
            if (text.Length == 0)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            problems.Add(new(table.PathOf(row.Line, column), "oneroster.date", $"{column} '{text}' is not a date (yyyy-MM-dd)."));
            return null;
        }

        private List<GradeLevel> Grades(CsvRow row, string column)
        {
            var grades = new List<GradeLevel>();
            foreach (var code in List(row, column))
            {
                if (GradeLevel.TryParse(code, out var grade))
                {
                    if (!grades.Contains(grade))
                    {
                        grades.Add(grade);
                    }
                }
                else if (!UnsupportedGrades.Contains(code))
                {
                    problems.Add(new(table.PathOf(row.Line, column), "oneroster.grade.unknown", $"'{code}' is not a grade code (IT, PR, PK, TK, KG, 01-13, PS, UG, Other)."));
                }
            }

            return grades;
        }

        private void UserIds(CsvRow row)
        {
            foreach (var id in List(row, "userIds"))
            {
                if (id.Length < 3 || id[0] != '{' || id[^1] != '}' || !id.Contains(':', StringComparison.Ordinal))
                {
                    warnings.Add(new(table.PathOf(row.Line, "userIds"), "oneroster.user-ids.format", $"The userId '{id}' is not written as {{type:value}}; it was ignored."));
                }
            }
        }

        private string Get(CsvRow row, string column) => table.Get(row, column);

        private string? Optional(CsvRow row, string column)
        {
            var value = Get(row, column);
            return value.Length == 0 ? null : value;
        }

        private string Required(CsvRow row, string column)
        {
            var value = Get(row, column);
            if (value.Length == 0)
            {
                problems.Add(new(table.PathOf(row.Line, column), "oneroster.value.required", $"{column} is required in {table.FileName}."));
            }

            return value;
        }

        private List<string> List(CsvRow row, string column) =>
            Get(row, column).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

        private List<string> RequiredList(CsvRow row, string column)
        {
            var list = List(row, column);
            if (list.Count == 0)
            {
                problems.Add(new(table.PathOf(row.Line, column), "oneroster.value.required", $"{column} is required in {table.FileName}."));
            }

            return list;
        }
    }
}
