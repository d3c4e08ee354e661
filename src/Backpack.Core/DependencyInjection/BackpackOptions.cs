using Backpack.Core.Artifacts;
using Backpack.Core.Evaluations;
using Backpack.Core.Milestones;
using Backpack.Core.Students;
using Microsoft.Extensions.Options;

namespace Backpack.Core;

/// <summary>
/// A district's settings. Bind them from configuration (section <c>Backpack</c>) or set them in
/// <c>AddBackpack(o =&gt; ...)</c>; they are validated when the host starts, with messages naming the values.
/// </summary>
public sealed class BackpackOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Backpack";

    /// <summary>The district's short id: lower-case letters, digits and dashes, e.g. <c>jeffco</c>. Required.</summary>
    public string DistrictId { get; set; } = string.Empty;

    /// <summary>The month (1-12) a school year starts in (default 8, August).</summary>
    public int SchoolYearStartMonth { get; set; } = 8;

    /// <summary>The grades at which students defend their learning (default 5, 8, 12).</summary>
    public IList<int> TransitionGrades { get; } = [5, 8, 12];

    /// <summary>Whether every alignment needs the student's reasoning (default: yes).</summary>
    public bool ReasoningRequired { get; set; } = true;

    /// <summary>The longest reasoning, in characters (default 2,000).</summary>
    public int MaxReasoningLength { get; set; } = 2_000;

    /// <summary>The longest reflection or feedback, in characters (default 10,000).</summary>
    public int MaxReflectionLength { get; set; } = 10_000;

    /// <summary>Collected artifacts with reasoning needed per skill for readiness (default 2).</summary>
    public int MinimumArtifactsPerSkill { get; set; } = 2;

    /// <summary>Reflected artifacts needed per skill for readiness (default 1).</summary>
    public int MinimumReflectionsPerSkill { get; set; } = 1;

    /// <summary>How several evaluators' levels combine (default: median level).</summary>
    public ScoreCombination ScoreCombination { get; set; } = ScoreCombination.MedianLevel;

    /// <summary>
    /// How many levels two scores of one subject and criterion may be apart before the subject is flagged for a
    /// further scorer (default 1: Developing and Excelling are flagged, Ready and Excelling are not).
    /// </summary>
    public int ModerationLevelGap { get; set; } = 1;

    /// <summary>Panel members who must score a criterion for its defense outcome to meet quorum (default 2).</summary>
    public int PanelQuorum { get; set; } = 2;

    /// <summary>Whether district administrators may read individual students' work (default: no, aggregates only).</summary>
    public bool DistrictAdminsSeeStudentWork { get; set; }

    /// <summary>Days after a defense that panelists keep access to the showcase (default 7, at most 365).</summary>
    public int PanelAccessDays { get; set; } = 7;

    /// <summary>
    /// The district's time zone, an IANA id such as <c>America/Denver</c> (default <c>UTC</c>): "today" for
    /// enrollments, rosters and school years is the date there.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The district's date at <paramref name="instant"/>, in <see cref="TimeZone"/>.</summary>
    /// <param name="instant">The instant (from the injected clock).</param>
    /// <returns>The date.</returns>
    public DateOnly TodayAt(DateTimeOffset instant)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }

    /// <summary>
    /// The smallest group of students whose counts an aggregate report shows (default 10, at least 1; 1 turns
    /// suppression off). Counts of smaller groups, counts whose complement within their group is smaller, and
    /// the further counts that would let a reader recover them by subtraction are withheld (shown as
    /// <see langword="null"/>); zeros are shown. See <see cref="Reporting.ReportService"/>.
    /// </summary>
    public int MinimumCellSize { get; set; } = 10;

    /// <summary>
    /// Days a student's records are kept after they exit the district (default 365, at least 1): a student whose
    /// every enrollment has ended exited on the last exit date, and the retention run purges them from that date
    /// plus these days on. See <see cref="Lifecycle.RetentionService"/>.
    /// </summary>
    public int RetentionDaysAfterExit { get; set; } = 365;

    /// <summary>What happens to a purged student's Backpack folders on Drive (default: trashed). Never the student's own originals.</summary>
    public RetainedDriveFolders DriveFoldersAfterRetention { get; set; } = RetainedDriveFolders.Trash;

    /// <summary>
    /// Whether a handoff (<see cref="Lifecycle.HandoffService"/>) may share the student's showcase folders on Drive with a
    /// personal email address the student gives, outside the district's domains (default: no). When it may, the Drive
    /// adapter shares them as reader for <see cref="HandoffSharingDays"/>, audited; <c>GoogleDriveOptions.AllowedEmailDomains</c>
    /// does not apply to that one address.
    /// </summary>
    public bool HandoffSharing { get; set; }

    /// <summary>How long a handoff's sharing with the student's personal email lasts, in days (default 90; 1 to 365, Drive's limit).</summary>
    public int HandoffSharingDays { get; set; } = 90;

    /// <summary>The calendar: the school year containing a date.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The school year.</returns>
    public SchoolYear SchoolYearOf(DateOnly date) => SchoolYear.Containing(date, SchoolYearStartMonth);

    /// <summary>The artifact rules these options describe.</summary>
    public ArtifactRules ArtifactRules => new()
    {
        ReasoningRequired = ReasoningRequired,
        MaxReasoningLength = MaxReasoningLength,
        MaxReflectionLength = MaxReflectionLength,
    };

    /// <summary>The evidence rule these options describe.</summary>
    public EvidenceRule EvidenceRule => new()
    {
        MinimumArtifactsPerSkill = MinimumArtifactsPerSkill,
        MinimumReflectionsPerSkill = MinimumReflectionsPerSkill,
        RequireReasoning = ReasoningRequired,
    };

    /// <summary>The transition grades these options describe.</summary>
    public TransitionGrades Transitions => new(TransitionGrades.Select(GradeLevel.FromOrdinal));
}

