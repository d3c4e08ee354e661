using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using global::Google.Apis.Upload;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>
/// Uploads: new content for an existing file through <c>PATCH /upload/drive/v3/files/{fileId}</c> (media, multipart,
/// resumable); the stored mimeType (the metadata's, else the media Content-Type, else application/octet-stream);
/// <c>size</c> and <c>md5Checksum</c> of binary content.
/// </summary>
public sealed class UploadTests
{
    private const string Fields = "id,name,mimeType,size,md5Checksum,headRevisionId,version";

    private static async Task<string> UploadAsync(HttpClient client, byte[] content, string contentType = "text/plain")
    {
        var created = (await Raw.Multipart(client, HttpMethod.Post, "upload/drive/v3/files?uploadType=multipart", new JsonObject { ["name"] = "doc.txt" }, content, contentType)).Ok();
        return created.Json["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task UpdateContent_SimpleMedia_ReplacesContentKeepsIdAndName()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await UploadAsync(http.Client, Encoding.UTF8.GetBytes("first"));
        var before = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields={Fields}")).Ok().Json;
        var second = Encoding.UTF8.GetBytes("second version");

        var reply = (await Raw.Media(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{id}?uploadType=media&fields={Fields}", second, "text/plain")).Ok().Json;

        Assert.Equal(id, reply["id"]!.GetValue<string>());
        Assert.Equal("doc.txt", reply["name"]!.GetValue<string>());
        Assert.Equal(second.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), reply["size"]!.GetValue<string>());
        Assert.Equal(Raw.Md5Hex(second), reply["md5Checksum"]!.GetValue<string>());
        Assert.NotEqual(before["headRevisionId"]!.GetValue<string>(), reply["headRevisionId"]!.GetValue<string>());
        Assert.Equal(second, (await Raw.Get(http.Client, $"drive/v3/files/{id}?alt=media")).Body);
        Assert.Equal(1, emu.DriveFileCount);
    }

    [Fact]
    public async Task UpdateContent_Multipart_AppliesMetadataAndContentTogether()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await UploadAsync(http.Client, Encoding.UTF8.GetBytes("a,b"));
        var folder = await http.CreateFolder("Backpack");
        var csv = Encoding.UTF8.GetBytes("a,b\n1,2\n");

        var reply = (await Raw.Multipart(
            http.Client,
            HttpMethod.Patch,
            $"upload/drive/v3/files/{id}?uploadType=multipart&addParents={folder}&removeParents=root&fields={Fields},parents,appProperties",
            new JsonObject { ["name"] = "table.csv", ["appProperties"] = new JsonObject { ["kind"] = "table" } },
            csv,
            "text/csv")).Ok().Json;

        Assert.Equal("table.csv", reply["name"]!.GetValue<string>());
        Assert.Equal("text/csv", reply["mimeType"]!.GetValue<string>());
        Assert.Equal([folder], reply["parents"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("table", reply["appProperties"]!["kind"]!.GetValue<string>());
        Assert.Equal(Raw.Md5Hex(csv), reply["md5Checksum"]!.GetValue<string>());
        Assert.Equal(csv, emu.GetDriveFileContent(id));
    }

    [Fact]
    public async Task UpdateContent_ResumableRawProtocol_UpdatesTheSameFile()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await UploadAsync(http.Client, [1]);
        var content = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var reply = (await Raw.Resumable(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{id}?uploadType=resumable&fields={Fields}", [], content, "application/zip")).Ok().Json;

        Assert.Equal(id, reply["id"]!.GetValue<string>());
        Assert.Equal("application/zip", reply["mimeType"]!.GetValue<string>());
        Assert.Equal("1000", reply["size"]!.GetValue<string>());
        Assert.Equal(content, emu.GetDriveFileContent(id));
        Assert.Equal(["drive.files.create", "drive.files.update", "drive.files.update"], emu.GetRequests().Select(r => r.MethodId));
    }

    [Fact]
    public async Task UpdateContent_ResumableThroughGoogleApisInChunks_UpdatesTheSameFile()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await UploadAsync(http.Client, [1, 2, 3]);
        using var service = TestDriveService.For(emu);
        var content = new byte[(ResumableUpload.MinimumChunkSize * 2) + 17];
        new Random(3).NextBytes(content);
        using var stream = new MemoryStream(content);
        var upload = new FilesUpdateMediaUpload(service, new DriveFileDto { Name = "big.bin" }, id, stream, "application/octet-stream")
        {
            ChunkSize = ResumableUpload.MinimumChunkSize,
            Fields = "id,name,size,mimeType",
        };

        var progress = await upload.UploadAsync();

        Assert.Null(progress.Exception);
        Assert.Equal(UploadStatus.Completed, progress.Status);
        Assert.Equal(id, upload.ResponseBody.Id);
        Assert.Equal("big.bin", upload.ResponseBody.Name);
        Assert.Equal(content.Length, upload.ResponseBody.Size);
        Assert.Equal(content, emu.GetDriveFileContent(id));
        Assert.Equal(1, emu.DriveFileCount);
    }

    [Fact]
    public async Task UpdateContent_OfAFolderOrAMissingFile_IsRejectedAndChangesNothing()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var folder = await http.CreateFolder("F");

        var onFolder = await Raw.Media(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{folder}?uploadType=media", [1], "text/plain");
        var missing = await Raw.Media(http.Client, HttpMethod.Patch, "upload/drive/v3/files/nope?uploadType=media", [1], "text/plain");
        var noType = await Raw.Media(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{folder}", [1], "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, onFolder.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noType.Status);
        Assert.True(emu.GetDriveFiles().Single().IsFolder);
        Assert.Null(emu.GetDriveFiles().Single().Size);
    }

    public static TheoryData<string, string?, string?, string> MimeCases() => new()
    {
        // kind, metadata mimeType, media Content-Type, stored mimeType
        { "media", null, "image/png", "image/png" },
        { "media", null, "text/csv; charset=UTF-8", "text/csv" },
        { "media", null, null, "application/octet-stream" },
        { "multipart", "application/pdf", "text/plain", "application/pdf" },
        { "multipart", null, "text/html", "text/html" },
        { "multipart", null, null, "application/octet-stream" },
        { "resumable", "audio/mpeg", "video/mp4", "audio/mpeg" },
        { "resumable", null, "video/mp4", "video/mp4" },
        { "resumable", null, null, "application/octet-stream" },
    };

    [Theory]
    [MemberData(nameof(MimeCases))]
    public async Task Create_Upload_StoresMetadataMimeTypeElseMediaTypeElseOctetStream(string kind, string? metadataType, string? mediaType, string stored)
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var metadata = new JsonObject { ["name"] = "upload" };
        if (metadataType is not null)
        {
            metadata["mimeType"] = metadataType;
        }

        byte[] content = [1, 2, 3];
        var reply = kind switch
        {
            "media" => await Raw.Media(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=media&fields=mimeType", content, mediaType),
            "multipart" => await Raw.Multipart(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=multipart&fields=mimeType", metadata, content, mediaType),
            _ => await Raw.Resumable(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=resumable&fields=mimeType", metadata, content, mediaType),
        };

        Assert.Equal(stored, reply.Ok().Json["mimeType"]!.GetValue<string>());
        Assert.Equal(stored, emu.GetDriveFiles().Single().MimeType);
    }

    [Fact]
    public async Task UpdateContent_WithoutAnyType_KeepsTheStoredMimeType()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await UploadAsync(http.Client, [1], "image/png");

        var reply = (await Raw.Media(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{id}?uploadType=media&fields=mimeType", [2], null)).Ok().Json;

        Assert.Equal("image/png", reply["mimeType"]!.GetValue<string>());
    }

    [Fact]
    public async Task SizeAndChecksums_BinaryEmptyAndFolder_ReportedAsDriveDoes()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var bytes = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog");
        var binary = await UploadAsync(http.Client, bytes);
        var empty = await http.CreateFile("empty.txt");
        var folder = await http.CreateFolder("F");
        const string F = "size,md5Checksum,sha1Checksum,sha256Checksum,quotaBytesUsed";

        var b = (await Raw.Get(http.Client, $"drive/v3/files/{binary}?fields={F}")).Ok().Json;
        var e = (await Raw.Get(http.Client, $"drive/v3/files/{empty}?fields={F}")).Ok().Json;
        var f = (await Raw.Get(http.Client, $"drive/v3/files/{folder}?fields={F}")).Ok().Json;

        Assert.Equal("43", b["size"]!.GetValue<string>());
        Assert.Equal("9e107d9d372bb6826bd81d3542a419d6", b["md5Checksum"]!.GetValue<string>());
        Assert.Equal("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", b["sha1Checksum"]!.GetValue<string>());
        Assert.Equal("d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592", b["sha256Checksum"]!.GetValue<string>());
        Assert.Equal("0", e["size"]!.GetValue<string>());
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", e["md5Checksum"]!.GetValue<string>());
        Assert.Null(f["size"]);
        Assert.Null(f["md5Checksum"]);
        Assert.Equal("0", f["quotaBytesUsed"]!.GetValue<string>());
    }
}
