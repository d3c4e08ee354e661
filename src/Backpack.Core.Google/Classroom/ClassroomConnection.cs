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
            HttpClientInitializer = new Pipeline(
                LoadCredential(),
                new DriveRetryHandler(Clock, Options.RetryBaseDelay, Options.RetryMaxDelay, Pacer, Options.AdminEmail ?? DefaultUser, Statistics),
                Options.MaxAttempts),
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
            GZipEnabled = true,
        };
        return new ClassroomService(initializer, Options.BaseUri is null ? null : new Uri(Options.BaseUri, "batch").ToString());
    }

    private GoogleCredential LoadCredential()
    {
        GoogleCredential credential;
        if (Options.Credential is not null)
        {
            credential = Options.Credential;
        }
        else if (!string.IsNullOrWhiteSpace(Options.CredentialsFilePath))
        {
            credential = CredentialFactory.FromFile<ServiceAccountCredential>(Options.CredentialsFilePath).ToGoogleCredential();
        }
        else
        {
            return GoogleCredential.FromAccessToken(Options.AccessToken);
        }

        if (credential.IsCreateScopedRequired)
        {
            credential = credential.CreateScoped(Options.Scopes);
        }

        return !string.IsNullOrWhiteSpace(Options.AdminEmail) && credential.UnderlyingCredential is ServiceAccountCredential
            ? credential.CreateWithUser(Options.AdminEmail)
            : credential;
    }

    /// <summary>Credential first (auth header, 401 refresh), then the retry policy and pacing, and the attempt count.</summary>
    private sealed class Pipeline(GoogleCredential credential, DriveRetryHandler retry, int maxAttempts) : IConfigurableHttpClientInitializer
    {
        public void Initialize(ConfigurableHttpClient httpClient)
        {
            ((IConfigurableHttpClientInitializer)credential).Initialize(httpClient);
            httpClient.MessageHandler.AddExecuteInterceptor(retry);
            httpClient.MessageHandler.AddUnsuccessfulResponseHandler(retry);
            httpClient.MessageHandler.AddExceptionHandler(retry);
            httpClient.MessageHandler.NumTries = maxAttempts;
        }
    }
}
