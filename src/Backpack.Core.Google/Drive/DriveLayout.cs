using System.Globalization;
using Backpack.Core.Students;

namespace Backpack.Core.Google.Drive;

/// <summary>
/// How backpacks are laid out in Drive, and the <c>appProperties</c> (private to the app, searchable) that
/// identify every item Backpack creates. Items are always found by these properties, never by name or place,
/// so users may rename or move them freely.
/// </summary>
/// <remarks>
/// <code>
/// Backpack                      backpackKind=root      backpackStudent
///   2025-26                     backpackKind=year      backpackStudent backpackYear=2025
///     1. Effective Communicator backpackKind=skill     backpackStudent backpackYear backpackSkill
///       (shortcut to original)  backpackKind=shortcut  backpackStudent backpackArtifact backpackSkill
///   Showcase - ... 2026-05-12   backpackKind=showcase  backpackStudent backpackMilestone
///     (frozen copy)             backpackKind=showcaseCopy backpackStudent backpackMilestone backpackArtifact
/// </code>
/// Every item also carries <c>backpackDistrict</c>. Ids are GUIDs in their "D" format.
/// </remarks>
public static class DriveLayout
{
    /// <summary>The kind of item: <c>root</c>, <c>year</c>, <c>skill</c>, <c>shortcut</c>, <c>showcase</c> or <c>showcaseCopy</c>.</summary>
    public const string KindKey = "backpackKind";

    /// <summary>The district id (<c>BackpackOptions.DistrictId</c>).</summary>
    public const string DistrictKey = "backpackDistrict";

    /// <summary>The student id.</summary>
    public const string StudentKey = "backpackStudent";

    /// <summary>The school year's start year, e.g. <c>2025</c>.</summary>
    public const string YearKey = "backpackYear";

    /// <summary>The skill id.</summary>
    public const string SkillKey = "backpackSkill";

    /// <summary>The artifact id.</summary>
    public const string ArtifactKey = "backpackArtifact";

    /// <summary>The milestone id.</summary>
    public const string MilestoneKey = "backpackMilestone";

    /// <summary>The kind of a student's backpack root folder.</summary>
    public const string RootKind = "root";

    /// <summary>The kind of a school-year folder.</summary>
    public const string YearKind = "year";

    /// <summary>The kind of a skill folder.</summary>
    public const string SkillKind = "skill";

    /// <summary>The kind of a shortcut to an artifact's original, in a skill folder.</summary>
    public const string ShortcutKind = "shortcut";

    /// <summary>The kind of a milestone's showcase folder.</summary>
    public const string ShowcaseKind = "showcase";

    /// <summary>The kind of a frozen copy of an artifact in a showcase folder.</summary>
    public const string ShowcaseCopyKind = "showcaseCopy";
}

/// <summary>Identifies one backpack folder; its text form is the checkpoint key suffix.</summary>
internal sealed record FolderKey(string Kind, StudentId Student, SchoolYear? Year = null, SkillId? Skill = null, MilestoneId? Milestone = null)
{
    public static FolderKey Root(StudentId s) => new(DriveLayout.RootKind, s);

    public static FolderKey YearOf(StudentId s, SchoolYear y) => new(DriveLayout.YearKind, s, y);

    public static FolderKey SkillOf(StudentId s, SchoolYear y, SkillId k) => new(DriveLayout.SkillKind, s, y, k);

    public static FolderKey Showcase(StudentId s, MilestoneId m) => new(DriveLayout.ShowcaseKind, s, Milestone: m);

    public string Id => Kind switch
    {
        DriveLayout.RootKind => $"root:{Student}",
        DriveLayout.YearKind => $"year:{Student}:{Year!.Value.StartYear.ToString(CultureInfo.InvariantCulture)}",
        DriveLayout.SkillKind => $"skill:{Student}:{Year!.Value.StartYear.ToString(CultureInfo.InvariantCulture)}:{Skill}",
        _ => $"showcase:{Student}:{Milestone}",
    };

    public string CheckpointKey => DriveKeys.Folder + Id;

    public FolderKey? Parent => Kind switch
    {
        DriveLayout.RootKind => null,
        DriveLayout.SkillKind => YearOf(Student, Year!.Value),
        _ => Root(Student),
    };

    public IEnumerable<KeyValuePair<string, string>> AppProperties(string district)
    {
        yield return new(DriveLayout.KindKey, Kind);
        yield return new(DriveLayout.DistrictKey, district);
        yield return new(DriveLayout.StudentKey, Student.ToString());
        if (Year is { } y)
        {
            yield return new(DriveLayout.YearKey, y.StartYear.ToString(CultureInfo.InvariantCulture));
        }

        if (Skill is { } k)
        {
            yield return new(DriveLayout.SkillKey, k.ToString());
        }

        if (Milestone is { } m)
        {
            yield return new(DriveLayout.MilestoneKey, m.ToString());
        }
    }

    public static FolderKey? Parse(string id)
    {
        var p = id.Split(':');
        if (p.Length < 2 || !Guid.TryParse(p[1], out var s))
        {
            return null;
        }

        var student = new StudentId(s);
        return p[0] switch
        {
            DriveLayout.RootKind => Root(student),
            DriveLayout.YearKind when p.Length == 3 => YearOf(student, new SchoolYear(int.Parse(p[2], CultureInfo.InvariantCulture))),
            DriveLayout.SkillKind when p.Length == 4 => SkillOf(student, new SchoolYear(int.Parse(p[2], CultureInfo.InvariantCulture)), SkillId.Parse(p[3])),
            DriveLayout.ShowcaseKind when p.Length == 3 => Showcase(student, MilestoneId.Parse(p[2])),
            _ => null,
        };
    }
}

/// <summary>Checkpoint key prefixes (all under <c>drive:</c>).</summary>
internal static class DriveKeys
{
    /// <summary><c>drive:folder:{folderKey}</c> = folder id, or <c>pending:{id}</c> while being created.</summary>
    public const string Folder = "drive:folder:";

    /// <summary><c>drive:shortcut:{artifact}:{skill}</c> = <c>{id}@{targetId}</c> (or pending: / empty when removed).</summary>
    public const string Shortcut = "drive:shortcut:";

    /// <summary><c>drive:copy:{milestone}:{artifact}</c> = <c>{id}@{sourceId}</c>.</summary>
    public const string Copy = "drive:copy:";

    /// <summary><c>drive:file:{fileId}</c> = what Backpack created it as (reverse index for the changes feed).</summary>
    public const string File = "drive:file:";

    /// <summary><c>drive:original:{fileId}</c> = the artifacts (comma separated) whose original it is.</summary>
    public const string Original = "drive:original:";

    /// <summary><c>drive:grants:{fileId}</c> = the permissions Backpack manages on it: <c>principal=permissionId;...</c>.</summary>
    public const string Grants = "drive:grants:";

    /// <summary><c>drive:handoff:{student}:{folderId}</c> = the permission id of the folder's share with the handed-off student's personal email.</summary>
    public const string Handoff = "drive:handoff:";

    /// <summary><c>drive:retire:{fileId}</c> = the permission ids (comma separated) a retirement is deleting on the folder, saved before it deletes them; empty when done.</summary>
    public const string Retire = "drive:retire:";

    /// <summary><c>drive:changes[:{user}]</c> = the changes feed page token.</summary>
    public const string Changes = "drive:changes";

    public const string Pending = "pending:";
}
