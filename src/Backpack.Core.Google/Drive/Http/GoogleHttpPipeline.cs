using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;

namespace Backpack.Core.Google.Drive.Http;

/// <summary>
/// What the Drive and Classroom clients share on the wire: the credential (loaded the same way for both),
/// then the retry policy and pacing, then the attempt count.
/// </summary>
internal sealed class GoogleHttpPipeline(GoogleCredential credential, DriveRetryHandler retry, int maxAttempts) : IConfigurableHttpClientInitializer
{
    /// <summary>
    /// The credential: the one given, else a service-account file, else a fixed access token (the emulator);
    /// scoped to <paramref name="scopes"/>; a service account acts as <paramref name="adminEmail"/> when given.
    /// </summary>
    public static GoogleCredential LoadCredential(GoogleCredential? given, string? credentialsFilePath, string? accessToken, IEnumerable<string> scopes, string? adminEmail)
    {
        GoogleCredential credential;
        if (given is not null)
        {
            credential = given;
        }
        else if (!string.IsNullOrWhiteSpace(credentialsFilePath))
        {
            credential = CredentialFactory.FromFile<ServiceAccountCredential>(credentialsFilePath).ToGoogleCredential();
        }
        else
        {
            return GoogleCredential.FromAccessToken(accessToken);
        }

        if (credential.IsCreateScopedRequired)
        {
            credential = credential.CreateScoped(scopes);
        }

        return !string.IsNullOrWhiteSpace(adminEmail) && credential.UnderlyingCredential is ServiceAccountCredential
            ? credential.CreateWithUser(adminEmail)
            : credential;
    }

    /// <summary>Credential first (auth header, 401 refresh), then the retry policy and pacing, and the attempt count.</summary>
    public void Initialize(ConfigurableHttpClient httpClient)
    {
        ((IConfigurableHttpClientInitializer)credential).Initialize(httpClient);
        httpClient.MessageHandler.AddExecuteInterceptor(retry);
        httpClient.MessageHandler.AddUnsuccessfulResponseHandler(retry);
        httpClient.MessageHandler.AddExceptionHandler(retry);
        httpClient.MessageHandler.NumTries = maxAttempts;
    }
}
