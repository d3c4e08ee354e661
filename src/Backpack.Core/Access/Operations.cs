namespace Backpack.Core.Access;

/// <summary>
/// Every operation the services offer, as the access policy and the README's access table name them. Each
/// service method runs exactly one operation.
/// </summary>
public enum BackpackOperation
{
    /// <summary>Read a student's whole backpack: artifacts, reflections, feedback, evaluations, milestones.</summary>
    ReadBackpack,

    /// <summary>Read a milestone's showcase view (the snapshot frozen when the defense is held).</summary>
    ReadShowcase,

    /// <summary>Check a student's readiness against the evidence rule.</summary>
    CheckReadiness,

    /// <summary>Add an artifact (collected when the student adds it, suggested otherwise).</summary>
    AddArtifact,

    /// <summary>Align an artifact to a skill with the student's reasoning.</summary>
    AlignArtifact,

    /// <summary>Write a new version of the reflection on an artifact.</summary>
    Reflect,

    /// <summary>Move an artifact between curation states (collect, archive...).</summary>
    CurateArtifact,

    /// <summary>Give feedback on an artifact.</summary>
    GiveFeedback,

    /// <summary>Score an artifact against a rubric.</summary>
    ScoreArtifact,

    /// <summary>Score a milestone (a defense) as a member of its panel.</summary>
    ScoreMilestone,

    /// <summary>Schedule a milestone.</summary>
    ScheduleMilestone,

    /// <summary>Set a milestone's panel.</summary>
    SetPanel,

    /// <summary>Choose the artifacts a milestone showcases.</summary>
    SetShowcase,

    /// <summary>Mark a milestone held (the showcase is frozen).</summary>
    HoldMilestone,

    /// <summary>Close or cancel a milestone.</summary>
    CloseMilestone,

    /// <summary>Add or change a school.</summary>
    SaveSchool,

    /// <summary>Add or change a student (identities, guardians, enrollments).</summary>
    SaveStudent,

    /// <summary>Move a student to another school.</summary>
    TransferStudent,

    /// <summary>Add or change a class roster.</summary>
    SaveRoster,

    /// <summary>List the students of a school (and grade) on a date: those the actor may check.</summary>
    ListStudents,

    /// <summary>Import the district's rosters (OneRoster CSV).</summary>
    ImportRosters,

    /// <summary>Read frameworks and rubrics (and export them as CASE).</summary>
    ReadFramework,

    /// <summary>Create, edit, import and publish frameworks and rubric versions.</summary>
    ManageFramework,

    /// <summary>Read aggregate reports (of one school, or of the district).</summary>
    ReadReports,

    /// <summary>Export everything the district holds about one student as one JSON document (an inspection request).</summary>
    ExportStudentRecord,

    /// <summary>Run the district's retention: find students past their retention date and purge them (or list them, dry run).</summary>
    RunRetention,

    /// <summary>
    /// Hand a student who has exited (graduated, withdrew) what they take with them: their passport and an offline
    /// archive, their showcases shared with a personal email where the district allows it, teacher and panel sharing revoked.
    /// </summary>
    RunHandoff,
}

/// <summary>
/// How the actor stands to what an operation touches. The policy works the relation out from the store (rosters,
/// enrollments, guardians, panels) and the district's calendar; the access table then decides by role,
/// operation and relation.
/// </summary>
public enum AccessRelation
{
    /// <summary>A student's own backpack.</summary>
    OwnWork,

    /// <summary>A guardian's own child.</summary>
    OwnChild,

    /// <summary>A teacher's student: on one of the teacher's rosters this school year, not archived, and enrolled at that roster's school today.</summary>
    CurrentRoster,

    /// <summary>A teacher's former student: on (or transferred off) an archived, earlier or other-school roster of the teacher, and not on a current one.</summary>
    FormerRoster,

    /// <summary>A school administrator's school: the student enrolled there today, or the school, roster or report is one of the administrator's.</summary>
    SameSchool,

    /// <summary>A school administrator and a student, school, roster or report elsewhere (or a student not enrolled today).</summary>
    OtherSchool,

    /// <summary>A panelist of a scheduled milestone whose showcase is not set yet: panel access has not opened.</summary>
    PanelWaiting,

    /// <summary>A panelist of a scheduled milestone whose showcase is set: panel access is open.</summary>
    PanelOpen,

    /// <summary>A panelist of a held milestone within the district's panel access days: the panel reads and scores.</summary>
    PanelHeld,

    /// <summary>A panelist of a milestone closed, cancelled, or held longer ago than the panel access days.</summary>
    PanelEnded,

    /// <summary>District-wide: a district administrator, a system job, or district data (frameworks, district reports).</summary>
    District,

    /// <summary>None of the above, including an id that does not exist.</summary>
    Unrelated,
}

/// <summary>A request to the access policy: an operation and the ids it touches (the policy loads what it needs).</summary>
/// <param name="Operation">What is wanted.</param>
public sealed record AccessRequest(BackpackOperation Operation)
{
    /// <summary>The student whose data is touched, if any.</summary>
    public StudentId? Student { get; init; }

    /// <summary>The artifact touched, if any (the policy finds its student).</summary>
    public ArtifactId? Artifact { get; init; }

    /// <summary>The milestone touched, if any (the policy finds its student and panel).</summary>
    public MilestoneId? Milestone { get; init; }

    /// <summary>The school touched (a school, a roster's school, a report's school), if any.</summary>
    public SchoolId? School { get; init; }

    /// <summary>The roster touched, if any (the policy checks the stored roster's school too).</summary>
    public RosterId? Roster { get; init; }

    /// <summary>For a new student: the schools the change enrolls them in.</summary>
    public ValueList<SchoolId> Schools { get; init; } = ValueList<SchoolId>.Empty;
}

/// <summary>The policy's answer.</summary>
/// <param name="IsAllowed">Whether the request is allowed.</param>
/// <param name="Relation">How the actor stands to what the request touches.</param>
/// <param name="Reason">Which rule decided, in words (ids only, no names).</param>
/// <param name="Actor">Who asked.</param>
/// <param name="Request">What was asked.</param>
public sealed record AccessDecision(bool IsAllowed, AccessRelation Relation, string Reason, Actor Actor, AccessRequest Request);
