using Backpack.Core.Google.Classroom.Api;
using Backpack.Core.Google.Drive.Http;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Google.Apis.Services;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// The one <see cref="ClassroomService"/> the sync uses, acting as the configured user (a Classroom administrator):
/// the credential, then the shared Google retry policy (429, 403 rate limits, 5xx and dropped connections, with
/// truncated exponential backoff, jitter and <c>Retry-After</c>) and pacing under Classroom's per-client and per-user
/// quotas (the same handler and pacer the Drive adapter uses, with Classroom's limits).
/// </summary>
internal sealed class ClassroomConnection : IDisposable
{
    private readonly Lazy<ClassroomService> service;

    /// <summary>The user quotas are counted for when no administrator is impersonated.</summary>
    public const string DefaultUser = "default";

    public ClassroomConnection(IOptions<GoogleClassroomOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        Clock = clock;
        Pacer = new DrivePacer(clock, Options.PerUserQueriesPerMinute, Options.PerClientQueriesPerMinute, Options.QuotaUtilization);
        service = new Lazy<ClassroomService>(Create);
    }

    public DrivePacer Pacer { get; }

    public DriveStatistics Statistics { get; } = new();

    public GoogleClassroomOptions Options { get; }

    public TimeProvider Clock { get; }

    public ClassroomService Service => service.Value;

    public void Dispose()
    {
        if (service.IsValueCreated)
        {
            service.Value.Dispose();
        }

        Pacer.Dispose();
    }

    private ClassroomService Create()
    {
        var initializer = new BaseClientService.Initializer
        {
            ApplicationName = Options.ApplicationName,
            BaseUri = Options.BaseUri?.ToString(),
            HttpClientInitializer = new GoogleHttpPipeline(
                LoadCredential(),
                new DriveRetryHandler(Clock, Options.RetryBaseDelay, Options.RetryMaxDelay, Pacer, Options.AdminEmail ?? DefaultUser, Statistics),
                Options.MaxAttempts),
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
            GZipEnabled = true,
            HttpClientFactory = WrappingHttpClientFactory.For(Options.WrapHttpHandler),
        };
        return new ClassroomService(initializer, Options.BaseUri is null ? null : new Uri(Options.BaseUri, "batch").ToString());
    }

    private GoogleCredential LoadCredential() =>
        GoogleAuthErrors.Load(
            () => GoogleHttpPipeline.LoadCredential(Options.Credential, Options.CredentialsFilePath, Options.AccessToken, Options.Scopes, Options.AdminEmail),
            "GoogleClassroom",
            Options.Credential is null && !string.IsNullOrWhiteSpace(Options.CredentialsFilePath));
}
