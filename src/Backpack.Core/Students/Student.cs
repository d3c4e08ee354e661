namespace Backpack.Core.Students;

/// <summary>A school in the district.</summary>
/// <param name="Id">The school's id.</param>
/// <param name="Name">The school's name.</param>
/// <param name="Code">The district's code for the school (e.g. a state school number).</param>
/// <param name="Version">The stored version, for optimistic concurrency; 0 before the first save.</param>
public sealed record School(SchoolId Id, string Name, string? Code = null, long Version = 0) : IVersioned;

/// <summary>
/// One stretch of a student's attendance at a school in a grade and school year. A mid-year transfer ends
/// one enrollment (its <see cref="ExitDate"/>) and starts another: the backpack stays one.
/// </summary>
/// <param name="SchoolId">The school.</param>
/// <param name="Grade">The grade level.</param>
/// <param name="Year">The school year.</param>
/// <param name="EntryDate">The first day at the school in this grade and year.</param>
/// <param name="ExitDate">The last day, or <see langword="null"/> while the student is still enrolled.</param>
public sealed record Enrollment(SchoolId SchoolId, GradeLevel Grade, SchoolYear Year, DateOnly EntryDate, DateOnly? ExitDate = null)
{
    /// <summary>
    /// Why the enrollment ended, when the source says so; only meaningful with an <see cref="ExitDate"/>
    /// (a reason without one is rejected by <see cref="RosterService.Validate(Student)"/>).
    /// </summary>
    public ExitReason? ExitReason { get; init; }

    /// <summary>Whether the student was enrolled on <paramref name="date"/>.</summary>
    /// <param name="date">The date.</param>
    /// <returns>Whether the enrollment covers it.</returns>
    public bool IsActiveOn(DateOnly date) => date >= EntryDate && (ExitDate is null || date <= ExitDate.Value);
}

/// <summary>Why an enrollment ended.</summary>
public enum ExitReason
{
    /// <summary>The student graduated.</summary>
    Graduated,

    /// <summary>The student withdrew (left the district's schools without transferring within it).</summary>
    Withdrew,

    /// <summary>The student transferred out of the school or district.</summary>
    TransferredOut,

    /// <summary>Any other reason the source gives.</summary>
    Other,
}

