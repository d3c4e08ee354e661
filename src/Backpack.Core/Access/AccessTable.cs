using static Backpack.Core.Access.AccessRelation;
using static Backpack.Core.Access.ActorRole;
using static Backpack.Core.Access.BackpackOperation;

namespace Backpack.Core.Access;

/// <summary>
/// The access table: for each operation and role, the relations under which the operation is allowed.
/// Everything not listed is denied. The README's "Access table" is this table in words, and the tests hold
/// the policy to the README's copy.
/// </summary>
public static class AccessTable
{
    private static readonly Dictionary<(ActorRole Role, BackpackOperation Operation), AccessRelation[]> Allowed = new()
    {
        [(Student, ReadBackpack)] = [OwnWork],
        [(Teacher, ReadBackpack)] = [CurrentRoster],
        [(SchoolAdmin, ReadBackpack)] = [SameSchool],

        [(Student, ReadShowcase)] = [OwnWork],
        [(Teacher, ReadShowcase)] = [CurrentRoster],
        [(SchoolAdmin, ReadShowcase)] = [SameSchool],
        [(Panelist, ReadShowcase)] = [PanelOpen, PanelHeld],
        [(Guardian, ReadShowcase)] = [OwnChild],

        [(Student, CheckReadiness)] = [OwnWork],
        [(Teacher, CheckReadiness)] = [CurrentRoster],
        [(SchoolAdmin, CheckReadiness)] = [SameSchool],

        [(Student, AddArtifact)] = [OwnWork],
        [(Teacher, AddArtifact)] = [CurrentRoster],
        [(CourseworkSync, AddArtifact)] = [District],

        [(Student, AlignArtifact)] = [OwnWork],
        [(Student, Reflect)] = [OwnWork],
        [(Student, CurateArtifact)] = [OwnWork],

        [(Teacher, GiveFeedback)] = [CurrentRoster],
        [(Teacher, ScoreArtifact)] = [CurrentRoster],
        [(Panelist, ScoreMilestone)] = [PanelHeld],

        [(Teacher, ScheduleMilestone)] = [CurrentRoster],
        [(SchoolAdmin, ScheduleMilestone)] = [SameSchool],
        [(Teacher, SetPanel)] = [CurrentRoster],
        [(SchoolAdmin, SetPanel)] = [SameSchool],
        [(Student, SetShowcase)] = [OwnWork],
        [(Teacher, SetShowcase)] = [CurrentRoster],
        [(Teacher, HoldMilestone)] = [CurrentRoster],
        [(SchoolAdmin, HoldMilestone)] = [SameSchool],
        [(Teacher, CloseMilestone)] = [CurrentRoster],
        [(SchoolAdmin, CloseMilestone)] = [SameSchool],

        [(SchoolAdmin, SaveSchool)] = [SameSchool],
        [(DistrictAdmin, SaveSchool)] = [District],
        [(RosterSync, SaveSchool)] = [District],
        [(SchoolAdmin, SaveStudent)] = [SameSchool],
        [(DistrictAdmin, SaveStudent)] = [District],
        [(RosterSync, SaveStudent)] = [District],
        [(SchoolAdmin, TransferStudent)] = [SameSchool],
        [(DistrictAdmin, TransferStudent)] = [District],
        [(RosterSync, TransferStudent)] = [District],
        [(SchoolAdmin, SaveRoster)] = [SameSchool],
        [(DistrictAdmin, SaveRoster)] = [District],
        [(RosterSync, SaveRoster)] = [District],
        [(Teacher, ListStudents)] = [CurrentRoster],
        [(SchoolAdmin, ListStudents)] = [SameSchool],
        [(DistrictAdmin, ListStudents)] = [District],
        [(DistrictAdmin, ImportRosters)] = [District],
        [(RosterSync, ImportRosters)] = [District],

        [(Student, ReadFramework)] = [District],
        [(Teacher, ReadFramework)] = [District],
        [(SchoolAdmin, ReadFramework)] = [District],
        [(DistrictAdmin, ReadFramework)] = [District],
        [(Panelist, ReadFramework)] = [District],
        [(Guardian, ReadFramework)] = [District],
        [(CourseworkSync, ReadFramework)] = [District],
        [(DistrictAdmin, ManageFramework)] = [District],

        [(SchoolAdmin, ReadReports)] = [SameSchool],
        [(DistrictAdmin, ReadReports)] = [District],

        [(Student, ExportStudentRecord)] = [OwnWork],
        [(Guardian, ExportStudentRecord)] = [OwnChild],
        [(DistrictAdmin, ExportStudentRecord)] = [District],

        [(DistrictAdmin, RunRetention)] = [District],
        [(Retention, RunRetention)] = [District],

        [(SchoolAdmin, RunHandoff)] = [SameSchool],
        [(DistrictAdmin, RunHandoff)] = [District],
    };

