using Backpack.Core.Google.Classroom.Api;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Google.Apis.Services;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Classroom;

/// <summary>
/// The one <see cref="ClassroomService"/> the sync uses, acting as the configured user (a Classroom administrator):
/// the credential, then the shared retry policy and pacing under Classroom's per-client and per-user quotas.
/// </summary>
internal sealed class ClassroomConnection : IDisposable
{
    private readonly Lazy<ClassroomService> service;

    public ClassroomConnection(IOptions<GoogleClassroomOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        Clock = clock;
        service = new Lazy<ClassroomService>(Create);
    }

    public GoogleClassroomOptions Options { get; }

    public TimeProvider Clock { get; }

    public ClassroomService Service => service.Value;

    public void Dispose()
    {
        if (service.IsValueCreated)
        {
            service.Value.Dispose();
        }
    }

    private ClassroomService Create()
    {
        var initializer = new BaseClientService.Initializer
        {
            ApplicationName = Options.ApplicationName,
            BaseUri = Options.BaseUri?.ToString(),
            HttpClientInitializer = new Pipeline(LoadCredential(), Options.MaxAttempts),
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

    private sealed class Pipeline(GoogleCredential credential, int maxAttempts) : IConfigurableHttpClientInitializer
    {
        public void Initialize(ConfigurableHttpClient httpClient)
        {
            ((IConfigurableHttpClientInitializer)credential).Initialize(httpClient);
            httpClient.MessageHandler.NumTries = maxAttempts;
        }
    }
}
