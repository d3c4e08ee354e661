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

    /// <summary>The library's own background work (sync, outbox); never a person.</summary>
    System,
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

    /// <summary>A stable id for the audit trail: <c>role:guid</c>.</summary>
    public string AuditId => Role switch
    {
        ActorRole.Student => $"student:{StudentId}",
        ActorRole.System => "system",
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

    /// <summary>The library's background work.</summary>
    public static Actor System { get; } = new(ActorRole.System);
}

/// <summary>What an actor wants to do.</summary>
public enum AccessRight
{
    /// <summary>Read a student's backpack: artifacts, reflections, feedback, evaluations.</summary>
    ReadStudentWork,

    /// <summary>Change a student's backpack: add, align, reflect, curate (the student, or a teacher suggesting).</summary>
    WriteStudentWork,

    /// <summary>Give feedback on or score a student's work.</summary>
    ScoreStudentWork,

    /// <summary>Read a student's showcase.</summary>
    ReadShowcase,

    /// <summary>Schedule and run a student's milestones and panels.</summary>
    ManageMilestones,

    /// <summary>Read aggregate reports (of a school when one is named, else of the district).</summary>
    ReadAggregates,

    /// <summary>Edit and publish frameworks and rubrics.</summary>
    ManageFrameworks,

    /// <summary>Manage schools, students, enrollments and rosters.</summary>
    ManageRosters,
}

/// <summary>A request to the access policy.</summary>
/// <param name="Right">What is wanted.</param>
public sealed record AccessRequest(AccessRight Right)
{
    /// <summary>The student whose data is touched, if any.</summary>
    public StudentId? Student { get; init; }

    /// <summary>The milestone, for panel access.</summary>
    public MilestoneId? Milestone { get; init; }

    /// <summary>The school, for aggregates.</summary>
    public SchoolId? School { get; init; }
}

/// <summary>The policy's answer.</summary>
/// <param name="IsAllowed">Whether the request is allowed.</param>
/// <param name="Reason">Which rule decided, in words (ids only, no names).</param>
/// <param name="Actor">Who asked.</param>
/// <param name="Request">What was asked.</param>
public sealed record AccessDecision(bool IsAllowed, string Reason, Actor Actor, AccessRequest Request);
