using Backpack.Core.Students;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// Settings of the Google Classroom adapter. Set them in <c>AddGoogleClassroom(o =&gt; ...)</c>; they are validated
/// when the host starts, with messages naming the setting and its value.
/// </summary>
/// <remarks>
/// Which courses belong to which school and grade is the district's to say, in this order: <see cref="MapCourse"/>,
/// then <see cref="CoursesById"/>, <see cref="CoursesBySection"/> and <see cref="CoursesByOwner"/>. Courses none of
/// them place are left alone (and counted in <see cref="ClassroomSyncResult.UnmappedCourses"/>).
/// </remarks>
public sealed class GoogleClassroomOptions
{
    /// <summary>Test seam: wraps the HTTP handler under Google.Apis (to observe or alter the wire in-process).</summary>
    internal Func<HttpMessageHandler, HttpMessageHandler>? WrapHttpHandler { get; set; }

    /// <summary>The read-only scopes the adapter needs: courses, rosters, emails, student coursework and guardians.</summary>
    public static IReadOnlyList<string> ReadOnlyScopes { get; } =
    [
        "https://www.googleapis.com/auth/classroom.courses.readonly",
        "https://www.googleapis.com/auth/classroom.rosters.readonly",
        "https://www.googleapis.com/auth/classroom.profile.emails",
        "https://www.googleapis.com/auth/classroom.coursework.students.readonly",
        "https://www.googleapis.com/auth/classroom.guardianlinks.students.readonly",
    ];

    /// <summary>The Classroom root URI; <see langword="null"/> for Google. Set it to the emulator's <c>ClassroomBaseUri</c> in tests.</summary>
    public Uri? BaseUri { get; set; }

    /// <summary>The application name sent to Google (default <c>Backpack.Core</c>).</summary>
    public string ApplicationName { get; set; } = "Backpack.Core";

    /// <summary>A credential (a service account with domain-wide delegation, or a user credential). Takes precedence over <see cref="CredentialsFilePath"/>.</summary>
    public GoogleCredential? Credential { get; set; }

    /// <summary>A service account key file (JSON), used when <see cref="Credential"/> is not set.</summary>
    public string? CredentialsFilePath { get; set; }

    /// <summary>The Workspace user (a Classroom administrator) a service account acts as.</summary>
    public string? AdminEmail { get; set; }

    /// <summary>A fixed bearer token, for the emulator and tests. Never use it with Google.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The OAuth scopes requested (default <see cref="ReadOnlyScopes"/>).</summary>
    public IList<string> Scopes { get; } = [.. ReadOnlyScopes];

    /// <summary>The district's course-to-school mapping as a function; <see langword="null"/> to use the dictionaries only. Return <see langword="null"/> to leave a course unmapped.</summary>
    public Func<ClassroomCourse, CoursePlacement?>? MapCourse { get; set; }

    /// <summary>Placements by Classroom course id.</summary>
    public IDictionary<string, CoursePlacement> CoursesById { get; } = new Dictionary<string, CoursePlacement>(StringComparer.Ordinal);

    /// <summary>Placements by course section (compared ignoring case), e.g. a SIS section code.</summary>
    public IDictionary<string, CoursePlacement> CoursesBySection { get; } = new Dictionary<string, CoursePlacement>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Placements by the course owner's Google user id: every course a teacher owns is at their school.</summary>
    public IDictionary<string, CoursePlacement> CoursesByOwner { get; } = new Dictionary<string, CoursePlacement>(StringComparer.Ordinal);

    /// <summary>
    /// The district student id of a Google user (their Google user id and email, when Classroom shares it); by
    /// default the Google user id. Used to find students the district imported from its SIS, and for new students.
    /// </summary>
    public Func<string, string?, string>? ResolveDistrictStudentId { get; set; }

