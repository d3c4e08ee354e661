using Backpack.Core.Storage;
using Backpack.Core.Students;

namespace Backpack.Core.Relational;

/// <content>Students (by id, by an external identity, by school on a day) and their rosters.</content>
internal abstract partial class RelationalStore
{
    public Task<Student?> GetStudentAsync(StudentId id, CancellationToken cancellationToken) =>
        GetDocAsync<Student>("reading a student", "SELECT doc FROM students WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public Task<Student?> FindStudentAsync(StudentIdentityKind kind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var column = kind switch
        {
            StudentIdentityKind.DistrictStudentId => "district_student_id",
            StudentIdentityKind.GoogleUserId => "google_user_id",
            StudentIdentityKind.OneRosterSourcedId => "oneroster_sourced_id",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identity kind."),
        };
        return GetDocAsync<Student>("finding a student", $"SELECT doc FROM students WHERE district_id = @p0 AND {column} = @p1 ORDER BY id LIMIT 1", [D, (ColKind.Text, value)], cancellationToken);
    }

    public Task<Roster?> GetRosterAsync(RosterId id, CancellationToken cancellationToken) =>
        GetDocAsync<Roster>("reading a roster", "SELECT doc FROM rosters WHERE district_id = @p0 AND id = @p1", [D, Id(id.Value)], cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForTeacherAsync(PersonId teacher, SchoolYear year, CancellationToken cancellationToken) =>
        ListRostersAsync(teacher.Value, Schema.TeacherRole, year, cancellationToken);

    public Task<IReadOnlyList<Roster>> ListRostersForStudentAsync(StudentId student, SchoolYear year, CancellationToken cancellationToken) =>
        ListRostersAsync(student.Value, Schema.StudentRole, year, cancellationToken);

    private Task<IReadOnlyList<Roster>> ListRostersAsync(Guid member, int role, SchoolYear year, CancellationToken cancellationToken) =>
        ListDocsAsync<Roster>(
            "listing rosters",
            // CROSS JOIN fixes the join order on SQLite (members first, by their index); PostgreSQL plans it as an inner join.
            "SELECT r.doc FROM roster_members m CROSS JOIN rosters r "
            + "WHERE m.district_id = @p0 AND m.member_id = @p1 AND m.role = @p2 AND m.year = @p3 AND r.district_id = m.district_id AND r.id = m.roster_id ORDER BY r.id",
            [D, Id(member), (ColKind.Int, role), (ColKind.Int, year.StartYear)],
            cancellationToken);

    public async Task<IReadOnlyList<Student>> ListStudentsAsync(SchoolId school, DateOnly day, CancellationToken cancellationToken)
    {
        // Enrollments of the school up to the date narrow the search; the domain rule (EnrollmentOn) decides.
        var candidates = await ListDocsAsync<Student>(
            "listing students",
            "SELECT doc FROM students WHERE district_id = @p0 AND id IN (SELECT student_id FROM enrollments WHERE district_id = @p0 AND school_id = @p1 AND entry_day <= @p2)",
            [D, Id(school.Value), (ColKind.Int, day.DayNumber)],
            cancellationToken).ConfigureAwait(false);
        return candidates.Where(s => s.EnrollmentOn(day)?.SchoolId == school).OrderBy(s => s.Id).ToArray();
    }
}
