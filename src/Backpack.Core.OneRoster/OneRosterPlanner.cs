using Backpack.Core.Storage;

namespace Backpack.Core.OneRoster;

/// <summary>
/// Checks references and maps a read OneRoster folder onto the domain, against what the store holds:
/// schools, students (identities, guardians, enrollment history with transfers) and rosters. Collects every
/// problem; computes only changed items, each with the version it was read at.
/// </summary>
internal sealed class OneRosterPlanner(OneRosterData data, RosterImport store, OneRosterImportOptions options, List<ValidationProblem> problems, List<ValidationProblem> warnings)
{
    private readonly Dictionary<string, OrOrg> _orgs = Index(data.Orgs);
    private readonly Dictionary<string, OrSession> _sessions = Index(data.Sessions);
    private readonly Dictionary<string, OrCourse> _courses = Index(data.Courses);
    private readonly Dictionary<string, OrClass> _classes = Index(data.Classes);
    private readonly Dictionary<string, OrUser> _users = Index(data.Users);
    private readonly Dictionary<SchoolId, School> _storeSchools = [];
    private readonly Dictionary<string, SchoolId> _schoolIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClassInfo?> _classInfo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StudentInfo?> _students = new(StringComparer.Ordinal);
    private readonly List<string> _studentOrder = [];
    private readonly List<(OrEnrollment Row, ClassInfo Class)> _enrollments = [];
    private readonly List<(School? Before, School After)> _schoolChanges = [];
    private readonly Dictionary<RosterId, (Roster? Before, Roster After)> _rosters = [];
    private readonly List<(Student? Before, Student After)> _studentChanges = [];

    public int Transfers { get; private set; }

    public async Task PlanAsync(CancellationToken ct)
    {
        await PlanSchoolsAsync(ct).ConfigureAwait(false);
        CheckSessionsAndCourses();
        await ResolveClassesAsync(ct).ConfigureAwait(false);
        CheckUsers();
        await ResolveStudentsAsync(ct).ConfigureAwait(false);
        await ResolveEnrollmentsAsync(ct).ConfigureAwait(false);
        PlanRosters();
        PlanStudents();
        await RemoveDeletedStudentsFromStoredRostersAsync(ct).ConfigureAwait(false);
    }

    public OneRosterImportResult Fill(RosterImport command, string version)
    {
        foreach (var (_, after) in _schoolChanges)
        {
            command.Put(after);
        }

        var changedStudents = _studentChanges.Where(c => c.Before != c.After).ToList();
        foreach (var (before, after) in changedStudents)
        {
            command.Put(before, after);
        }

        var changedRosters = _rosters.Values.Where(c => c.Before != c.After).OrderBy(c => c.After.Id).ToList();
        foreach (var (before, after) in changedRosters)
        {
            command.Put(before, after);
        }

        return new OneRosterImportResult
        {
            OneRosterVersion = version,
            SchoolsAdded = _schoolChanges.Count(c => c.Before is null),
            SchoolsUpdated = _schoolChanges.Count(c => c.Before is not null),
            StudentsAdded = changedStudents.Count(c => c.Before is null),
            StudentsUpdated = changedStudents.Count(c => c.Before is not null),
            Transfers = Transfers,
            RostersAdded = changedRosters.Count(c => c.Before is null),
            RostersUpdated = changedRosters.Count(c => c.Before is not null),
            Warnings = warnings.ToValueList(),
        };
    }

