using Backpack.Core.Students;

namespace Backpack.Core.Google.Classroom;

/// <summary>A Google Classroom course as the district's course-to-school mapping sees it (ids and names only).</summary>
/// <param name="Id">The Classroom course id.</param>
/// <param name="Name">The course name.</param>
/// <param name="Section">The section, e.g. <c>Period 3</c> or a district section code, when set.</param>
/// <param name="OwnerId">The Google user id of the course owner, when known.</param>
/// <param name="State">The course state as Classroom names it (<c>ACTIVE</c>, <c>ARCHIVED</c>, ...; unknown values are kept).</param>
public sealed record ClassroomCourse(string Id, string Name, string? Section, string? OwnerId, string State);

/// <summary>Where a course belongs: the school and the grade level of its students.</summary>
/// <param name="SchoolId">The school.</param>
/// <param name="Grade">The grade level of the course's students.</param>
public sealed record CoursePlacement(SchoolId SchoolId, GradeLevel Grade);
