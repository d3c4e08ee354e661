using Backpack.Core.Access;
using Backpack.Core.Storage;

namespace Backpack.Core.Students;

/// <summary>Keeps schools, students, enrollments and rosters.</summary>
public sealed class RosterService
{
    private readonly CommandPath _path;

    internal RosterService(CommandPath path) => _path = path;

    private IBackpackStore Store => _path.Store;

    /// <summary>Adds or changes a school. Audited.</summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.SaveSchool"/>: a district administrator, roster sync, or an administrator of that school).</param>
    /// <param name="school">The school, with the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved school.</returns>
    public Task<School> SaveSchoolAsync(Actor actor, School school, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(school);
        return _path.RunAsync(actor, new AccessRequest(BackpackOperation.SaveSchool) { School = school.Id }, "school.save", c =>
        {
            if (string.IsNullOrWhiteSpace(school.Name))
            {
                throw new BackpackValidationException("$.name", "school.name.required", "A school needs a name.");
            }

            return Task.FromResult(c.Put(school));
        }, cancellationToken);
    }

    /// <summary>
    /// Adds or changes a student (identities, enrollments, guardians). An enrollment that ends takes the student
    /// off that school's rosters of its year (teacher access and Drive sharing follow).
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.SaveStudent"/>: a district administrator, roster sync, or an administrator of the school the student is enrolled in today; a new student, of every school they are enrolled in).</param>
    /// <param name="student">The student, with the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved student.</returns>
    public Task<Student> SaveStudentAsync(Actor actor, Student student, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(student);
        var request = new AccessRequest(BackpackOperation.SaveStudent) { Student = student.Id, Schools = student.Enrollments.Select(e => e.SchoolId).Distinct().ToValueList() };
        return _path.RunAsync(actor, request, "student.save", async c =>
        {
            var before = await Store.GetStudentAsync(student.Id, cancellationToken).ConfigureAwait(false);
            return await SaveAsync(c, before, student, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Records a move to another school from <paramref name="date"/> on; the backpack stays one. The student
    /// leaves the old school's rosters of that year as of the day before (teacher access and Drive sharing follow).
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.TransferStudent"/>: a district administrator, roster sync, or an administrator of the school the student leaves).</param>
    /// <param name="student">The student.</param>
    /// <param name="school">The new school.</param>
    /// <param name="grade">The grade at the new school.</param>
    /// <param name="date">The first day at the new school.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved student.</returns>
    public Task<Student> TransferAsync(Actor actor, StudentId student, SchoolId school, GradeLevel grade, DateOnly date, CancellationToken cancellationToken = default) =>
        _path.RunAsync(actor, new AccessRequest(BackpackOperation.TransferStudent) { Student = student, School = school }, "student.transfer", async c =>
        {
            var current = await Store.GetStudentAsync(student, cancellationToken).ConfigureAwait(false) ?? throw new BackpackNotFoundException("student", student.ToString());
            return await SaveAsync(c, current, current.TransferTo(school, grade, c.Options.SchoolYearOf(date), date), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Adds or changes a roster; teacher access follows it. Every student on it must be enrolled at the roster's
    /// school in its year. Students taken off it are kept as departures (their former teachers lose access).
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.SaveRoster"/>: a district administrator, roster sync, or an administrator of the roster's school, who may overwrite only rosters of their schools).</param>
    /// <param name="roster">The roster, with the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved roster.</returns>
    public Task<Roster> SaveRosterAsync(Actor actor, Roster roster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roster);
        return _path.RunAsync(actor, new AccessRequest(BackpackOperation.SaveRoster) { School = roster.SchoolId, Roster = roster.Id }, "roster.save", async c =>
        {
            var before = await Store.GetRosterAsync(roster.Id, cancellationToken).ConfigureAwait(false);
            var after = roster with { Teachers = roster.Teachers.Distinct().ToValueList(), Students = roster.Students.Distinct().ToValueList() };
            if (before is not null)
            {
                foreach (var gone in before.Students.Where(s => !after.Students.Contains(s)).Where(s => !after.Departures.Any(d => d.StudentId == s)))
                {
                    after = after with { Departures = after.Departures.Add(new RosterDeparture(gone, c.Today)) };
                }
            }

            return c.Put(before, after);
        }, cancellationToken);
    }

    /// <summary>
    /// The students of <paramref name="school"/> (in <paramref name="grade"/>, when given) on <paramref name="date"/>
    /// (today by default, in the district's time zone), narrowed to those the actor may check
    /// (<see cref="BackpackOperation.CheckReadiness"/>): a teacher gets the students of their current rosters there,
    /// a school administrator the whole school. Pass the ids to <see cref="Milestones.MilestoneService.CheckReadinessAsync"/>
    /// to check a whole class. Audited.
    /// </summary>
    /// <param name="actor">Who (<see cref="BackpackOperation.ListStudents"/>).</param>
    /// <param name="school">The school.</param>
    /// <param name="grade">Only this grade, or all.</param>
    /// <param name="date">The date, or <see langword="null"/> for today.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The students, ordered by id.</returns>
    public Task<IReadOnlyList<Student>> ListStudentsAsync(Actor actor, SchoolId school, GradeLevel? grade = null, DateOnly? date = null, CancellationToken cancellationToken = default) =>
        _path.ReadAsync(actor, new AccessRequest(BackpackOperation.ListStudents) { School = school }, "students.list", async c =>
        {
            var day = date ?? c.Today;
            c.Detail = $"date {day:yyyy-MM-dd}" + (grade is { } g ? $", grade {g}" : string.Empty);
            var listed = new List<Student>();
            foreach (var s in await Store.ListStudentsAsync(school, day, cancellationToken).ConfigureAwait(false))
            {
                if ((grade is null || s.EnrollmentOn(day)?.Grade == grade)
                    && await _path.AllowsAsync(actor, new AccessRequest(BackpackOperation.CheckReadiness) { Student = s.Id }, cancellationToken).ConfigureAwait(false))
                {
                    listed.Add(s);
                }
            }

            return (IReadOnlyList<Student>)listed;
        }, cancellationToken);

    private async Task<Student> SaveAsync(Command c, Student? before, Student after, CancellationToken ct)
    {
        var problems = Validate(after);
        if (problems.Count > 0)
        {
            throw new BackpackValidationException(problems);
        }

        // An enrollment that ends (a transfer, a withdrawal) ends the memberships of that school's rosters of its year.
        foreach (var ended in after.Enrollments.Where(e => e.ExitDate is not null && before?.Enrollments.Contains(e) != true))
        {
            foreach (var r in await Store.ListRostersForStudentAsync(after.Id, ended.Year, ct).ConfigureAwait(false))
            {
                if (r.SchoolId == ended.SchoolId && r.Students.Contains(after.Id) && !after.Enrollments.Any(e => e.SchoolId == r.SchoolId && e.Year == r.Year && e.ExitDate is null))
                {
                    c.Put(r, r.Depart(after.Id, ended.ExitDate!.Value));
                }
            }
        }

        return c.Put(before, after);
    }

    /// <summary>Every rule a student record breaks: a district student id, a name, enrollments that do not overlap, an exit reason only with an exit date.</summary>
    /// <param name="student">The student.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<ValidationProblem> Validate(Student student)
    {
        ArgumentNullException.ThrowIfNull(student);
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(student.DistrictStudentId))
        {
            problems.Add(new("$.districtStudentId", "student.district-id.required", "A student needs the district's student id."));
        }

        if (string.IsNullOrWhiteSpace(student.DisplayName))
        {
            problems.Add(new("$.displayName", "student.name.required", "A student needs a display name."));
        }

        var ordered = student.Enrollments.Select((e, i) => (e, i)).OrderBy(x => x.e.EntryDate).ToArray();
        for (var k = 0; k < ordered.Length; k++)
        {
            var (e, i) = ordered[k];
            if (e.ExitDate is { } exit && exit < e.EntryDate)
            {
                problems.Add(new($"$.enrollments[{i}].exitDate", "enrollment.dates.ordered", $"The exit date {exit:yyyy-MM-dd} is before the entry date {e.EntryDate:yyyy-MM-dd}."));
            }

            if (e.ExitReason is not null && e.ExitDate is null)
            {
                problems.Add(new($"$.enrollments[{i}].exitReason", "enrollment.exit-reason.needs-exit-date", "An exit reason needs an exit date."));
            }

            if (k > 0 && (ordered[k - 1].e.ExitDate is null || ordered[k - 1].e.ExitDate >= e.EntryDate))
            {
                problems.Add(new($"$.enrollments[{i}].entryDate", "enrollment.dates.no-overlap", $"The enrollment starting {e.EntryDate:yyyy-MM-dd} overlaps the one starting {ordered[k - 1].e.EntryDate:yyyy-MM-dd}."));
            }
        }

        return problems;
    }

    /// <summary>
    /// Runs a roster source's import (the Backpack.Core.OneRoster package's <c>ImportOneRosterAsync</c>, or a
    /// district's own SIS feed) as one authorized, audited operation: the actor is authorized first, then
    /// <paramref name="import"/> reads what it needs and puts schools, students and rosters through the
    /// <see cref="RosterImport"/> it is given; when it returns, everything it put and the audit record are saved
    /// in one change set. When it throws, nothing is saved. Students' enrollments follow from class memberships by
    /// <see cref="EnrollmentPlacement"/>, the rule Classroom sync uses too.
    /// </summary>
    /// <typeparam name="TResult">What the import reports.</typeparam>
    /// <param name="actor">Who (<see cref="BackpackOperation.ImportRosters"/>: a district administrator or roster sync).</param>
    /// <param name="source">The source's name for the audit record (lower case letters, digits and <c>-</c>), e.g. <c>oneroster</c>.</param>
    /// <param name="import">Plans the changes against the store and puts them.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>What <paramref name="import"/> returned.</returns>
    /// <exception cref="BackpackValidationException">The source's data breaks a rule, or an id names nothing; nothing was written.</exception>
    /// <exception cref="BackpackConcurrencyException">A student, roster or school changed during the import; nothing was written.</exception>
    public Task<TResult> ImportAsync<TResult>(Actor actor, string source, Func<RosterImport, CancellationToken, Task<TResult>> import, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(import);
        if (!source.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new BackpackValidationException("source", "roster.import.source", "A roster source's name is lower case letters, digits and '-'.");
        }

        return _path.RunAsync(actor, new AccessRequest(BackpackOperation.ImportRosters), source + ".import", c =>
        {
            c.Resource = source;
            return import(new RosterImport(c), cancellationToken);
        }, cancellationToken);
    }
}
