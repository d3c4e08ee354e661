using Backpack.Core.Students;

namespace Backpack.Core.Google.Classroom;

// Classroom's roster snapshot: who is in which class at which school on one date, from courses, students and
// teachers. Enrollments and transfers follow from it by core's one roster-placement rule (EnrollmentPlacement),
// the rule the OneRoster import uses for its dated enrollments.

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
/// The student record that follows from the classes a student is in on the snapshot date: a new student is
/// enrolled; a student whose classes are now at another school (or grade, or year) is transferred from the
/// snapshot date, so the backpack stays one; a student still at their school stays. Where the classes place a
/// student is core's one rule, <see cref="EnrollmentPlacement"/>. Students in no active class keep their enrollment
/// (a source that lists classes cannot say a student left the district).
/// </summary>
internal static class RosterSnapshotPlanner
{
    /// <summary>The classes a student's active rosters are, as core's placement rule takes them: all from <paramref name="date"/> on.</summary>
    public static IReadOnlyList<ClassMembership> Classes(IEnumerable<SnapshotRoster> rosters, DateOnly date, SchoolYear year) =>
        rosters.Where(r => r.IsActive).Select(r => new ClassMembership(r.SchoolId, r.Grade, year, date)).ToArray();

    /// <summary>The student record after the snapshot, and what changed.</summary>
    /// <param name="existing">The stored student, or <see langword="null"/> for a new one.</param>
    /// <param name="newId">The id a new student gets.</param>
    /// <param name="student">What the source says about the student.</param>
    /// <param name="classes">The student's active classes on the snapshot date (see <see cref="Classes"/>).</param>
    /// <param name="date">The snapshot date.</param>
    public static (Student? After, StudentChangeKind Kind) Apply(Student? existing, StudentId newId, SnapshotStudent student, IReadOnlyList<ClassMembership> classes, DateOnly date)
    {
        if (existing is null)
        {
            if (classes.Count == 0)
            {
                return (null, StudentChangeKind.Unchanged);
            }

            var created = new Student(newId, student.DistrictStudentId, string.IsNullOrWhiteSpace(student.DisplayName) ? student.DistrictStudentId : student.DisplayName, EnrollmentPlacement.Apply([], classes))
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

        var enrollments = EnrollmentPlacement.Apply(after.Enrollments, classes);
        if (enrollments != after.Enrollments)
        {
            kind = after.EnrollmentOn(date) is null ? StudentChangeKind.Enrolled : StudentChangeKind.Transferred;
            after = after with { Enrollments = enrollments };
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
