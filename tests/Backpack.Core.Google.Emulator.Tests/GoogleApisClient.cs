using global::Google.Apis.Discovery;
using global::Google.Apis.Requests;
using global::Google.Apis.Services;
using global::Google.Apis.Upload;
using global::Google.Apis.Util;
using Newtonsoft.Json;

namespace Backpack.Core.Google.Emulator.Tests;

// A minimal hand-written Drive v3 client on Google.Apis core, built the way the generated packages are, so the
// real Google.Apis pipeline (gzip, error parsing, batch, resumable upload) runs against the emulator.

internal sealed class TestDriveService : BaseClientService
{
    public TestDriveService(Initializer initializer)
        : base(initializer)
    {
    }

    public override string Name => "drive";

    public override string BaseUri => BaseUriOverride ?? "https://www.googleapis.com/drive/v3/";

    public override string BasePath => "drive/v3/";

    public override string BatchUri => "https://www.googleapis.com/batch/drive/v3";

    public override string BatchPath => "batch/drive/v3";

    public override IList<string> Features => [];

    /// <summary>An initializer pointing at the emulator with a fixed bearer token.</summary>
    public static TestDriveService For(GoogleEmulator emulator, string token = "pipeline-token") => new(new Initializer
    {
        BaseUri = emulator.DriveBaseUri.ToString(),
        ApplicationName = "Backpack.Core.Google.Emulator.Tests",
        HttpClientInitializer = new BearerToken(token),
    });
}

internal sealed class BearerToken(string token) : global::Google.Apis.Http.IConfigurableHttpClientInitializer, global::Google.Apis.Http.IHttpExecuteInterceptor
{
    public void Initialize(global::Google.Apis.Http.ConfigurableHttpClient httpClient) => httpClient.MessageHandler.AddExecuteInterceptor(this);

    public Task InterceptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return Task.CompletedTask;
    }
}

internal sealed class DriveFileDto : global::Google.Apis.Requests.IDirectResponseSchema
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("name")]
    public string? Name { get; set; }

    [JsonProperty("mimeType")]
    public string? MimeType { get; set; }

    [JsonProperty("parents")]
    public IList<string>? Parents { get; set; }

    [JsonProperty("appProperties")]
    public IDictionary<string, string>? AppProperties { get; set; }

    [JsonProperty("size")]
    public long? Size { get; set; }

    [JsonProperty("trashed")]
    public bool? Trashed { get; set; }

    public string? ETag { get; set; }
}

internal sealed class DriveFileListDto : global::Google.Apis.Requests.IDirectResponseSchema
{
    [JsonProperty("files")]
    public IList<DriveFileDto>? Files { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    public string? ETag { get; set; }
}

internal sealed class FilesCreateRequest : ClientServiceRequest<DriveFileDto>
{
    private readonly DriveFileDto body;

    public FilesCreateRequest(IClientService service, DriveFileDto body)
        : base(service)
    {
        this.body = body;
        InitParameters();
    }

    [RequestParameter("fields", RequestParameterType.Query)]
    public string? Fields { get; set; }

    public override string MethodName => "create";

    public override string HttpMethod => "POST";

    public override string RestPath => "files";

    protected override object GetBody() => body;

    protected override void InitParameters()
    {
        base.InitParameters();
        RequestParameters.Add("fields", new Parameter { Name = "fields", IsRequired = false, ParameterType = "query" });
    }
}

internal sealed class FilesListRequest : ClientServiceRequest<DriveFileListDto>
{
    public FilesListRequest(IClientService service)
        : base(service) => InitParameters();

    [RequestParameter("q", RequestParameterType.Query)]
    public string? Q { get; set; }

    [RequestParameter("pageSize", RequestParameterType.Query)]
    public int? PageSize { get; set; }

    [RequestParameter("pageToken", RequestParameterType.Query)]
    public string? PageToken { get; set; }

    [RequestParameter("fields", RequestParameterType.Query)]
    public string? Fields { get; set; }

    public override string MethodName => "list";

    public override string HttpMethod => "GET";

    public override string RestPath => "files";

    protected override void InitParameters()
    {
        base.InitParameters();
        foreach (var name in new[] { "q", "pageSize", "pageToken", "fields" })
        {
            RequestParameters.Add(name, new Parameter { Name = name, IsRequired = false, ParameterType = "query" });
        }
    }
}

internal sealed class FilesCreateMediaUpload : ResumableUpload<DriveFileDto, DriveFileDto>
{
    public FilesCreateMediaUpload(IClientService service, DriveFileDto body, Stream stream, string contentType)
        : base(service, "/upload/" + service.BasePath + "files", "POST", stream, contentType) => Body = body;

    [RequestParameter("fields", RequestParameterType.Query)]
    public string? Fields { get; set; }
}

internal sealed class FilesUpdateMediaUpload : ResumableUpload<DriveFileDto, DriveFileDto>
{
    public FilesUpdateMediaUpload(IClientService service, DriveFileDto body, string fileId, Stream stream, string contentType)
        : base(service, "/upload/" + service.BasePath + "files/{fileId}", "PATCH", stream, contentType)
    {
        FileId = fileId;
        Body = body;
    }

    [RequestParameter("fileId", RequestParameterType.Path)]
    public string FileId { get; private set; }

    [RequestParameter("fields", RequestParameterType.Query)]
    public string? Fields { get; set; }
}