/// <summary>Validates <see cref="BackpackOptions"/> at start-up; every message names the setting and its value.</summary>
internal sealed class BackpackOptionsValidator : IValidateOptions<BackpackOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BackpackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DistrictId) || !options.DistrictId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || options.DistrictId.Length > 63)
        {
            failures.Add($"Backpack:DistrictId is '{options.DistrictId}': it must be 1-63 lower-case letters, digits or dashes, e.g. 'jeffco'.");
        }

        if (options.SchoolYearStartMonth is < 1 or > 12)
        {
            failures.Add($"Backpack:SchoolYearStartMonth is {options.SchoolYearStartMonth}: it must be a month from 1 to 12.");
        }

        if (options.TransitionGrades.Count == 0)
        {
            failures.Add("Backpack:TransitionGrades is empty: name at least one grade (default 5, 8, 12).");
        }

        foreach (var g in options.TransitionGrades.Where(g => g is < -1 or > 12))
        {
            failures.Add($"Backpack:TransitionGrades contains {g}: grades run from -1 (PK) and 0 (K) to 12.");
        }

        if (options.MaxReasoningLength < 1)
        {
            failures.Add($"Backpack:MaxReasoningLength is {options.MaxReasoningLength}: it must be at least 1.");
        }

        if (options.MaxReflectionLength < 1)
        {
            failures.Add($"Backpack:MaxReflectionLength is {options.MaxReflectionLength}: it must be at least 1.");
        }

        if (options.MinimumArtifactsPerSkill < 0)
        {
            failures.Add($"Backpack:MinimumArtifactsPerSkill is {options.MinimumArtifactsPerSkill}: it cannot be negative.");
        }

        if (options.MinimumReflectionsPerSkill < 0)
        {
            failures.Add($"Backpack:MinimumReflectionsPerSkill is {options.MinimumReflectionsPerSkill}: it cannot be negative.");
        }

        if (options.PanelAccessDays is < 0 or > 365)
        {
            failures.Add($"Backpack:PanelAccessDays is {options.PanelAccessDays}: it must be from 0 to 365 (Drive expirations are at most a year ahead).");
        }

        if (string.IsNullOrWhiteSpace(options.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"Backpack:TimeZone is '{options.TimeZone}': it must be a time zone id such as 'America/Denver' or 'UTC'.");
        }

        if (options.ModerationLevelGap < 0)
        {
            failures.Add($"Backpack:ModerationLevelGap is {options.ModerationLevelGap}: it cannot be negative.");
        }

        if (options.PanelQuorum < 1)
        {
            failures.Add($"Backpack:PanelQuorum is {options.PanelQuorum}: at least one panel member must score a criterion.");
        }

        if (options.MinimumCellSize < 1)
        {
            failures.Add($"Backpack:MinimumCellSize is {options.MinimumCellSize}: it must be at least 1 (1 shows every count; the default 10 withholds counts of fewer than 10 students).");
        }

        if (options.RetentionDaysAfterExit is < 1 or > 36_500)
        {
            failures.Add($"Backpack:RetentionDaysAfterExit is {options.RetentionDaysAfterExit}: it must be from 1 to 36500 days (default 365).");
        }

        if (options.HandoffSharingDays is < 1 or > 365)
        {
            failures.Add($"Backpack:HandoffSharingDays is {options.HandoffSharingDays}: it must be from 1 to 365 days (Drive expirations are at most a year ahead; default 90).");
        }

        if (!Enum.IsDefined(options.DriveFoldersAfterRetention))
        {
            failures.Add($"Backpack:DriveFoldersAfterRetention is {(int)options.DriveFoldersAfterRetention}: use Trash or HandOver.");
        }

        if (!Enum.IsDefined(options.ScoreCombination))
        {
            failures.Add($"Backpack:ScoreCombination is {(int)options.ScoreCombination}: use MedianLevel, LowestLevel, HighestLevel or MeanScore.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>What the retention run does with a purged student's Backpack folders on Drive.</summary>
public enum RetainedDriveFolders
{
    /// <summary>The folders Backpack created are moved to the trash (the student's own files are never touched).</summary>
    Trash,

    /// <summary>The folders are left as they are, handed over to the student (sharing with teachers and panels is still revoked).</summary>
    HandOver,
}
