using System.Net;
using System.Security.Cryptography;
using System.Text;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Drive.Http;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Microsoft.Extensions.Options;

namespace Backpack.Core.Google.Tests;

/// <summary>Google sign-in failures (a refusing token endpoint, a bad key file) arrive as <see cref="BackpackGoogleException"/>, never raw.</summary>
public sealed class GoogleAuthErrorTests : IDisposable
{
    private const string SecretMarker = "NOT-A-REAL-KEY-0123456789";
    private readonly string directory = Directory.CreateTempSubdirectory("backpack-auth-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "invalid_grant", false)]
    [InlineData(HttpStatusCode.Unauthorized, "unauthorized_client", false)]
    [InlineData(HttpStatusCode.InternalServerError, "internal_failure", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", true)]
    public async Task DriveClient_TokenEndpointRefuses_ThrowsBackpackGoogleExceptionWithTransience(HttpStatusCode status, string error, bool transient)
    {
        using var connections = new DriveConnections(Options.Create(DriveOptions(o => o.Credential = RefusedCredential(status, error))), TimeProvider.System);
        using var client = new DriveClient(connections, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<BackpackGoogleException>(() => client.GetAsync(DriveConnections.DefaultUser, "file-1", CancellationToken.None));

        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(error, ex.Reason);
        Assert.Equal("google." + error, ex.ErrorCode);
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("someone@", ex.Message, StringComparison.Ordinal);
        Assert.IsType<global::Google.Apis.Auth.OAuth2.Responses.TokenResponseException>(ex.InnerException);
    }

    [Fact]
    public async Task ClassroomClient_TokenEndpointRefusesInvalidGrant_ThrowsPermanentBackpackGoogleException()
    {
        var options = ClassroomOptions(o => o.Credential = RefusedCredential(HttpStatusCode.BadRequest, "invalid_grant"));
        using var connection = new ClassroomConnection(Options.Create(options), TimeProvider.System);
        var client = new ClassroomClient(connection, 100);

        var ex = await Assert.ThrowsAsync<BackpackGoogleException>(() => client.ListCoursesAsync(CancellationToken.None));

        Assert.False(ex.IsTransient);
        Assert.Equal("invalid_grant", ex.Reason);
        Assert.StartsWith("Classroom courses.list could not sign in to Google", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriveClient_CredentialsFileMissing_ThrowsPermanentBackpackGoogleExceptionNamingTheSetting()
    {
        var path = Path.Combine(directory, "missing.json");
        using var connections = new DriveConnections(Options.Create(DriveOptions(o => o.CredentialsFilePath = path)), TimeProvider.System);
        using var client = new DriveClient(connections, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<BackpackGoogleException>(() => client.GetAsync("teacher@district.example", "file-1", CancellationToken.None));
        var again = await Assert.ThrowsAsync<BackpackGoogleException>(() => client.GetAsync("teacher@district.example", "file-1", CancellationToken.None));

        Assert.False(ex.IsTransient);
        Assert.Equal("google.credentials", ex.ErrorCode);
        Assert.Contains("GoogleDrive:CredentialsFilePath", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
        Assert.Equal(ex.Message, again.Message);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("bad-key")]
    public async Task DriveClient_CredentialsFileInvalid_MessageNamesTheSettingNeverTheKey(string content)
    {
        var path = Path.Combine(directory, "key.json");
        await File.WriteAllTextAsync(path, content == "garbage"
            ? $"{{ \"type\": \"service_account\", \"private_key\": {SecretMarker} }}"
            : $"{{ \"type\": \"service_account\", \"client_email\": \"backpack@project.iam.gserviceaccount.com\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{SecretMarker}\\n-----END PRIVATE KEY-----\\n\" }}");
        using var connections = new DriveConnections(Options.Create(DriveOptions(o => o.CredentialsFilePath = path)), TimeProvider.System);
        using var client = new DriveClient(connections, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<BackpackGoogleException>(() => client.FindAsync("teacher@district.example", [new("backpack", "root")], CancellationToken.None));

        Assert.False(ex.IsTransient);
        Assert.Equal("google.credentials", ex.ErrorCode);
        Assert.Contains("GoogleDrive:CredentialsFilePath", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretMarker, ex.ToString(), StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public async Task ClassroomClient_CredentialsFileInvalid_ThrowsPermanentBackpackGoogleExceptionNamingTheSetting()
    {
        var path = Path.Combine(directory, "classroom.json");
        await File.WriteAllTextAsync(path, $"{{ \"private_key\": \"{SecretMarker}\" ");
        using var connection = new ClassroomConnection(Options.Create(ClassroomOptions(o => o.CredentialsFilePath = path)), TimeProvider.System);
        var client = new ClassroomClient(connection, 100);

        var ex = await Assert.ThrowsAsync<BackpackGoogleException>(() => client.ListCoursesAsync(CancellationToken.None));

        Assert.False(ex.IsTransient);
        Assert.Contains("GoogleClassroom:CredentialsFilePath", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretMarker, ex.ToString(), StringComparison.Ordinal);
    }

    private static GoogleDriveOptions DriveOptions(Action<GoogleDriveOptions> configure)
    {
        var o = new GoogleDriveOptions
        {
            BaseUri = new Uri("http://127.0.0.1:9/drive/v3/"),
            BatchUri = new Uri("http://127.0.0.1:9/batch/drive/v3"),
            MaxAttempts = 1,
            PerUserQueriesPerMinute = null,
            PerProjectQueriesPerMinute = null,
        };
        configure(o);
        return o;
    }

    private static GoogleClassroomOptions ClassroomOptions(Action<GoogleClassroomOptions> configure)
    {
        var o = new GoogleClassroomOptions
        {
            BaseUri = new Uri("http://127.0.0.1:9/"),
            MaxAttempts = 1,
            PerUserQueriesPerMinute = null,
            PerClientQueriesPerMinute = null,
        };
        configure(o);
        return o;
    }

    /// <summary>A service-account credential whose token endpoint answers every request with <paramref name="status"/> and an OAuth error.</summary>
    private static GoogleCredential RefusedCredential(HttpStatusCode status, string error)
    {
        using var rsa = RSA.Create(2048);
        var initializer = new ServiceAccountCredential.Initializer("backpack@project.iam.gserviceaccount.com", "https://oauth2.test.invalid/token")
        {
            HttpClientFactory = new RefusingTokenEndpoint(status, error),
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
            Scopes = [GoogleDriveOptions.DriveFileScope],
        }.FromPrivateKey(rsa.ExportPkcs8PrivateKeyPem());
        return GoogleCredential.FromServiceAccountCredential(new ServiceAccountCredential(initializer));
    }

    private sealed class RefusingTokenEndpoint(HttpStatusCode status, string error) : HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => new Handler(status, error);

        private sealed class Handler(HttpStatusCode status, string error) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(new HttpResponseMessage(status)
                {
                    Content = new StringContent($"{{\"error\":\"{error}\",\"error_description\":\"A description that may name someone@district.example\"}}", Encoding.UTF8, "application/json"),
                });
        }
    }
}
