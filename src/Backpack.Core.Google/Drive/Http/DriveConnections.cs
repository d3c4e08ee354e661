using System.Collections.Concurrent;
using Backpack.Core.Google.Drive.Api;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Google.Apis.Services;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// One <see cref="DriveService"/> per Workspace user the adapter acts as: the configured credential, scoped, and
/// for a service account delegated to the user (<c>CreateWithUser</c>); with the retry policy and pacing on its
/// message handler.
/// </summary>
internal sealed class DriveConnections : IDisposable
{
    /// <summary>The user key used when no user is impersonated.</summary>
    public const string DefaultUser = "default";

    private readonly GoogleDriveOptions options;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, Lazy<DriveService>> services = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<GoogleCredential> credential;

    public DriveConnections(IOptions<GoogleDriveOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.clock = clock;
        Pacer = new DrivePacer(clock, this.options.PerUserQueriesPerMinute, this.options.PerProjectQueriesPerMinute, this.options.QuotaUtilization);
        credential = new Lazy<GoogleCredential>(LoadCredential);
    }

    public DrivePacer Pacer { get; }

    public DriveStatistics Statistics { get; } = new();

    public GoogleDriveOptions Options => options;

    /// <summary>The user a student's backpack is handled as: the student when impersonating students, else the admin.</summary>
    public string UserFor(string? studentEmail) =>
        options.ImpersonateStudents && !string.IsNullOrWhiteSpace(studentEmail) ? studentEmail : options.AdminEmail ?? DefaultUser;

    public DriveService For(string user) => services.GetOrAdd(user, u => new Lazy<DriveService>(() => Create(u))).Value;

    public void Dispose()
    {
        foreach (var s in services.Values.Where(l => l.IsValueCreated))
        {
            s.Value.Dispose();
        }

        Pacer.Dispose();
    }

    private DriveService Create(string user)
    {
        var cred = credential.Value;
        if (options.AccessToken is null && user != DefaultUser && cred.UnderlyingCredential is ServiceAccountCredential)
        {
            cred = cred.CreateWithUser(user);
        }

        var retry = new DriveRetryHandler(clock, options.RetryBaseDelay, options.RetryMaxDelay, Pacer, user, Statistics);
        var initializer = new BaseClientService.Initializer
        {
            ApplicationName = options.ApplicationName,
            BaseUri = options.BaseUri?.ToString(),
            HttpClientInitializer = new GoogleHttpPipeline(cred, retry, options.MaxAttempts),
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
            GZipEnabled = true,
            HttpClientFactory = WrappingHttpClientFactory.For(options.WrapHttpHandler),
        };
        return new DriveService(initializer, options.BatchUri?.ToString());
    }

    private GoogleCredential LoadCredential() =>
        GoogleAuthErrors.Load(
            () => GoogleHttpPipeline.LoadCredential(options.Credential, options.CredentialsFilePath, options.AccessToken, options.Scopes, options.AdminEmail),
            "GoogleDrive",
            options.Credential is null && !string.IsNullOrWhiteSpace(options.CredentialsFilePath));
}
