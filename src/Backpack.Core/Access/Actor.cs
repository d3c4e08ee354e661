namespace Backpack.Core.Access;

/// <summary>The roles people act in.</summary>
public enum ActorRole
{
    /// <summary>A student, acting on their own backpack.</summary>
    Student,

    /// <summary>A teacher: sees the students on their current rosters.</summary>
    Teacher,

    /// <summary>A school administrator: sees their schools' students and aggregates.</summary>
    SchoolAdmin,

    /// <summary>A district administrator: sees aggregates, not individual work (unless the district allows it).</summary>
    DistrictAdmin,

    /// <summary>A panelist: sees the showcase of a defense they sit on, until it closes.</summary>
    Panelist,

    /// <summary>A guardian: sees their own child's showcase.</summary>
    Guardian,

    /// <summary>
    /// A system job that keeps rosters in step with the district's sources (OneRoster imports, Classroom roster
    /// sync): schools, students, enrollments, transfers and rosters across the district; never student work.
    /// </summary>
    RosterSync,

    /// <summary>
    /// A system job that brings Classroom coursework in as suggested artifacts; it reads the framework to map
    /// learning standards to skills, and nothing else.
    /// </summary>
    CourseworkSync,

    /// <summary>
    /// The retention job: finds students whose retention period after exit has passed and purges their records;
    /// it reads and changes nothing else.
    /// </summary>
    Retention,
}

/// <summary>Who is asking. Carries ids only, never names or emails.</summary>
/// <param name="Role">The role acted in.</param>
public sealed record Actor(ActorRole Role)
{
    /// <summary>The person, for every role but student and system.</summary>
    public PersonId? PersonId { get; init; }

    /// <summary>The student, for the student role.</summary>
    public StudentId? StudentId { get; init; }

    /// <summary>The schools a school administrator administers.</summary>
    public ValueList<SchoolId> Schools { get; init; } = ValueList<SchoolId>.Empty;

    /// <summary>A stable id for the audit trail: <c>role:guid</c>, or <c>system:job</c> for a system job.</summary>
    public string AuditId => Role switch
    {
        ActorRole.Student => $"student:{StudentId}",
        ActorRole.RosterSync => "system:roster-sync",
        ActorRole.CourseworkSync => "system:coursework-sync",
        ActorRole.Retention => "system:retention",
        _ => $"{Role.ToString().ToLowerInvariant()}:{PersonId}",
    };


    /// <summary>A student acting on their own backpack.</summary>
    /// <param name="student">The student.</param>
    /// <returns>The actor.</returns>
    public static Actor ForStudent(StudentId student) => new(ActorRole.Student) { StudentId = student };

    /// <summary>A teacher.</summary>
    /// <param name="person">The teacher.</param>
    /// <returns>The actor.</returns>
    public static Actor ForTeacher(PersonId person) => new(ActorRole.Teacher) { PersonId = person };

    /// <summary>A school administrator of <paramref name="schools"/>.</summary>
    /// <param name="person">The administrator.</param>
    /// <param name="schools">Their schools.</param>
    /// <returns>The actor.</returns>
    public static Actor ForSchoolAdmin(PersonId person, params SchoolId[] schools) => new(ActorRole.SchoolAdmin) { PersonId = person, Schools = schools };

    /// <summary>A district administrator.</summary>
    /// <param name="person">The administrator.</param>
    /// <returns>The actor.</returns>
    public static Actor ForDistrictAdmin(PersonId person) => new(ActorRole.DistrictAdmin) { PersonId = person };

    /// <summary>A panelist.</summary>
    /// <param name="person">The panelist.</param>
    /// <returns>The actor.</returns>
    public static Actor ForPanelist(PersonId person) => new(ActorRole.Panelist) { PersonId = person };

    /// <summary>A guardian.</summary>
    /// <param name="person">The guardian.</param>
    /// <returns>The actor.</returns>
    public static Actor ForGuardian(PersonId person) => new(ActorRole.Guardian) { PersonId = person };

    /// <summary>The roster sync job (OneRoster imports, Classroom roster sync). See <see cref="ActorRole.RosterSync"/>.</summary>
    public static Actor RosterSync { get; } = new(ActorRole.RosterSync);

    /// <summary>The Classroom coursework job. See <see cref="ActorRole.CourseworkSync"/>.</summary>
    public static Actor CourseworkSync { get; } = new(ActorRole.CourseworkSync);

    /// <summary>The retention job. See <see cref="ActorRole.Retention"/>.</summary>
    public static Actor Retention { get; } = new(ActorRole.Retention);
}

