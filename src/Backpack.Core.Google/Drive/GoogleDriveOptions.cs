using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Drive;

/// <summary>
/// Settings of the Google Drive adapter. Set them in <c>AddGoogleDrive(o =&gt; ...)</c>; they are validated when
/// the host starts, with messages naming the setting and its value.
/// </summary>
/// <remarks>
/// Scopes: <see cref="DriveFileScope"/> (<c>drive.file</c>) is the default and covers everything the adapter
/// creates itself: backpack folders, shortcuts, showcase folders, their sharing and the changes feed for them.
/// The full <see cref="DriveScope"/> (<c>drive</c>) is needed to copy students' own originals into a showcase
/// and to notice when those originals are trashed or deleted (files the app did not create or open are
/// invisible under <c>drive.file</c>), and to find folders that users moved outside the app's reach.
/// </remarks>
public sealed class GoogleDriveOptions
{
    /// <summary>The <c>drive.file</c> scope: files the app created or opened (the default).</summary>
    public const string DriveFileScope = "https://www.googleapis.com/auth/drive.file";

    /// <summary>The full <c>drive</c> scope: needed for showcase copies of originals and for missing-original detection.</summary>
    public const string DriveScope = "https://www.googleapis.com/auth/drive";

    /// <summary>The Drive v3 base URI; <see langword="null"/> for Google. Set it to the emulator's <c>DriveBaseUri</c> in tests.</summary>
    public Uri? BaseUri { get; set; }

    /// <summary>The Drive batch endpoint; <see langword="null"/> for Google. Required with <see cref="BaseUri"/> (batch URLs are not redirected).</summary>
    public Uri? BatchUri { get; set; }

    /// <summary>Test seam: wraps the HTTP handler under Google.Apis (to observe or alter the wire in-process).</summary>
    internal Func<HttpMessageHandler, HttpMessageHandler>? WrapHttpHandler { get; set; }

    /// <summary>The application name sent to Google (default <c>Backpack.Core</c>).</summary>
    public string ApplicationName { get; set; } = "Backpack.Core";

    /// <summary>A credential: a service account (with domain-wide delegation) or a user credential. Takes precedence over <see cref="CredentialsFilePath"/>.</summary>
    public GoogleCredential? Credential { get; set; }

    /// <summary>A service account key file (JSON), used when <see cref="Credential"/> is not set.</summary>
    public string? CredentialsFilePath { get; set; }

    /// <summary>The Workspace user a service account acts as (domain-wide delegation), unless <see cref="ImpersonateStudents"/>.</summary>
    public string? AdminEmail { get; set; }

    /// <summary>
    /// Whether a service account acts as each student (domain-wide delegation) so backpacks live in the students'
    /// own My Drive (default: no, every backpack is kept by <see cref="AdminEmail"/>).
    /// </summary>
    public bool ImpersonateStudents { get; set; }

    /// <summary>A fixed bearer token, for the emulator and tests (any token is accepted there). Never use it with Google.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The OAuth scopes requested (default <see cref="DriveFileScope"/> only).</summary>
    public IList<string> Scopes { get; } = [DriveFileScope];

    /// <summary>The name of a student's backpack root folder (default <c>Backpack</c>).</summary>
    public string RootFolderName { get; set; } = "Backpack";

    /// <summary>The name of a school-year folder; <c>{year}</c> is replaced with e.g. <c>2025-26</c>.</summary>
    public string YearFolderNameTemplate { get; set; } = "{year}";

    /// <summary>The name of a skill folder; <c>{skill}</c> is the skill's name, <c>{code}</c> its code, <c>{position}</c> its position.</summary>
    public string SkillFolderNameTemplate { get; set; } = "{position}. {skill}";

    /// <summary>The name of a showcase folder; <c>{kind}</c> is the milestone kind, <c>{date}</c> its date (yyyy-MM-dd).</summary>
    public string ShowcaseFolderNameTemplate { get; set; } = "Showcase - {kind} {date}";

    /// <summary>Email domains people may be shared with, e.g. <c>district.org</c>. Empty allows every domain.</summary>
    public IList<string> AllowedEmailDomains { get; } = [];

    /// <summary>A Workspace domain whose users may read showcases (type <c>domain</c>); <see langword="null"/> (the default) shares with no domain.</summary>
    public string? ShareShowcasesWithDomain { get; set; }

    /// <summary>Whether Drive emails people when they are granted access (default: no).</summary>
    public bool SendNotificationEmails { get; set; }

    /// <summary>Whether guardians get <c>reader</c> on their child's showcases (default: yes).</summary>
    public bool ShareShowcasesWithGuardians { get; set; } = true;

    /// <summary>HTTP attempts per call, first included (default 8, from 1 to 20).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry delay; doubles each attempt, plus up to one base delay of jitter (default 1 second).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay (default 32 seconds); a longer <c>Retry-After</c> is honoured up to 2 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(32);

    /// <summary>The Drive per-user quota in queries per minute the adapter paces itself under (default 12,000; <see langword="null"/> does not pace).</summary>
    public int? PerUserQueriesPerMinute { get; set; } = 12_000;

    /// <summary>The Drive per-project quota in queries per minute the adapter paces itself under (default 12,000; <see langword="null"/> does not pace).</summary>
    public int? PerProjectQueriesPerMinute { get; set; } = 12_000;