    /// <summary>Every role, in the table's column order.</summary>
    public static IReadOnlyList<ActorRole> Roles { get; } = Enum.GetValues<ActorRole>();

    /// <summary>Every operation, in the table's row order.</summary>
    public static IReadOnlyList<BackpackOperation> Operations { get; } = Enum.GetValues<BackpackOperation>();

    /// <summary>
    /// Whether the table allows <paramref name="operation"/> to <paramref name="role"/> under <paramref name="relation"/>.
    /// One district option widens it: <c>DistrictAdminsSeeStudentWork</c> lets district administrators read
    /// backpacks and showcases (<paramref name="districtAdminsSeeStudentWork"/>).
    /// </summary>
    /// <param name="role">The role.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="relation">The relation.</param>
    /// <param name="districtAdminsSeeStudentWork">The district's option.</param>
    /// <returns>Whether it is allowed.</returns>
    public static bool Allows(ActorRole role, BackpackOperation operation, AccessRelation relation, bool districtAdminsSeeStudentWork = false)
    {
        if (districtAdminsSeeStudentWork && role == DistrictAdmin && operation is ReadBackpack or ReadShowcase && relation == District)
        {
            return true;
        }

        return Allowed.TryGetValue((role, operation), out var relations) && Array.IndexOf(relations, relation) >= 0;
    }

    /// <summary>
    /// The relations an actor in <paramref name="role"/> can stand in to what <paramref name="operation"/>
    /// touches: the cells of the table that can occur.
    /// </summary>
    /// <param name="role">The role.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The relations.</returns>
    public static IReadOnlyList<AccessRelation> RelationsFor(ActorRole role, BackpackOperation operation)
    {
        if (role is DistrictAdmin or RosterSync or CourseworkSync or Retention)
        {
            return [District];
        }

        return TargetOf(operation) switch
        {
            Target.District when operation == ReadReports => role == SchoolAdmin ? [SameSchool, OtherSchool, District] : [District, Unrelated],
            Target.District => [District],
            Target.School when operation == ListStudents && role == Teacher => [CurrentRoster, Unrelated],
            Target.School => role == SchoolAdmin ? [SameSchool, OtherSchool] : [Unrelated],
            _ => role switch
            {
                Student => [OwnWork, Unrelated],
                Guardian => [OwnChild, Unrelated],
                Teacher => [CurrentRoster, FormerRoster, Unrelated],
                SchoolAdmin => [SameSchool, OtherSchool],
                Panelist when TargetOf(operation) == Target.Milestone => [PanelWaiting, PanelOpen, PanelHeld, PanelEnded, Unrelated],
                _ => [Unrelated],
            },
        };
    }

    internal static Target TargetOf(BackpackOperation operation) => operation switch
    {
        ReadShowcase or ScoreMilestone or SetPanel or SetShowcase or HoldMilestone or CloseMilestone => Target.Milestone,
        SaveSchool or SaveRoster or ListStudents => Target.School,
        ImportRosters or ReadFramework or ManageFramework or ReadReports or RunRetention => Target.District,
        _ => Target.Student,
    };

    internal enum Target
    {
        Student,
        Milestone,
        School,
        District,
    }
}
