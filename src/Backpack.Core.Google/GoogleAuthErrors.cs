using System.Globalization;
using System.Security.Cryptography;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace Backpack.Core.Google;

/// <summary>
/// Turns the failures of Google sign-in into <see cref="BackpackGoogleException"/>: a token endpoint that refuses
/// (<see cref="TokenResponseException"/>) and a credential that cannot be loaded (a missing, unreadable or invalid
/// service-account key file). Messages name the setting and the OAuth error code, never key contents or Google's
/// free-text error description.
/// </summary>
internal static class GoogleAuthErrors
{
    /// <summary>OAuth 2.0 error codes (RFC 6749 5.2) that mean "try again later".</summary>
    private static readonly HashSet<string> TransientErrors = new(StringComparer.Ordinal) { "server_error", "temporarily_unavailable", "internal_failure" };

    /// <summary>
    /// A refused token request. <c>invalid_grant</c>, <c>invalid_client</c>, <c>unauthorized_client</c> and the
    /// like are permanent (a revoked key, a missing domain-wide delegation, a wrong scope); a 5xx, 408 or 429 from
    /// the token endpoint, or <c>server_error</c>/<c>temporarily_unavailable</c>, is transient.
    /// </summary>
    public static BackpackGoogleException FromTokenResponse(TokenResponseException ex, string what)
    {
        var code = string.IsNullOrWhiteSpace(ex.Error?.Error) ? null : ex.Error.Error;
        var status = ex.StatusCode;
        var transient = (status is { } s && (int)s is >= 500 or 408 or 429) || (code is not null && TransientErrors.Contains(code));
        var statusText = status is { } st ? string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)st}") : "no HTTP status";
        var advice = transient
            ? "retrying later can help"
            : "check that the service account's key is valid, that it has domain-wide delegation for the scopes, and that the user it acts as exists";
        return new BackpackGoogleException(
            $"{what} could not sign in to Google: the token endpoint refused ({statusText}, error '{code ?? "unknown"}'); {advice}.",
            null,
            status,
            code,
            transient,
            ex)
        {
            Code = code is null ? "google.auth" : null,
        };
    }

    /// <summary>
    /// Loads the credential, turning every failure into a permanent <see cref="BackpackGoogleException"/> that names
    /// <paramref name="settings"/> (e.g. <c>GoogleDrive</c>) and the file setting. File-system errors keep their
    /// exception as the cause (their messages name only the path); parse and key errors do not, since their messages
    /// may quote the file.
    /// </summary>
    public static GoogleCredential Load(Func<GoogleCredential> load, string settings, bool fromFile)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not BackpackGoogleException)
        {
            var setting = fromFile ? $"{settings}:CredentialsFilePath" : $"{settings}:Credential";
            var (problem, keepCause) = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => ("the file does not exist", true),
                UnauthorizedAccessException or IOException => ("the file cannot be read", true),
                CryptographicException => ("its private key is not a valid RSA key", false),
                _ => ("it is not a valid service-account key (JSON)", false),
            };
            throw new BackpackGoogleException(
                $"The Google credential named by {setting} could not be loaded: {problem} ({ex.GetType().Name}). Fix the setting or the file; retrying will not help.",
                null,
                null,
                null,
                isTransient: false,
                keepCause ? ex : null)
            {
                Code = "google.credentials",
            };
        }
    }
}
