using Backpack.Core.Milestones;
using Backpack.Core.Students;

namespace Backpack.Core.Planning;

/// <summary>A student ready for a Defense of Learning this season.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="SchoolId">The school the student defends at (their enrollment's school).</param>
/// <param name="Grade">The student's grade: a transition grade.</param>
/// <param name="Guardians">The student's guardians: none of them may sit on the student's panel.</param>
public sealed record SeasonStudent(StudentId StudentId, SchoolId SchoolId, GradeLevel Grade, ValueList<PersonId> Guardians);

/// <summary>When and where a school holds defenses: every day offers the same time slots in the same rooms.</summary>
/// <param name="SchoolId">The school.</param>
/// <param name="Days">The defense days.</param>
/// <param name="Slots">The start times of the slots of each day (local time of the district).</param>
/// <param name="Rooms">The rooms, by the school's names for them.</param>
public sealed record SchoolDefenseDays(SchoolId SchoolId, ValueList<DateOnly> Days, ValueList<TimeOnly> Slots, ValueList<string> Rooms);

/// <summary>A person who can sit on defense panels.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="Role">What kind of member they are.</param>
/// <param name="Schools">The schools they serve. On any one day a panelist serves one of them.</param>
/// <param name="AvailableDays">The days they can serve.</param>
/// <param name="MaxPerDay">The most panels they sit on in one day.</param>
public sealed record SeasonPanelist(PersonId PersonId, PanelRole Role, ValueList<SchoolId> Schools, ValueList<DateOnly> AvailableDays, int MaxPerDay);

/// <summary>What a defense season is planned from.</summary>
/// <param name="Students">The ready students at the transition grades.</param>
/// <param name="Schools">Each school's defense days, slots and rooms.</param>
/// <param name="Panelists">The pool of panelists.</param>
public sealed record SeasonRequest(ValueList<SeasonStudent> Students, ValueList<SchoolDefenseDays> Schools, ValueList<SeasonPanelist> Panelists)
{
    /// <summary>The district's transition grades (5, 8 and 12 unless set): every student must be in one of them.</summary>
    public ValueList<GradeLevel> TransitionGrades { get; init; } = [GradeLevel.Grade(5), GradeLevel.Grade(8), GradeLevel.Grade(12)];
}
