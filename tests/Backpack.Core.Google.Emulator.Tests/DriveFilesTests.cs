using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class DriveFilesTests
{
    private const string Folder = "application/vnd.google-apps.folder";

    [Fact]
    public async Task Get_WithoutFields_ReturnsDriveDefaultPartialResource()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await http.CreateFile("a.txt");
        var reply = await http.Get($"drive/v3/files/{id}");
        Assert.Equal(["kind", "id", "name", "mimeType"], reply.Json.Select(kv => kv.Key));
        var full = await http.Get($"drive/v3/files/{id}?fields=*");
        Assert.NotNull(full.Json["parents"]);
        Assert.NotNull(full.Json["createdTime"]);
    }

    [Fact]
    public async Task Create_WithGeneratedId_UsesItAndDuplicateReturns409()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var ids = await http.Get("drive/v3/files/generateIds?count=3&space=drive&type=files");
        ids.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("drive#generatedIds", ids.Json["kind"]!.GetValue<string>());
        var id = ids.Json["ids"]![0]!.GetValue<string>();
        Assert.Equal(3, ids.Json["ids"]!.AsArray().Count);

        var first = await http.Post("drive/v3/files", new JsonObject { ["id"] = id, ["name"] = "x" });
        first.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(id, first.Json["id"]!.GetValue<string>());

        var again = await http.Post("drive/v3/files", new JsonObject { ["id"] = id, ["name"] = "x" });
        again.AssertStatus(HttpStatusCode.Conflict);
        Assert.Equal("duplicate", again.Reason);
        Assert.Equal(1, emu.DriveFileCount);
    }

    [Theory]
    [InlineData("count=0&space=drive")]
    [InlineData("count=1001")]
    [InlineData("space=photos")]
    [InlineData("type=shortcuts&space=appDataFolder")]
    public async Task GenerateIds_InvalidParameters_Returns400(string query)
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        (await http.Get("drive/v3/files/generateIds?" + query)).AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_WithIdNotGenerated_Returns400()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var reply = await http.Post("drive/v3/files", new JsonObject { ["id"] = "made-up", ["name"] = "x" });
        reply.AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_WithTwoParents_Returns400AndCreatesNothing()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var a = await http.CreateFolder("a");
        var b = await http.CreateFolder("b");
        var reply = await http.Post("drive/v3/files", new JsonObject { ["name"] = "x", ["parents"] = new JsonArray(a, b) });
        reply.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal(2, emu.DriveFileCount);
    }

    [Fact]
    public async Task Create_InMissingOrNonFolderParent_IsRejected()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var file = await http.CreateFile("f");
        (await http.Post("drive/v3/files", new JsonObject { ["name"] = "x", ["parents"] = new JsonArray("missing") })).AssertStatus(HttpStatusCode.NotFound);
        (await http.Post("drive/v3/files", new JsonObject { ["name"] = "x", ["parents"] = new JsonArray(file) })).AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Shortcut_Create_CarriesTargetDetails()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var target = await http.CreateFile("essay.pdf", extra: new JsonObject { ["mimeType"] = "application/pdf" });
        var reply = await http.Post("drive/v3/files?fields=id,mimeType,shortcutDetails", new JsonObject
        {
            ["name"] = "essay",
            ["mimeType"] = "application/vnd.google-apps.shortcut",
            ["shortcutDetails"] = new JsonObject { ["targetId"] = target },
        });
        reply.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(target, reply.Json["shortcutDetails"]!["targetId"]!.GetValue<string>());
        Assert.Equal("application/pdf", reply.Json["shortcutDetails"]!["targetMimeType"]!.GetValue<string>());

        var missing = await http.Post("drive/v3/files", new JsonObject { ["name"] = "s", ["mimeType"] = "application/vnd.google-apps.shortcut" });
        missing.AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Update_AddAndRemoveParents_MovesFile()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var a = await http.CreateFolder("a");
        var b = await http.CreateFolder("b");
        var f = await http.CreateFile("f", a);

        var moved = await http.Patch($"drive/v3/files/{f}?addParents={b}&removeParents={a}&fields=parents", new JsonObject());
        moved.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(b, moved.Json["parents"]![0]!.GetValue<string>());

        var twoParents = await http.Patch($"drive/v3/files/{f}?addParents={a}", new JsonObject());
        twoParents.AssertStatus(HttpStatusCode.BadRequest);

        var bodyParents = await http.Patch($"drive/v3/files/{f}", new JsonObject { ["parents"] = new JsonArray(a) });
        bodyParents.AssertStatus(HttpStatusCode.Forbidden);
        Assert.Equal("fieldNotWritable", bodyParents.Reason);

        var cycle = await http.Patch($"drive/v3/files/{a}?addParents={a}&removeParents=root", new JsonObject());
        cycle.AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Update_AppPropertiesWithNull_MergesAndDeletesKeys()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var f = await http.CreateFile("f", extra: new JsonObject { ["appProperties"] = new JsonObject { ["a"] = "1", ["b"] = "2" } });
        var reply = await http.Patch($"drive/v3/files/{f}?fields=name,appProperties", new JsonObject
        {
            ["name"] = "renamed",
            ["appProperties"] = new JsonObject { ["a"] = null, ["c"] = "3" },
        });
        reply.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("renamed", reply.Json["name"]!.GetValue<string>());
        var props = reply.Json["appProperties"]!.AsObject();
        Assert.False(props.ContainsKey("a"));
        Assert.Equal("2", props["b"]!.GetValue<string>());
        Assert.Equal("3", props["c"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_TrashFolder_TrashesDescendantsAndRestoreBringsThemBack()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var folder = await http.CreateFolder("a");
        var child = await http.CreateFile("c", folder);

        (await http.Patch($"drive/v3/files/{folder}", new JsonObject { ["trashed"] = true })).AssertStatus(HttpStatusCode.OK);
        var trashedChild = await http.Get($"drive/v3/files/{child}?fields=trashed,explicitlyTrashed");
        Assert.True(trashedChild.Json["trashed"]!.GetValue<bool>());
        Assert.False(trashedChild.Json["explicitlyTrashed"]!.GetValue<bool>());

        var visible = await http.Get($"drive/v3/files?q={Q.Enc("trashed = false")}");
        Assert.Empty(visible.Json["files"]!.AsArray());
        var all = await http.Get("drive/v3/files");
        Assert.Equal(2, all.Json["files"]!.AsArray().Count);

        (await http.Patch($"drive/v3/files/{folder}", new JsonObject { ["trashed"] = false })).AssertStatus(HttpStatusCode.OK);
        var restored = await http.Get($"drive/v3/files/{child}?fields=trashed");
        Assert.False(restored.Json["trashed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Copy_File_CopiesContentAndProperties()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = emu.SeedDriveFile(new JsonObject { ["name"] = "src", ["mimeType"] = "text/plain", ["appProperties"] = new JsonObject { ["k"] = "v" } }, Encoding.UTF8.GetBytes("hello"));
        var copy = await http.Post($"drive/v3/files/{id}/copy?fields=id,name,appProperties,size", new JsonObject { ["name"] = "dst" });
        copy.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("dst", copy.Json["name"]!.GetValue<string>());
        Assert.Equal("v", copy.Json["appProperties"]!["k"]!.GetValue<string>());
        Assert.Equal("hello", Encoding.UTF8.GetString(emu.GetDriveFileContent(copy.Json["id"]!.GetValue<string>())!));

        var folder = await http.CreateFolder("d");
        (await http.Post($"drive/v3/files/{folder}/copy", new JsonObject())).AssertStatus(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Delete_Folder_RemovesDescendants()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var a = await http.CreateFolder("a");
        var b = await http.CreateFolder("b", a);
        await http.CreateFile("c", b);
        await http.CreateFile("outside");
        (await http.Delete($"drive/v3/files/{a}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Equal(1, emu.DriveFileCount);
        (await http.Get($"drive/v3/files/{b}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_Paging_ReturnsEveryFileOnceWithDefaultAndMaximumPageSizes()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        for (var i = 0; i < 250; i++)
        {
            emu.SeedDriveFile(new JsonObject { ["name"] = $"f{i:D3}", ["mimeType"] = "text/plain" });
        }

        using var http = new Http(emu);
        var seen = new HashSet<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var reply = await http.Get("drive/v3/files" + (token is null ? string.Empty : "?pageToken=" + Q.Enc(token)));
            reply.AssertStatus(HttpStatusCode.OK);
            foreach (var f in reply.Json["files"]!.AsArray())
            {
                Assert.True(seen.Add(f!["id"]!.GetValue<string>()));
            }

            token = reply.Json["nextPageToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(250, seen.Count);
        (await http.Get("drive/v3/files?pageSize=1001")).AssertStatus(HttpStatusCode.BadRequest);
        (await http.Get("drive/v3/files?pageSize=0")).AssertStatus(HttpStatusCode.BadRequest);
        (await http.Get("drive/v3/files?pageToken=garbage")).AssertStatus(HttpStatusCode.BadRequest);
        var max = await http.Get("drive/v3/files?pageSize=1000");
        Assert.Equal(250, max.Json["files"]!.AsArray().Count);
        Assert.Null(max.Json["nextPageToken"]);
    }

    [Fact]
    public async Task Upload_MultipartAndMedia_StoreContentAndAltMediaReturnsIt()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        using var multipart = new MultipartContent("related", "b0undary");
        multipart.Add(new StringContent("{\"name\":\"note.txt\",\"appProperties\":{\"k\":\"v\"}}", Encoding.UTF8, "application/json"));
        multipart.Add(new StringContent("note body", Encoding.UTF8, "text/plain"));
        using var response = await http.Client.PostAsync("upload/drive/v3/files?uploadType=multipart&fields=id,name,mimeType,size", multipart);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("note.txt", json["name"]!.GetValue<string>());
        Assert.StartsWith("text/plain", json["mimeType"]!.GetValue<string>(), StringComparison.Ordinal);

        var media = await http.Client.GetAsync($"drive/v3/files/{json["id"]}?alt=media");
        Assert.Equal("note body", await media.Content.ReadAsStringAsync());

        using var raw = new ByteArrayContent([9, 8, 7]);
        raw.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        using var simple = await http.Client.PostAsync("upload/drive/v3/files?uploadType=media&fields=id,mimeType,size", raw);
        var simpleJson = JsonNode.Parse(await simple.Content.ReadAsStringAsync())!;
        Assert.Equal("image/png", simpleJson["mimeType"]!.GetValue<string>());
        Assert.Equal("3", simpleJson["size"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResumableUpload_RawProtocol_Answers308UntilComplete()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        using var start = new HttpRequestMessage(HttpMethod.Post, "upload/drive/v3/files?uploadType=resumable");
        start.Content = new StringContent("{\"name\":\"r.bin\"}", Encoding.UTF8, "application/json");
        start.Headers.Add("X-Upload-Content-Type", "application/octet-stream");
        start.Headers.Add("X-Upload-Content-Length", "10");
        using var started = await http.Client.SendAsync(start);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var session = started.Headers.Location!;
        Assert.Equal(0, emu.DriveFileCount);

        using var first = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([0, 1, 2, 3, 4, 5]) };
        first.Content.Headers.ContentRange = new System.Net.Http.Headers.ContentRangeHeaderValue(0, 5, 10);
        using var r1 = await http.Client.SendAsync(first);
        Assert.Equal(308, (int)r1.StatusCode);
        Assert.Equal("bytes=0-5", r1.Headers.GetValues("Range").Single());

        using var status = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([]) };
        status.Content.Headers.Add("Content-Range", "bytes */10");
        using var r2 = await http.Client.SendAsync(status);
        Assert.Equal(308, (int)r2.StatusCode);

        using var last = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([6, 7, 8, 9]) };
        last.Content.Headers.ContentRange = new System.Net.Http.Headers.ContentRangeHeaderValue(6, 9, 10);
        using var r3 = await http.Client.SendAsync(last);
        Assert.Equal(HttpStatusCode.OK, r3.StatusCode);
        var id = JsonNode.Parse(await r3.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, emu.GetDriveFileContent(id));
    }

    [Fact]
    public async Task Get_FieldsSelection_AppliesNestedMasks()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        await http.CreateFile("a", extra: new JsonObject { ["appProperties"] = new JsonObject { ["x"] = "1" } });
        var reply = await http.Get($"drive/v3/files?fields={Q.Enc("files(id,appProperties/x)")}");
        var file = reply.Json["files"]![0]!.AsObject();
        Assert.Equal(["id", "appProperties"], file.Select(kv => kv.Key));
        Assert.Null(reply.Json["kind"]);
        (await http.Get($"drive/v3/files?fields={Q.Enc("files(id")}")).AssertStatus(HttpStatusCode.BadRequest);
    }
}