    /// <summary>The share of a quota pacing uses, from 0.1 to 1 (default 0.9), leaving headroom for other clients.</summary>
    public double QuotaUtilization { get; set; } = 0.9;

    /// <summary>Whether independent calls are sent as batch requests (default: yes).</summary>
    public bool UseBatch { get; set; } = true;

    /// <summary>Calls per batch request (default 100, Drive's maximum).</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>File ids fetched at once with <c>files.generateIds</c> (default 100, at most 1,000).</summary>
    public int IdBlockSize { get; set; } = 100;
}

/// <summary>Validates <see cref="GoogleDriveOptions"/> at start-up; every message names the setting and its value.</summary>
internal sealed class GoogleDriveOptionsValidator : IValidateOptions<GoogleDriveOptions>
{
    public ValidateOptionsResult Validate(string? name, GoogleDriveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var f = new List<string>();
        if (options.Credential is null && string.IsNullOrWhiteSpace(options.CredentialsFilePath) && string.IsNullOrWhiteSpace(options.AccessToken))
        {
            f.Add("GoogleDrive: no credential is configured: set Credential, CredentialsFilePath (with AdminEmail) or, for the emulator, AccessToken.");
        }

        if (!string.IsNullOrWhiteSpace(options.CredentialsFilePath) && options.Credential is null && !File.Exists(options.CredentialsFilePath))
        {
            f.Add($"GoogleDrive:CredentialsFilePath is '{options.CredentialsFilePath}': the file does not exist.");
        }

        if (!string.IsNullOrWhiteSpace(options.CredentialsFilePath) && options.Credential is null && string.IsNullOrWhiteSpace(options.AdminEmail) && !options.ImpersonateStudents)
        {
            f.Add("GoogleDrive:AdminEmail is empty: a service account key file needs the Workspace user to act as (or ImpersonateStudents = true).");
        }

        if (options.AdminEmail is { Length: > 0 } admin && !admin.Contains('@', StringComparison.Ordinal))
        {
            f.Add($"GoogleDrive:AdminEmail is '{admin}': it must be an email address.");
        }

        if (options.BaseUri is { } b && !b.IsAbsoluteUri)
        {
            f.Add($"GoogleDrive:BaseUri is '{b}': it must be an absolute URI.");
        }

        if (options.BaseUri is not null && options.BatchUri is null && options.UseBatch)
        {
            f.Add($"GoogleDrive:BatchUri is not set while BaseUri is '{options.BaseUri}': batch requests are not redirected by BaseUri; set BatchUri (e.g. the emulator's DriveBatchUri) or UseBatch = false.");
        }

        if (options.Scopes.Count == 0)
        {
            f.Add($"GoogleDrive:Scopes is empty: request at least '{GoogleDriveOptions.DriveFileScope}'.");
        }

        if (options.MaxAttempts is < 1 or > 20)
        {
            f.Add($"GoogleDrive:MaxAttempts is {options.MaxAttempts}: it must be from 1 to 20.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            f.Add($"GoogleDrive:RetryBaseDelay is {options.RetryBaseDelay} and RetryMaxDelay {options.RetryMaxDelay}: the base must be non-negative and not above the maximum.");
        }

        if (options.PerUserQueriesPerMinute is < 1)
        {
            f.Add($"GoogleDrive:PerUserQueriesPerMinute is {options.PerUserQueriesPerMinute}: it must be at least 1 (or null for no pacing).");
        }

        if (options.PerProjectQueriesPerMinute is < 1)
        {
            f.Add($"GoogleDrive:PerProjectQueriesPerMinute is {options.PerProjectQueriesPerMinute}: it must be at least 1 (or null for no pacing).");
        }

        if (double.IsNaN(options.QuotaUtilization) || options.QuotaUtilization is < 0.1 or > 1)
        {
            f.Add($"GoogleDrive:QuotaUtilization is {options.QuotaUtilization}: it must be from 0.1 to 1.");
        }

        if (options.MaxBatchSize is < 1 or > 100)
        {
            f.Add($"GoogleDrive:MaxBatchSize is {options.MaxBatchSize}: Drive accepts from 1 to 100 calls per batch.");
        }

        if (options.IdBlockSize is < 1 or > 1000)
        {
            f.Add($"GoogleDrive:IdBlockSize is {options.IdBlockSize}: files.generateIds returns from 1 to 1000 ids.");
        }

        if (options.ShareShowcasesWithDomain is { } d && (d.Length == 0 || d.Contains('@', StringComparison.Ordinal)))
        {
            f.Add($"GoogleDrive:ShareShowcasesWithDomain is '{d}': it must be a domain such as 'district.org'.");
        }

        foreach (var domain in options.AllowedEmailDomains.Where(x => string.IsNullOrWhiteSpace(x) || x.Contains('@', StringComparison.Ordinal)))
        {
            f.Add($"GoogleDrive:AllowedEmailDomains contains '{domain}': list domains such as 'district.org', not addresses.");
        }

        foreach (var (setting, value) in new[] { ("RootFolderName", options.RootFolderName), ("YearFolderNameTemplate", options.YearFolderNameTemplate), ("SkillFolderNameTemplate", options.SkillFolderNameTemplate), ("ShowcaseFolderNameTemplate", options.ShowcaseFolderNameTemplate) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                f.Add($"GoogleDrive:{setting} is empty: folders need a name.");
            }
        }

        return f.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(f);
    }
}