    private static Dictionary<string, T> Index<T>(List<T> records)
        where T : OneRosterRecord
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r.SourcedId.Length > 0))
        {
            index.TryAdd(r.SourcedId, r);
        }

        return index;
    }

    private void Problem(OneRosterRecord r, string column, string rule, string message) => problems.Add(new(r.At(column), rule, message));

    private void UnknownReference(OneRosterRecord r, string column, string id, string kind, string file) =>
        Problem(r, column, "oneroster.reference.unknown", $"{column} '{id}' names no {kind} in {file}" + (r.IsDelta ? " or in the store." : "."));

    private async Task PlanSchoolsAsync(CancellationToken ct)
    {
        var stored = await store.ListSchoolsAsync(ct).ConfigureAwait(false);
        foreach (var s in stored)
        {
            _storeSchools[s.Id] = s;
        }

        var byCode = stored.Where(s => s.Code is not null).GroupBy(s => s.Code!, StringComparer.Ordinal)
            .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
        var derived = _orgs.Values.Where(o => o.IsSchool).Select(o => OneRosterIds.School(o.SourcedId)).ToHashSet();
        foreach (var org in _orgs.Values)
        {
            if (org.Parent is { } parent && !_orgs.ContainsKey(parent))
            {
                if (org.IsDelta)
                {
                    warnings.Add(new(org.At("parentSourcedId"), "oneroster.reference.outside-delta", $"parentSourcedId '{parent}' is not in this delta; it is assumed known."));
                }
                else
                {
                    UnknownReference(org, "parentSourcedId", parent, "org", "orgs.csv");
                }
            }

            if (!org.IsSchool)
            {
                continue;
            }

            var id = OneRosterIds.School(org.SourcedId);
            if (!_storeSchools.ContainsKey(id) && org.Identifier is { } code && byCode.TryGetValue(code, out var sameCode) && !derived.Contains(sameCode.Id))
            {
                id = sameCode.Id; // a school set up by hand before the first import: adopt it by its code
            }

            _schoolIds[org.SourcedId] = id;
            _storeSchools.TryGetValue(id, out var before);
            if (org.Deleted)
            {
                warnings.Add(new(org.At("status"), "oneroster.school.kept", "A school marked tobedeleted is kept: its students' history refers to it."));
                continue;
            }

            var after = before is null
                ? new School(id, org.Name, org.Identifier)
                : before with { Name = org.Name, Code = org.Identifier ?? before.Code };
            if (after != before && !string.IsNullOrWhiteSpace(org.Name))
            {
                _schoolChanges.Add((before, after));
            }
        }
    }

    /// <summary>Resolves a school reference: an org of type school in the files or, from a delta row, a school in the store.</summary>
    private SchoolId? ResolveSchool(OneRosterRecord r, string column, string sourcedId)
    {
        if (sourcedId.Length == 0)
        {
            return null;
        }

        if (_orgs.TryGetValue(sourcedId, out var org))
        {
            if (!org.IsSchool)
            {
                Problem(r, column, "oneroster.reference.not-school", $"{column} '{sourcedId}' names an org of type '{org.Type}', not a school.");
                return null;
            }

            return _schoolIds[sourcedId];
        }

        if (r.IsDelta && _storeSchools.ContainsKey(OneRosterIds.School(sourcedId)))
        {
            return OneRosterIds.School(sourcedId);
        }

        UnknownReference(r, column, sourcedId, "school", "orgs.csv");
        return null;
    }

    private void CheckSessionsAndCourses()
    {
        foreach (var s in _sessions.Values.Where(s => s.Parent is not null && !_sessions.ContainsKey(s.Parent)))
        {
            UnknownReference(s, "parentSourcedId", s.Parent!, "academic session", "academicSessions.csv");
        }

        foreach (var c in _courses.Values)
        {
            if (c.Org is { } org && !_orgs.ContainsKey(org) && !(c.IsDelta && _storeSchools.ContainsKey(OneRosterIds.School(org))))
            {
                UnknownReference(c, "orgSourcedId", org, "org", "orgs.csv");
            }

            if (c.SchoolYearSession is { } y && !_sessions.ContainsKey(y))
            {
                UnknownReference(c, "schoolYearSourcedId", y, "academic session", "academicSessions.csv");
            }
        }
    }

    private SchoolYear? YearOf(OrSession s) =>
        s.Year ?? (s.Start is { } start ? SchoolYear.Containing(start, options.SchoolYearStartMonth) : null);

    private async Task ResolveClassesAsync(CancellationToken ct)
    {
        foreach (var c in _classes.Values)
        {
            if (c.Course.Length > 0 && !_courses.ContainsKey(c.Course) && !c.IsDelta)
            {
                UnknownReference(c, "courseSourcedId", c.Course, "course", "courses.csv");
            }

            var school = ResolveSchool(c, "schoolSourcedId", c.School);
            var existing = await store.GetRosterAsync(OneRosterIds.Roster(c.SourcedId), ct).ConfigureAwait(false);
            var years = new HashSet<SchoolYear>();
            DateOnly? begin = null;
            DateOnly? end = null;
            var termsKnown = true;
            foreach (var t in c.Terms)
            {
                if (!_sessions.TryGetValue(t, out var term))
                {
                    termsKnown = false;
                    if (!(c.IsDelta && existing is not null))
                    {
                        UnknownReference(c, "termSourcedIds", t, "academic session", "academicSessions.csv");
                    }

                    continue;
                }

                if (YearOf(term) is { } y)
                {
                    years.Add(y);
                }

                begin = term.Start is { } s && (begin is null || s < begin) ? s : begin;
                end = term.End is { } e && (end is null || e > end) ? e : end;
            }

            if (years.Count > 1)
            {
                Problem(c, "termSourcedIds", "oneroster.class.one-school-year", $"The terms of class '{c.SourcedId}' fall in different school years ({string.Join(", ", years.Order())}).");
            }

            SchoolYear? year = years.Count == 1 ? years.Single() : termsKnown ? null : existing?.Year;
            if (school is null || year is null)
            {
                _classInfo[c.SourcedId] = null;
                continue;
            }

            var grades = c.Grades.Count > 0 ? c.Grades : _courses.TryGetValue(c.Course, out var course) ? course.Grades : [];
            _classInfo[c.SourcedId] = new ClassInfo(c.SourcedId, OneRosterIds.Roster(c.SourcedId), school.Value, year.Value, begin, end, grades, c, existing);
        }
    }

    private void CheckUsers()
    {
        foreach (var u in _users.Values)
        {
            foreach (var org in u.Orgs)
            {
                var column = data.Version == "1.1" ? "orgSourcedIds" : "primaryOrgSourcedId";
                if (!_orgs.ContainsKey(org) && u.Table.Has(column))
                {
                    if (u.IsDelta)
                    {
                        warnings.Add(new(u.At(column), "oneroster.reference.outside-delta", $"{column} '{org}' is not in this delta; it is assumed known."));
                    }
                    else
                    {
                        UnknownReference(u, column, org, "org", "orgs.csv");
                    }
                }
            }

            foreach (var agent in u.Agents.Where(a => !_users.ContainsKey(a)))
            {
                if (u.IsDelta)
                {
                    warnings.Add(new(u.At("agentSourcedIds"), "oneroster.reference.outside-delta", $"agentSourcedIds '{agent}' is not in this delta; the link was not changed."));
                }
                else
                {
                    UnknownReference(u, "agentSourcedIds", agent, "user", "users.csv");
                }
            }

            // 1.1 has no primary org: a user in exactly one school has it as primary.
            if (u.PrimaryOrgs.Count == 0)
            {
                var schools = u.Orgs.Where(o => _orgs.TryGetValue(o, out var org) && org.IsSchool).ToList();
                if (schools.Count == 1)
                {
                    u.PrimaryOrgs.Add(schools[0]);
                }
            }
        }

        foreach (var r in data.Roles)
        {
            if (r.User.Length > 0 && !_users.ContainsKey(r.User))
            {
                UnknownReference(r, "userSourcedId", r.User, "user", "users.csv");
            }

            if (r.Org.Length > 0 && !_orgs.ContainsKey(r.Org) && !(r.IsDelta && _storeSchools.ContainsKey(OneRosterIds.School(r.Org))))
            {
                UnknownReference(r, "orgSourcedId", r.Org, "org", "orgs.csv");
            }
        }
    }

    private HashSet<string>? _enrolledAsStudent;

    private bool IsStudentUser(OrUser u)
    {
        _enrolledAsStudent ??= data.Enrollments.Where(e => e.IsStudent).Select(e => e.User).ToHashSet(StringComparer.Ordinal);
        return u.IsStudent || (u.Roles.Count == 0 && _enrolledAsStudent.Contains(u.SourcedId));
    }

    private async Task ResolveStudentsAsync(CancellationToken ct)
    {
        var districtIds = new Dictionary<string, OrUser>(StringComparer.Ordinal);
        foreach (var u in _users.Values.Where(IsStudentUser))
        {
            if (!u.Deleted && string.IsNullOrWhiteSpace(u.DisplayName))
            {
                Problem(u, "givenName", "oneroster.student.name-required", "A student needs a givenName or familyName.");
            }

            if (u.Identifier is { } identifier && !districtIds.TryAdd(identifier, u))
            {
                Problem(u, "identifier", "oneroster.student.identifier-duplicate", $"The identifier '{identifier}' is also the identifier of the student on line {districtIds[identifier].Line}.");
            }

            var existing = await store.FindStudentAsync(StudentIdentityKind.OneRosterSourcedId, u.SourcedId, ct).ConfigureAwait(false);
            if (existing is null && u.Identifier is { } id)
            {
                var byDistrictId = await store.FindStudentAsync(StudentIdentityKind.DistrictStudentId, id, ct).ConfigureAwait(false);
                if (byDistrictId is not null && byDistrictId.OneRosterSourcedId is not null && byDistrictId.OneRosterSourcedId != u.SourcedId)
                {
                    Problem(u, "identifier", "oneroster.student.identifier-taken", $"The identifier '{id}' belongs to a stored student with another OneRoster sourcedId.");
                }
                else
                {
                    existing = byDistrictId; // a student known before (e.g. from Classroom) gets its OneRoster identity
                }
            }

            _students[u.SourcedId] = new StudentInfo(u.SourcedId, existing?.Id ?? OneRosterIds.Student(u.SourcedId), existing, u);
            _studentOrder.Add(u.SourcedId);
        }
    }

    private async Task<StudentInfo?> StudentAsync(OrEnrollment e, CancellationToken ct)
    {
        if (_students.TryGetValue(e.User, out var known))
        {
            return known;
        }

        if (_users.TryGetValue(e.User, out var user))
        {
            Problem(e, "role", "oneroster.enrollment.role-mismatch", $"The enrollment's role is student but user '{e.User}' has the role(s) {string.Join(", ", user.Roles.Order(StringComparer.Ordinal))}.");
            return null;
        }

        if (e.IsDelta)
        {
            var stored = await store.FindStudentAsync(StudentIdentityKind.OneRosterSourcedId, e.User, ct).ConfigureAwait(false);
            if (stored is not null)
            {
                var info = new StudentInfo(e.User, stored.Id, stored, null);
                _students[e.User] = info;
                _studentOrder.Add(e.User);
                return info;
            }
        }

        UnknownReference(e, "userSourcedId", e.User, "student", "users.csv");
        _students[e.User] = null;
        return null;
    }

    private async Task<ClassInfo?> ClassAsync(OrEnrollment e, CancellationToken ct)
    {
        if (_classInfo.TryGetValue(e.Class, out var known))
        {
            return known;
        }

        ClassInfo? info = null;
        if (e.IsDelta && await store.GetRosterAsync(OneRosterIds.Roster(e.Class), ct).ConfigureAwait(false) is { } roster)
        {
            info = new ClassInfo(e.Class, roster.Id, roster.SchoolId, roster.Year, null, null, [], null, roster);
        }
        else
        {
            UnknownReference(e, "classSourcedId", e.Class, "class", "classes.csv");
        }

        _classInfo[e.Class] = info;
        return info;
    }

    private async Task ResolveEnrollmentsAsync(CancellationToken ct)
    {
        foreach (var e in data.Enrollments.Where(e => e.SourcedId.Length > 0 && e.Class.Length > 0 && e.User.Length > 0))
        {
            var cls = await ClassAsync(e, ct).ConfigureAwait(false);
            var school = ResolveSchool(e, "schoolSourcedId", e.School);
            if (cls is not null && school is not null && cls.School != school)
            {
                Problem(e, "schoolSourcedId", "oneroster.enrollment.school-mismatch", $"schoolSourcedId '{e.School}' is not the school of class '{e.Class}'.");
            }

            if (e.IsStudent)
            {
                _ = await StudentAsync(e, ct).ConfigureAwait(false);
            }
            else if (!_users.ContainsKey(e.User))
            {
                if (e.IsDelta)
                {
                    warnings.Add(new(e.At("userSourcedId"), "oneroster.reference.outside-delta", $"userSourcedId '{e.User}' is not in this delta; it is assumed known."));
                }
                else
                {
                    UnknownReference(e, "userSourcedId", e.User, "user", "users.csv");
                }
            }

            if (cls is not null)
            {
                _enrollments.Add((e, cls));
            }
        }
    }

    /// <summary>Whether an enrollment puts its user on the roster as of the import date.</summary>
    private bool IsCurrent(OrEnrollment e) =>
        !e.Deleted && (e.End is null || e.End.Value >= options.AsOf) && !(_users.TryGetValue(e.User, out var u) && u.Deleted);

    private void PlanRosters()
    {
        var mode = data.ModeOf("enrollments");
        var byClass = _enrollments.GroupBy(x => x.Class.SourcedId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Row).ToList(), StringComparer.Ordinal);
        var deletedStudents = _students.Values.OfType<StudentInfo>().Where(s => s.User?.Deleted == true).Select(s => s.Id).ToHashSet();
        var classes = _classInfo.Values.OfType<ClassInfo>().OrderBy(c => c.Row is null ? 1 : 0).ThenBy(c => c.Row?.Line ?? 0).ThenBy(c => c.SourcedId, StringComparer.Ordinal);
        foreach (var c in classes)
        {
            var rows = byClass.TryGetValue(c.SourcedId, out var list) ? list.OrderBy(r => r.User, StringComparer.Ordinal).ToList() : [];
            var teachers = c.Existing?.Teachers ?? ValueList<PersonId>.Empty;
            var students = c.Existing?.Students ?? ValueList<StudentId>.Empty;
            var currentTeachers = rows.Where(r => r.IsTeacher && IsCurrent(r)).Select(r => OneRosterIds.Person(r.User)).Distinct().ToList();
            var currentStudents = rows.Where(r => r.IsStudent && IsCurrent(r)).Select(r => _students.GetValueOrDefault(r.User)?.Id).OfType<StudentId>().Distinct().ToList();
            if (mode == OneRosterFileMode.Bulk)
            {
                teachers = currentTeachers.ToValueList();
                students = currentStudents.ToValueList();
            }
            else if (mode == OneRosterFileMode.Delta)
            {
                var goneTeachers = rows.Where(r => r.IsTeacher && !IsCurrent(r)).Select(r => OneRosterIds.Person(r.User)).ToHashSet();
                var goneStudents = rows.Where(r => r.IsStudent && !IsCurrent(r)).Select(r => _students.GetValueOrDefault(r.User)?.Id).OfType<StudentId>().ToHashSet();
                teachers = teachers.Where(t => !goneTeachers.Contains(t) || currentTeachers.Contains(t)).Concat(currentTeachers.Where(t => !teachers.Contains(t))).ToValueList();
                students = students.Where(s => !goneStudents.Contains(s) || currentStudents.Contains(s)).Concat(currentStudents.Where(s => !students.Contains(s))).ToValueList();
            }

            students = students.Where(s => !deletedStudents.Contains(s)).ToValueList();
            var archived = c.Row is null
                ? c.Existing?.IsArchived ?? false
                : c.Row.Deleted || (c.End is { } end && end < options.AsOf);
            var name = c.Row?.Title ?? c.Existing!.Name;
            var after = c.Existing is null
                ? new Roster(c.RosterId, c.School, c.Year, name, teachers, students) { IsArchived = archived }
                : c.Existing with { SchoolId = c.School, Year = c.Year, Name = name, Teachers = teachers, Students = students, IsArchived = archived };
            _rosters[c.RosterId] = (c.Existing, after);
        }
    }

    private async Task RemoveDeletedStudentsFromStoredRostersAsync(CancellationToken ct)
    {
        var year = SchoolYear.Containing(options.AsOf, options.SchoolYearStartMonth);
        foreach (var s in _students.Values.OfType<StudentInfo>().Where(s => s.User?.Deleted == true && s.Existing is not null))
        {
            foreach (var r in await store.ListRostersForStudentAsync(s.Id, year, ct).ConfigureAwait(false))
            {
                var (before, after) = _rosters.TryGetValue(r.Id, out var planned) ? planned : (r, r);
                _rosters[r.Id] = (before, after with { Students = after.Students.Where(x => x != s.Id).ToValueList() });
            }
        }
    }

    private void PlanStudents()
    {
        var byStudent = _enrollments.Where(x => x.Row.IsStudent && !x.Row.Deleted && x.Class.Row?.Deleted != true)
            .GroupBy(x => x.Row.User, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // Guardian links run both ways: a student's agentSourcedIds and a parent's or guardian's agentSourcedIds.
        var guardians = _users.Values.Where(u => u.IsGuardian).ToList();
        var guardianIds = guardians.Select(g => OneRosterIds.Person(g.SourcedId)).ToHashSet();
        var links = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var g in guardians.Where(g => !g.Deleted))
        {
            foreach (var child in g.Agents)
            {
                Link(child, g.SourcedId);
            }
        }

        foreach (var u in _users.Values.Where(u => !u.Deleted))
        {
            foreach (var agent in u.Agents.Where(a => _users.TryGetValue(a, out var g) && g.IsGuardian && !g.Deleted))
            {
                Link(u.SourcedId, agent);
            }
        }

        void Link(string child, string guardian)
        {
            if (!links.TryGetValue(child, out var set))
            {
                links[child] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(guardian);
        }
        var demographics = new Dictionary<string, OrDemographics>(StringComparer.Ordinal);
        foreach (var d in data.Demographics)
        {
            demographics[d.SourcedId] = d;
        }

        foreach (var sourcedId in _studentOrder)
        {
            if (_students[sourcedId] is not { } info)
            {
                continue;
            }

            var existing = info.Existing;
            var user = info.User;
            var enrollments = existing?.Enrollments ?? ValueList<Enrollment>.Empty;
            if (user?.Deleted == true)
            {
                enrollments = enrollments.Select(e => e.ExitDate is null ? e with { ExitDate = e.EntryDate > options.AsOf ? e.EntryDate : options.AsOf } : e).ToValueList();
            }
            else if (byStudent.TryGetValue(sourcedId, out var rows))
            {
                enrollments = EnrollmentPlacement.Apply(enrollments, Spans(info, rows));
            }

            var student = existing ?? new Student(info.Id, string.Empty, string.Empty, []);
            if (user is not null && !user.Deleted)
            {
                student = student with
                {
                    DistrictStudentId = user.Identifier ?? existing?.DistrictStudentId ?? user.SourcedId,
                    DisplayName = user.DisplayName,
                    Email = user.Email ?? existing?.Email,
                    OneRosterSourcedId = user.SourcedId,
                    Guardians = Guardians(student.Guardians, links.GetValueOrDefault(user.SourcedId), guardianIds),
                };
            }

            // demographics.csv, when the manifest names it: the student's reporting groups (a deleted row clears them).
            if (demographics.TryGetValue(sourcedId, out var demo))
            {
                student = student with { Groups = demo.Deleted ? ValueList<string>.Empty : demo.Groups.ToValueList() };
            }

            student = student with { Enrollments = enrollments };
            foreach (var p in RosterService.Validate(student))
            {
                var where = user is not null ? user.At("sourcedId") : $"users.csv ({sourcedId})";
                problems.Add(new(where, p.Rule, $"The imported student '{sourcedId}' breaks a rule at {p.Path}: {p.Message}"));
            }

            for (var i = 1; i < student.Enrollments.Count; i++)
            {
                var e = student.Enrollments[i];
                var isNew = existing is null || !existing.Enrollments.Any(x => x.SchoolId == e.SchoolId && x.Grade == e.Grade && x.Year == e.Year && x.EntryDate == e.EntryDate);
                if (isNew && student.Enrollments[i - 1].SchoolId != e.SchoolId)
                {
                    Transfers++;
                }
            }

            _studentChanges.Add((existing, student));
        }
    }

    /// <summary>The stored guardians, less the file's guardians no longer linked, plus the newly linked (in sourcedId order).</summary>
    private static ValueList<PersonId> Guardians(ValueList<PersonId> current, SortedSet<string>? linked, HashSet<PersonId> guardiansInFile)
    {
        var ids = (linked ?? []).Select(OneRosterIds.Person).ToList();
        return current.Where(p => !guardiansInFile.Contains(p) || ids.Contains(p)).Concat(ids.Where(p => !current.Contains(p))).ToValueList();
    }

    private List<ClassMembership> Spans(StudentInfo info, List<(OrEnrollment Row, ClassInfo Class)> rows)
    {
        var spans = new List<ClassMembership>();
        var latestYear = rows.Max(r => r.Class.Year);
        var primary = info.User?.PrimaryOrgs.Select(o => _schoolIds.GetValueOrDefault(o)).ToHashSet() ?? [];
        foreach (var (row, cls) in rows)
        {
            // A delta row for a class known only from the store: the stored stretch at that school and year tells when it began.
            var begin = row.Begin ?? cls.Begin ?? info.Existing?.Enrollments.Where(e => e.SchoolId == cls.School && e.Year == cls.Year).Select(e => (DateOnly?)e.EntryDate).Min();
            if (begin is null)
            {
                Problem(row, "beginDate", "oneroster.enrollment.begin-required", $"The enrollment needs a beginDate: the terms of class '{row.Class}' are not in this import.");
                continue;
            }

            if (Grade(info, cls) is not { } grade)
            {
                Problem(row, "userSourcedId", "oneroster.enrollment.grade-unknown", $"No grade for student '{row.User}' in class '{row.Class}': give the user's grades or a single grade on the class or course.");
                continue;
            }

            spans.Add(new ClassMembership(cls.School, grade, cls.Year, begin.Value, row.End) { AtPrimarySchool = primary.Contains(cls.School) });
        }

        return spans;

        GradeLevel? Grade(StudentInfo s, ClassInfo c)
        {
            var userGrades = s.User?.Grades ?? [];
            GradeLevel? FromUser() => userGrades.Count == 0 ? null : userGrades.Intersect(c.Grades).Cast<GradeLevel?>().FirstOrDefault() ?? userGrades[0];

            // The user's grades describe the latest school year; earlier years take the class's (or course's) grade.
            if (c.Year == latestYear && FromUser() is { } current)
            {
                return current;
            }

            if (c.Grades.Count == 1)
            {
                return c.Grades[0];
            }

            return FromUser() ?? s.Existing?.LatestEnrollmentIn(c.Year)?.Grade;
        }
    }

    private sealed record ClassInfo(string SourcedId, RosterId RosterId, SchoolId School, SchoolYear Year, DateOnly? Begin, DateOnly? End, IReadOnlyList<GradeLevel> Grades, OrClass? Row, Roster? Existing);

    private sealed record StudentInfo(string SourcedId, StudentId Id, Student? Existing, OrUser? User);
}
