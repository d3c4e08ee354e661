using Backpack.Core.Students;

namespace Backpack.Core.Google.Classroom;

// The source-neutral "apply a roster snapshot" step: who is in which class at which school on one date. Classroom
// fills it from courses, students and teachers; a OneRoster import could fill it from enrollments.csv the same
// way, so both sources decide enrollments and transfers by one rule.

/// <summary>A student as a roster source knows them.</summary>
/// <param name="ExternalId">The source's id (the Google user id).</param>
/// <param name="DistrictStudentId">The district student id (resolved by the district's rule).</param>
/// <param name="DisplayName">The name as given. Personal data: never logged.</param>
/// <param name="Email">The email, when shared. Personal data: never logged.</param>
internal sealed record SnapshotStudent(string ExternalId, string DistrictStudentId, string DisplayName, string? Email)
{
    public IReadOnlyList<PersonId> Guardians { get; init; } = [];
}

/// <summary>One class: its placement and its members.</summary>
internal sealed record SnapshotRoster(RosterId Id, string ExternalId, SchoolId SchoolId, GradeLevel Grade, string Name, bool IsActive)
{
    public IReadOnlyList<PersonId> Teachers { get; init; } = [];

    public IReadOnlyList<string> Students { get; init; } = [];
}

/// <summary>Everything a source says on <see cref="Date"/>.</summary>
internal sealed record RosterSnapshot(DateOnly Date, SchoolYear Year, IReadOnlyList<SnapshotRoster> Rosters, IReadOnlyDictionary<string, SnapshotStudent> Students);

/// <summary>What applying a snapshot does to one student.</summary>
internal enum StudentChangeKind
{
    Unchanged,
    Created,
    Enrolled,
    Transferred,
    Updated,
}

/// <summary>
/// Decides each student's school and grade from the classes they are in, and the student record that follows:
/// a new student is enrolled; a student whose classes are now at another school (or grade) is transferred with
/// <see cref="Student.TransferTo"/> from the snapshot date, so the backpack stays one; a student still at their
/// school stays. Students in no active class keep their enrollment (a source that lists classes cannot say a
/// student left the district).
/// </summary>
internal static class RosterSnapshotPlanner
{
    /// <summary>The school and grade a student's active classes place them at, preferring where they already are.</summary>
    public static (SchoolId School, GradeLevel Grade)? Place(IEnumerable<SnapshotRoster> rosters, Enrollment? current)
    {
        var active = rosters.Where(r => r.IsActive).ToList();
        if (active.Count == 0)
        {
            return null;
        }

        var bySchool = active.GroupBy(r => r.SchoolId).ToList();
        var chosen = current is not null && bySchool.FirstOrDefault(g => g.Key == current.SchoolId) is { } same
            ? same
            : bySchool.OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();

        // The grade most of the student's classes at that school are for; a tie goes to the current grade, then the higher.
        var grade = chosen.GroupBy(r => r.Grade)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => current is not null && current.SchoolId == chosen.Key && g.Key == current.Grade)
            .ThenByDescending(g => g.Key)
            .First().Key;
        return (chosen.Key, grade);
    }

    /// <summary>The student record after the snapshot, and what changed.</summary>
    /// <param name="existing">The stored student, or <see langword="null"/> for a new one.</param>
    /// <param name="newId">The id a new student gets.</param>
    /// <param name="student">What the source says about the student.</param>
    /// <param name="placement">Where the student's classes place them, if anywhere.</param>
    /// <param name="date">The snapshot date.</param>
    /// <param name="year">The school year of the date.</param>
    public static (Student? After, StudentChangeKind Kind) Apply(Student? existing, StudentId newId, SnapshotStudent student, (SchoolId School, GradeLevel Grade)? placement, DateOnly date, SchoolYear year)
    {
        if (existing is null)
        {
            if (placement is not { } p)
            {
                return (null, StudentChangeKind.Unchanged);
            }

            var created = new Student(newId, student.DistrictStudentId, string.IsNullOrWhiteSpace(student.DisplayName) ? student.DistrictStudentId : student.DisplayName, [new Enrollment(p.School, p.Grade, year, date)])
            {
                GoogleUserId = student.ExternalId,
                Email = student.Email,
                Guardians = student.Guardians.Distinct().Order().ToValueList(),
            };
            return (created, StudentChangeKind.Created);
        }

        var after = existing;
        var kind = StudentChangeKind.Unchanged;
        if (after.GoogleUserId != student.ExternalId)
        {
            after = after with { GoogleUserId = student.ExternalId };
        }

        if (after.Email is null && student.Email is not null)
        {
            after = after with { Email = student.Email };
        }

        var guardians = after.Guardians.Union(student.Guardians).Distinct().Order().ToValueList();
        if (!guardians.SequenceEqual(after.Guardians.Order()))
        {
            after = after with { Guardians = guardians };
        }

        if (placement is { } place)
        {
            var current = after.EnrollmentOn(date);
            if (current is null)
            {
                after = after.TransferTo(place.School, place.Grade, year, date);
                kind = StudentChangeKind.Enrolled;
            }
            else if (current.SchoolId != place.School || current.Grade != place.Grade || current.Year != year)
            {
                if (current.EntryDate >= date)
                {
                    // A second change on the same day corrects today's enrollment instead of adding a one-day stay.
                    var index = after.Enrollments.AsImmutableArray().IndexOf(current);
                    after = after with { Enrollments = after.Enrollments.SetItem(index, current with { SchoolId = place.School, Grade = place.Grade, Year = year }) };
                }
                else
                {
                    after = after.TransferTo(place.School, place.Grade, year, date);
                }

                kind = StudentChangeKind.Transferred;
            }
        }

        if (kind == StudentChangeKind.Unchanged && after != existing)
        {
            kind = StudentChangeKind.Updated;
        }

        return kind == StudentChangeKind.Unchanged ? (existing, kind) : (after, kind);
    }

    /// <summary>The roster a class becomes; <see langword="null"/> when nothing is stored and the class is not active.</summary>
    public static Roster? PlanRoster(Roster? existing, SnapshotRoster roster, SchoolYear year, IReadOnlyDictionary<string, StudentId> students)
    {
        if (!roster.IsActive)
        {
            return existing is null || existing.IsArchived ? existing : existing with { IsArchived = true };
        }

        var studentIds = roster.Students.Select(s => students.TryGetValue(s, out var id) ? id : (StudentId?)null)
            .Where(id => id is not null).Select(id => id!.Value).Distinct().Order().ToValueList();
        var teachers = roster.Teachers.Distinct().Order().ToValueList();
        var desired = new Roster(roster.Id, roster.SchoolId, year, roster.Name, teachers, studentIds, existing?.Version ?? 0)
        {
            ClassroomCourseId = roster.ExternalId,
            IsArchived = false,
        };
        return desired;
    }
}
