using System.Net;
using System.Text;
using Google;
using Google.Apis.Requests;
using Google.Apis.Upload;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class GoogleApisPipelineTests
{
    [Fact]
    public async Task FilesCreate_ThroughGoogleApisWithGzip_CreatesFile()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var service = TestDriveService.For(emu);
        Assert.True(service.GZipEnabled);

        var created = await new FilesCreateRequest(service, new DriveFileDto
        {
            Name = "Portfolio",
            MimeType = "application/vnd.google-apps.folder",
            AppProperties = new Dictionary<string, string> { ["backpackId"] = "b-1" },
        })
        { Fields = "id,name,mimeType,appProperties,parents" }.ExecuteAsync();

        Assert.NotNull(created.Id);
        Assert.Equal("Portfolio", created.Name);
        Assert.Equal("b-1", created.AppProperties!["backpackId"]);
        Assert.Equal(emu.DriveRootFolderId, Assert.Single(created.Parents!));
        Assert.Equal(1, emu.GetStatistics().CallsOf("drive.files.create"));
    }

    [Fact]
    public async Task FilesList_ThroughGoogleApis_PagesWithQuery()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var service = TestDriveService.For(emu);
        var folder = await new FilesCreateRequest(service, new DriveFileDto { Name = "F", MimeType = "application/vnd.google-apps.folder" }).ExecuteAsync();
        for (var i = 0; i < 5; i++)
        {
            await new FilesCreateRequest(service, new DriveFileDto { Name = $"n{i}", MimeType = "text/plain", Parents = [folder.Id!] }).ExecuteAsync();
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await new FilesListRequest(service) { Q = $"'{folder.Id}' in parents and trashed = false", PageSize = 2, PageToken = token, Fields = "nextPageToken,files(id,name)" }.ExecuteAsync();
            names.AddRange(page.Files!.Select(f => f.Name!));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["n0", "n1", "n2", "n3", "n4"], names);
    }

    [Fact]
    public async Task FilesList_InvalidQuery_SurfacesGoogleApiExceptionWithReason()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var service = TestDriveService.For(emu);
        var ex = await Assert.ThrowsAsync<GoogleApiException>(() => new FilesListRequest(service) { Q = "name = " }.ExecuteAsync());
        Assert.Equal(HttpStatusCode.BadRequest, ex.HttpStatusCode);
        Assert.Equal("invalid", ex.Error.Errors[0].Reason);
        Assert.Equal("q", ex.Error.Errors[0].Location);
    }

    [Fact]
    public async Task Batch_ThroughGoogleApis_CountsOneHttpRequestAndEachMethodCall()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var service = TestDriveService.For(emu);
        var batch = new BatchRequest(service, emu.DriveBatchUri.ToString());
        var results = new List<DriveFileDto?>();
        var errors = new List<RequestError?>();
        for (var i = 0; i < 3; i++)
        {
            batch.Queue<DriveFileDto>(new FilesCreateRequest(service, new DriveFileDto { Name = $"b{i}", MimeType = "text/plain" }) { Fields = "id,name" }, (content, error, index, message) =>
            {
                results.Add(content);
                errors.Add(error);
            });
        }

        batch.Queue<DriveFileDto>(new FilesCreateRequest(service, new DriveFileDto { Name = "bad", Parents = ["missing"] }), (content, error, index, message) =>
        {
            results.Add(content);
            errors.Add(error);
        });
        await batch.ExecuteAsync();

        Assert.Equal(["b0", "b1", "b2"], results.Take(3).Select(r => r!.Name!));
        Assert.All(errors.Take(3), Assert.Null);
        Assert.Null(results[3]);
        Assert.Equal(404, errors[3]!.Code);
        Assert.Equal("notFound", errors[3]!.Errors[0].Reason);

        var stats = emu.GetStatistics();
        Assert.Equal(1, stats.HttpRequests);
        Assert.Equal(4, stats.CallsOf("drive.files.create"));
        Assert.Equal(3, emu.DriveFileCount);
    }

    [Fact]
    public async Task ResumableUpload_ThroughGoogleApisInChunks_CreatesFileWithContent()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var service = TestDriveService.For(emu);
        var content = new byte[(ResumableUpload.MinimumChunkSize * 2) + 1234];
        new Random(7).NextBytes(content);
        using var stream = new MemoryStream(content);
        var upload = new FilesCreateMediaUpload(service, new DriveFileDto { Name = "video.bin" }, stream, "application/octet-stream")
        {
            ChunkSize = ResumableUpload.MinimumChunkSize,
            Fields = "id,name,size,mimeType",
        };

        var progress = await upload.UploadAsync();

        Assert.Null(progress.Exception);
        Assert.Equal(UploadStatus.Completed, progress.Status);
        var file = upload.ResponseBody;
        Assert.Equal("video.bin", file.Name);
        Assert.Equal(content.Length, file.Size);
        Assert.Equal(content, emu.GetDriveFileContent(file.Id!));
        Assert.Equal(1, emu.GetStatistics().CallsOf("drive.files.create"));
    }

    [Fact]
    public async Task Create_GzipBodyOverPlainHttp_IsDecompressed()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("{\"name\":\"zipped\",\"mimeType\":\"text/plain\"}"));
        }

        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await http.Client.PostAsync("drive/v3/files", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"zipped\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
