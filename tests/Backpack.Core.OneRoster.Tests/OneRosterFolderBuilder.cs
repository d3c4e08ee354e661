using System.Text;

namespace Backpack.Core.OneRoster.Tests;

/// <summary>Writes small OneRoster CSV folders (1.2 or 1.1 layout) to a temporary directory for a test.</summary>
internal sealed class OneRosterFolderBuilder : IDisposable
{
    private readonly List<string> _orgs = ["d1,active,,District,district,D1,"];
    private readonly List<string> _sessions = [];
    private readonly List<string> _courses = [];
    private readonly List<string> _classes = [];
    private readonly List<(string Id, string Role, string Org, string Given, string Family, string Identifier, string Grades, string Agents, string Status)> _users = [];
    private readonly List<string> _enrollments = [];
    private readonly List<string> _dirs = [];

    public OneRosterFolderBuilder School(string id) => Add(_orgs, $"{id},active,,School {id},school,{id.ToUpperInvariant()},d1");

    /// <summary>A school year (OneRoster schoolYear = the year it ends) with one term per year.</summary>
    public OneRosterFolderBuilder Year(int endYear) => Add(_sessions, $"y{endYear},active,,{endYear - 1}-{endYear % 100:00},schoolYear,{endYear - 1}-08-15,{endYear}-06-05,,{endYear}");

    public OneRosterFolderBuilder Class(string id, string school, int endYear, string grade)
    {
        _courses.Add($"c-{id},active,,y{endYear},Course {id},{id},{grade},{school},,");
        return Add(_classes, $"{id},active,,Class {id},{grade},c-{id},{id},scheduled,,{school},y{endYear},,,");
    }

    public OneRosterFolderBuilder Student(string id, string school, string grade, string status = "active") =>
        AddUser(id, "student", school, "Student", id, $"ID-{id}", grade, string.Empty, status);

    public OneRosterFolderBuilder Teacher(string id, string school) =>
        AddUser(id, "teacher", school, "Teacher", id, string.Empty, string.Empty, string.Empty, "active");

    public OneRosterFolderBuilder Guardian(string id, string child) =>
        AddUser(id, "guardian", "d1", "Guardian", id, string.Empty, string.Empty, child, "active");

    public OneRosterFolderBuilder Enroll(string user, string cls, string school, string? begin = null, string? end = null, string role = "student", string status = "active") =>
        Add(_enrollments, $"e-{_enrollments.Count + 1}-{user}-{cls},{status},,{cls},{school},{user},{role},false,{begin},{end}");

    /// <summary>Writes the folder and returns its path.</summary>
    public string Write(string version = "1.2")
    {
        var dir = Path.Combine(Path.GetTempPath(), "oneroster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _dirs.Add(dir);
        var files = version == "1.2"
            ? new[] { "orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments" }
            : ["orgs", "academicSessions", "courses", "classes", "users", "enrollments"];
        File.WriteAllLines(Path.Combine(dir, "manifest.csv"), ["propertyName,value", $"oneroster.version,{version}", .. files.Select(f => $"file.{f},bulk")]);
        WriteCsv(dir, "orgs", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId", _orgs);
        WriteCsv(dir, "academicSessions", "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear", _sessions);
        WriteCsv(dir, "courses", "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes", _courses);
        WriteCsv(dir, "classes", "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods", _classes);
        WriteCsv(dir, "enrollments", "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate", _enrollments);
        if (version == "1.2")
        {
            WriteCsv(dir, "users", "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns",
                _users.Select(u => $"{u.Id},{u.Status},,true,{u.Id},,{u.Given},{u.Family},,{u.Identifier},,,,{u.Agents},{u.Grades},,,,,,,{u.Org},"));
            WriteCsv(dir, "roles", "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId",
                _users.Select(u => $"r-{u.Id},active,,{u.Id},primary,{u.Role},,,{u.Org},"));
        }
        else
        {
            WriteCsv(dir, "users", "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
                _users.Select(u => $"{u.Id},{u.Status},,true,{u.Org},{u.Role},{u.Id},,{u.Given},{u.Family},,{u.Identifier},,,,{u.Agents},{u.Grades},"));
        }

        return dir;
    }

    /// <summary>Forgets the enrollments (to describe a later export of the same district).</summary>
    public OneRosterFolderBuilder ClearEnrollments()
    {
        _enrollments.Clear();
        return this;
    }

    /// <summary>Changes a student's grade and primary school (a later export).</summary>
    public OneRosterFolderBuilder MoveStudent(string id, string school, string grade)
    {
        var i = _users.FindIndex(u => u.Id == id);
        _users[i] = _users[i] with { Org = school, Grades = grade };
        return this;
    }

    public void Dispose()
    {
        foreach (var d in _dirs.Where(Directory.Exists))
        {
            Directory.Delete(d, recursive: true);
        }
    }

    private OneRosterFolderBuilder AddUser(string id, string role, string org, string given, string family, string identifier, string grades, string agents, string status)
    {
        _users.Add((id, role, org, given, family, identifier, grades, agents, status));
        return this;
    }

    private OneRosterFolderBuilder Add(List<string> list, string line)
    {
        list.Add(line);
        return this;
    }

    private static void WriteCsv(string dir, string name, string header, IEnumerable<string> rows) =>
        File.WriteAllText(Path.Combine(dir, name + ".csv"), string.Join("\r\n", rows.Prepend(header)) + "\r\n", new UTF8Encoding(true));
}