/// <summary>
/// A student and their enrollment history. The student's identities in other systems (the district's
/// student number, Google, OneRoster) all point at one backpack.
/// </summary>
/// <param name="Id">The backpack's student id.</param>
/// <param name="DistrictStudentId">The district's student number (SIS id).</param>
/// <param name="DisplayName">The name teachers see. Personal data: never logged.</param>
/// <param name="Enrollments">Enrollment history, oldest first.</param>
/// <param name="Version">The stored version, for optimistic concurrency; 0 before the first save.</param>
public sealed record Student(
    StudentId Id,
    string DistrictStudentId,
    string DisplayName,
    ValueList<Enrollment> Enrollments,
    long Version = 0) : IVersioned
{
    /// <summary>The student's Google Workspace user id, when known.</summary>
    public string? GoogleUserId { get; init; }

    /// <summary>The student's OneRoster <c>sourcedId</c>, when known.</summary>
    public string? OneRosterSourcedId { get; init; }

    /// <summary>The student's school email. Personal data: never logged.</summary>
    public string? Email { get; init; }

    /// <summary>The guardians who may see this student's showcase.</summary>
    public ValueList<PersonId> Guardians { get; init; } = ValueList<PersonId>.Empty;

    /// <summary>
    /// The student groups the district reports by (e.g. flags of OneRoster's <c>demographics.csv</c>, or groups the
    /// district defines), for aggregate reports only. Personal data: never logged.
    /// </summary>
    public ValueList<string> Groups { get; init; } = ValueList<string>.Empty;

    /// <summary>The enrollment active on <paramref name="date"/>, if any (the latest entry wins).</summary>
    /// <param name="date">The date.</param>
    /// <returns>The enrollment, or <see langword="null"/>.</returns>
    public Enrollment? EnrollmentOn(DateOnly date)
    {
        Enrollment? found = null;
        foreach (var e in Enrollments)
        {
            if (e.IsActiveOn(date) && (found is null || e.EntryDate >= found.EntryDate))
            {
                found = e;
            }
        }

        return found;
    }

    /// <summary>
    /// The day the student exited the district: when they have enrollments and every one has ended, the latest
    /// exit date; <see langword="null"/> while any enrollment is open (or there is none).
    /// </summary>
    /// <returns>The exit date, or <see langword="null"/>.</returns>
    public DateOnly? ExitedOn()
    {
        DateOnly? last = null;
        foreach (var e in Enrollments)
        {
            if (e.ExitDate is not { } exit)
            {
                return null;
            }

            last = last is null || exit > last ? exit : last;
        }

        return last;
    }

    /// <summary>
    /// The enrollment the student exited the district from: when <see cref="ExitedOn"/> has a date, the enrollment that
    /// ended on it (the latest entry among several); <see langword="null"/> while any enrollment is open. Its
    /// <see cref="Enrollment.ExitReason"/> says why they left (graduated, withdrew...), when the source said.
    /// </summary>
    /// <returns>The enrollment, or <see langword="null"/>.</returns>
    public Enrollment? ExitedFrom()
    {
        if (ExitedOn() is not { } exit)
        {
            return null;
        }

        Enrollment? found = null;
        foreach (var e in Enrollments)
        {
            if (e.ExitDate == exit && (found is null || e.EntryDate >= found.EntryDate))
            {
                found = e;
            }
        }

        return found;
    }

    /// <summary>The last enrollment in <paramref name="year"/>, if any: where the student ended that year.</summary>
    /// <param name="year">The school year.</param>
    /// <returns>The enrollment, or <see langword="null"/>.</returns>
    public Enrollment? LatestEnrollmentIn(SchoolYear year)
    {
        Enrollment? found = null;
        foreach (var e in Enrollments)
        {
            if (e.Year == year && (found is null || e.EntryDate >= found.EntryDate))
            {
                found = e;
            }
        }

        return found;
    }

    /// <summary>
    /// Records a move to another school (or grade) from <paramref name="date"/> on: the current enrollment
    /// ends the day before and a new one starts. The backpack, its artifacts and history, stay one.
    /// </summary>
    /// <param name="school">The new school.</param>
    /// <param name="grade">The grade at the new school.</param>
    /// <param name="year">The school year of the new enrollment.</param>
    /// <param name="date">The first day at the new school.</param>
    /// <returns>The student with the new enrollment.</returns>
    public Student TransferTo(SchoolId school, GradeLevel grade, SchoolYear year, DateOnly date)
    {
        var list = Enrollments;
        for (var i = 0; i < list.Count; i++)
        {
            var e = list[i];
            if (e.ExitDate is null && e.EntryDate < date)
            {
                list = list.SetItem(i, e with { ExitDate = date.AddDays(-1) });
            }
            else if (e.ExitDate is null && e.EntryDate >= date)
            {
                throw new BackpackValidationException(
                    $"enrollments[{i}].entryDate",
                    "enrollment.transfer-after-entry",
                    $"A transfer on {date:yyyy-MM-dd} must come after the current enrollment's entry date {e.EntryDate:yyyy-MM-dd}.");
            }
        }

        return this with { Enrollments = list.Add(new Enrollment(school, grade, year, date)) };
    }
}

/// <summary>
/// A class roster: a teacher's (or co-teachers') section of students in a school year. Teachers see the
/// students on their current rosters. Rosters come from Google Classroom or OneRoster.
/// </summary>
/// <param name="Id">The roster id.</param>
/// <param name="SchoolId">The school.</param>
/// <param name="Year">The school year.</param>
/// <param name="Name">The course or section name.</param>
/// <param name="Teachers">The teachers.</param>
/// <param name="Students">The students.</param>
/// <param name="Version">The stored version; 0 before the first save.</param>
public sealed record Roster(
    RosterId Id,
    SchoolId SchoolId,
    SchoolYear Year,
    string Name,
    ValueList<PersonId> Teachers,
    ValueList<StudentId> Students,
    long Version = 0) : IVersioned
{
    /// <summary>The Google Classroom course id, when the roster comes from Classroom.</summary>
    public string? ClassroomCourseId { get; init; }

    /// <summary>Whether the roster is archived (a past course); archived rosters grant no access.</summary>
    public bool IsArchived { get; init; }

    /// <summary>Students who left the roster (a transfer ends the memberships at the old school), with their last day.</summary>
    public ValueList<RosterDeparture> Departures { get; init; } = ValueList<RosterDeparture>.Empty;

    /// <summary>Ends <paramref name="student"/>'s membership: removed from <see cref="Students"/>, kept in <see cref="Departures"/>.</summary>
    /// <param name="student">The student.</param>
    /// <param name="lastDay">Their last day on the roster.</param>
    /// <returns>The changed roster, or this one when the student was not on it.</returns>
    public Roster Depart(StudentId student, DateOnly lastDay) => Students.Contains(student)
        ? this with { Students = Students.Where(s => s != student).ToValueList(), Departures = Departures.Add(new RosterDeparture(student, lastDay)) }
        : this;
}

/// <summary>A student who left a roster.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="LastDay">Their last day on the roster.</param>
public sealed record RosterDeparture(StudentId StudentId, DateOnly LastDay);