    /// <summary>Tags (without <c>#</c> or brackets, ignoring case) in coursework titles and descriptions, mapped to skills.</summary>
    public IDictionary<string, SkillId> SkillTags { get; } = new Dictionary<string, SkillId>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The coursework-to-skill strategies, composed. Empty (the default) means tags (<see cref="SkillTags"/>), rubric
    /// criteria naming skills, and learning standards whose CASE ids are skill ids.
    /// </summary>
    public IList<ICourseWorkSkillStrategy> SkillStrategies { get; } = [];

    /// <summary>Whether guardians are read (one paged <c>guardians.list</c> for all students) onto students (default: yes).</summary>
    public bool SyncGuardians { get; set; } = true;

    /// <summary>Whether returned grades are copied onto suggested artifacts (default: yes).</summary>
    public bool IncludeGrades { get; set; } = true;

    /// <summary>The Cloud Pub/Sub topic (<c>projects/{project}/topics/{topic}</c>) for roster and coursework change notifications, when the district has one.</summary>
    public string? PubSubTopic { get; set; }

    /// <summary>The page size asked of every list (default 1,000; Classroom caps it at its maximum).</summary>
    public int PageSize { get; set; } = 1_000;

    /// <summary>Courses read and saved at once (default 4, from 1 to 64).</summary>
    public int MaxConcurrentCourses { get; set; } = 4;

    /// <summary>Classroom's per-client (project) quota in queries per minute the adapter paces itself under (default 3,000; <see langword="null"/> does not pace).</summary>
    public int? PerClientQueriesPerMinute { get; set; } = 3_000;

    /// <summary>Classroom's per-user quota in queries per minute the adapter paces itself under (default 1,200; <see langword="null"/> does not pace).</summary>
    public int? PerUserQueriesPerMinute { get; set; } = 1_200;

    /// <summary>
    /// The share of a quota pacing uses, from 0.1 to 1 (default 1: the shared pacer already keeps any 60-second
    /// window under the quota, and sustains 90% of it; lower it when other clients share the project's quota).
    /// </summary>
    public double QuotaUtilization { get; set; } = 1.0;

    /// <summary>HTTP attempts per call, first included (default 8, from 1 to 20).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry delay; doubles each attempt, plus jitter (default 1 second).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay (default 32 seconds); a longer <c>Retry-After</c> is honoured up to 2 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(32);

    /// <summary>How often a course whose store items changed under the sync is read and saved again (default 3).</summary>
    public int MaxConcurrencyRetries { get; set; } = 3;

    /// <summary>The placement of <paramref name="course"/>, by the function first and then the dictionaries.</summary>
    /// <param name="course">The course.</param>
    /// <returns>The placement, or <see langword="null"/> when the course is not mapped.</returns>
    public CoursePlacement? PlacementOf(ClassroomCourse course)
    {
        ArgumentNullException.ThrowIfNull(course);
        if (MapCourse?.Invoke(course) is { } mapped)
        {
            return mapped;
        }

        if (CoursesById.TryGetValue(course.Id, out var byId))
        {
            return byId;
        }

        if (course.Section is { } section && CoursesBySection.TryGetValue(section, out var bySection))
        {
            return bySection;
        }

        return course.OwnerId is { } owner && CoursesByOwner.TryGetValue(owner, out var byOwner) ? byOwner : null;
    }

    /// <summary>The district student id of a Google user.</summary>
    /// <param name="googleUserId">The Google user id.</param>
    /// <param name="email">The email, when known.</param>
    /// <returns>The district student id.</returns>
    public string DistrictStudentIdOf(string googleUserId, string? email) =>
        ResolveDistrictStudentId?.Invoke(googleUserId, email) is { Length: > 0 } id ? id : googleUserId;

    /// <summary>The composed skill strategy these options describe.</summary>
    /// <returns>The strategy.</returns>
    public ICourseWorkSkillStrategy CreateSkillStrategy() =>
        new CompositeSkillStrategy(SkillStrategies.Count > 0
            ? SkillStrategies
            : [new TagSkillStrategy(SkillTags), new RubricCriteriaSkillStrategy(SkillTags), new LearningStandardSkillStrategy()]);
}

/// <summary>Validates <see cref="GoogleClassroomOptions"/> at start-up; every message names the setting and its value.</summary>
internal sealed class GoogleClassroomOptionsValidator : IValidateOptions<GoogleClassroomOptions>
{
    public ValidateOptionsResult Validate(string? name, GoogleClassroomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Credential is null && string.IsNullOrWhiteSpace(options.CredentialsFilePath) && string.IsNullOrWhiteSpace(options.AccessToken))
        {
            failures.Add("GoogleClassroom:Credential, CredentialsFilePath and AccessToken are all unset: set one (AccessToken only for the emulator).");
        }

        if (!string.IsNullOrWhiteSpace(options.CredentialsFilePath) && !File.Exists(options.CredentialsFilePath))
        {
            failures.Add($"GoogleClassroom:CredentialsFilePath is '{options.CredentialsFilePath}': no such file.");
        }

        if (options.BaseUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"GoogleClassroom:BaseUri is '{uri}': it must be an absolute http or https URI.");
        }

        if (options.MapCourse is null && options.CoursesById.Count + options.CoursesBySection.Count + options.CoursesByOwner.Count == 0)
        {
            failures.Add("GoogleClassroom:MapCourse is unset and CoursesById, CoursesBySection and CoursesByOwner are empty: say which school and grade each course belongs to.");
        }

        foreach (var (key, placement) in options.CoursesById.Concat(options.CoursesBySection).Concat(options.CoursesByOwner))
        {
            if (placement is null || placement.SchoolId.Value == Guid.Empty)
            {
                failures.Add($"GoogleClassroom:Courses['{key}'] has no school: give each placement a SchoolId.");
            }
        }

        foreach (var (tag, skill) in options.SkillTags)
        {
            if (string.IsNullOrWhiteSpace(SkillText.Normalize(tag)) || skill.Value == Guid.Empty)
            {
                failures.Add($"GoogleClassroom:SkillTags['{tag}'] is {skill}: a tag needs letters or digits and a skill id.");
            }
        }

        if (options.SkillStrategies.Any(s => s is null))
        {
            failures.Add("GoogleClassroom:SkillStrategies contains null.");
        }

        if (options.PubSubTopic is { } topic && (!topic.StartsWith("projects/", StringComparison.Ordinal) || !topic.Contains("/topics/", StringComparison.Ordinal)))
        {
            failures.Add($"GoogleClassroom:PubSubTopic is '{topic}': it must look like projects/{{project}}/topics/{{topic}}.");
        }

        Range(failures, "PageSize", options.PageSize, 1, 1_000);
        Range(failures, "MaxConcurrentCourses", options.MaxConcurrentCourses, 1, 64);
        Range(failures, "MaxAttempts", options.MaxAttempts, 1, 20);
        Range(failures, "MaxConcurrencyRetries", options.MaxConcurrencyRetries, 0, 20);
        if (options.PerClientQueriesPerMinute is { } c)
        {
            Range(failures, "PerClientQueriesPerMinute", c, 1, 1_000_000);
        }

        if (options.PerUserQueriesPerMinute is { } u)
        {
            Range(failures, "PerUserQueriesPerMinute", u, 1, 1_000_000);
        }

        if (options.QuotaUtilization is < 0.1 or > 1 || double.IsNaN(options.QuotaUtilization))
        {
            failures.Add($"GoogleClassroom:QuotaUtilization is {options.QuotaUtilization}: it must be from 0.1 to 1.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add($"GoogleClassroom:RetryBaseDelay is {options.RetryBaseDelay} and RetryMaxDelay {options.RetryMaxDelay}: the base cannot be negative or above the maximum.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"GoogleClassroom:{name} is {value}: it must be from {min} to {max}.");
        }
    }
}
