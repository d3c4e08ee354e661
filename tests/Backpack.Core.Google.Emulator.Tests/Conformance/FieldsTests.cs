using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>
/// The <c>fields</c> system parameter: nested selections (<c>files(id,name)</c>, <c>a/b</c>), <c>*</c>, and a field the
/// resource does not have is 400 <c>invalidParameter</c> on <c>fields</c> naming it; every field the emulator emits exists
/// in the discovery document.
/// </summary>
public sealed class FieldsTests
{
    [Fact]
    public async Task Fields_NestedFilesSelection_ReturnsExactlyThoseKeys()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        for (var i = 0; i < 3; i++)
        {
            await http.CreateFile($"f{i}");
        }

        var reply = (await Raw.Get(http.Client, "drive/v3/files?pageSize=2&fields=" + Q.Enc("files(id,name)"))).Ok().Json;
        var withToken = (await Raw.Get(http.Client, "drive/v3/files?pageSize=2&fields=" + Q.Enc("nextPageToken,files/id"))).Ok().Json;

        Assert.Equal(["files"], reply.Select(kv => kv.Key));
        Assert.All(reply["files"]!.AsArray(), f => Assert.Equal(["id", "name"], f!.AsObject().Select(kv => kv.Key)));
        Assert.Equal(["nextPageToken", "files"], withToken.Select(kv => kv.Key));
        Assert.All(withToken["files"]!.AsArray(), f => Assert.Equal(["id"], f!.AsObject().Select(kv => kv.Key)));
    }

    [Fact]
    public async Task Fields_Star_ReturnsTheWholeResourceAtThatLevel()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await http.CreateFile("f");

        var all = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields=*")).Ok().Json;
        var listAll = (await Raw.Get(http.Client, "drive/v3/files?fields=" + Q.Enc("files(*)"))).Ok().Json;

        Assert.True(all.Count > 20);
        Assert.Equal(all.Select(kv => kv.Key), listAll["files"]![0]!.AsObject().Select(kv => kv.Key));
    }

    [Theory]
    [InlineData("drive/v3/files/{id}", "shoeSize", "shoeSize")]
    [InlineData("drive/v3/files/{id}", "id,name,colour", "colour")]
    [InlineData("drive/v3/files", "files(id,bogus)", "bogus")]
    [InlineData("drive/v3/files", "nextPageToken,file", "file")]
    [InlineData("drive/v3/files/{id}", "name(first)", "name")]
    [InlineData("drive/v3/files/{id}", "capabilities/canFly", "canFly")]
    [InlineData("drive/v3/files/{id}/permissions", "permissions(id,rank)", "rank")]
    [InlineData("drive/v3/changes/startPageToken", "token", "token")]
    public async Task Fields_UnknownField_Returns400InvalidParameterNamingIt(string path, string fields, string named)
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await http.CreateFile("f");

        var reply = await Raw.Get(http.Client, path.Replace("{id}", id, StringComparison.Ordinal) + "?fields=" + Q.Enc(fields));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalidParameter", reply.Reason);
        Assert.Equal("fields", reply.Location);
        Assert.Equal("Invalid field selection " + named, reply.Message);
    }

    [Fact]
    public async Task Fields_UnknownFieldOnAWrite_RejectsBeforeApplying()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);

        var reply = await Raw.Json(http.Client, HttpMethod.Post, "drive/v3/files?fields=id,nope", new JsonObject { ["name"] = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(0, emu.DriveFileCount);
    }

    [Fact]
    public async Task Fields_MapKeysUnderAppProperties_AreAllowed()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await http.CreateFile("f", extra: new JsonObject { ["appProperties"] = new JsonObject { ["backpack"] = "1", ["other"] = "2" } });

        var reply = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields=" + Q.Enc("appProperties/backpack,exportLinks"))).Ok().Json;

        Assert.Equal(["backpack"], reply["appProperties"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public async Task Fields_ClassroomUnknownField_Returns400InvalidParameter()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        emu.SeedClassroomCourse(new JsonObject { ["name"] = "Biology" });
        using var http = new Http(emu);

        var ok = (await Raw.Get(http.Client, "v1/courses?fields=" + Q.Enc("courses(id,name)"))).Ok().Json;
        var bad = await Raw.Get(http.Client, "v1/courses?fields=" + Q.Enc("courses(id,grade)"));

        Assert.Equal(["id", "name"], ok["courses"]![0]!.AsObject().Select(kv => kv.Key).Order());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("Invalid field selection grade", bad.Message);
    }

    /// <summary>Every key of every emitted Drive resource, at every depth, must be a property in the discovery document.</summary>
    [Fact]
    public async Task Responses_WithFieldsStar_EmitOnlyPropertiesOfTheDiscoverySchemas()
    {
        var discovery = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "drive.v3.json")))!;
        var schemas = discovery["schemas"]!.AsObject();
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu, "owner@district.example");
        var folder = await http.CreateFolder("F");
        var file = (await Raw.Multipart(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=multipart", new JsonObject { ["name"] = "a.tar.gz", ["parents"] = new JsonArray(folder), ["appProperties"] = new JsonObject { ["k"] = "v" }, ["properties"] = new JsonObject { ["p"] = "q" } }, [1, 2], "application/gzip")).Ok().Json["id"]!.GetValue<string>();
        (await http.Post($"drive/v3/files/{file}/permissions?sendNotificationEmail=false", new JsonObject { ["type"] = "user", ["role"] = "reader", ["emailAddress"] = "g@family.example", ["expirationTime"] = DateTimeOffset.UtcNow.AddDays(3).ToString("O") })).AssertStatus(HttpStatusCode.OK);
        (await http.Post($"drive/v3/files/{file}/permissions", new JsonObject { ["type"] = "anyone", ["role"] = "reader" })).AssertStatus(HttpStatusCode.OK);
        (await http.Post("drive/v3/files", new JsonObject { ["name"] = "s", ["mimeType"] = "application/vnd.google-apps.shortcut", ["shortcutDetails"] = new JsonObject { ["targetId"] = file } })).AssertStatus(HttpStatusCode.OK);
        (await http.Patch($"drive/v3/files/{folder}", new JsonObject { ["trashed"] = true })).AssertStatus(HttpStatusCode.OK);

        var problems = new List<string>();
        void Check(JsonNode? node, JsonObject schema, string where)
        {
            if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Check(item, schema, where + "[]");
                }

                return;
            }

            if (node is not JsonObject obj)
            {
                return;
            }

            var properties = schema["properties"]?.AsObject();
            if (properties is null)
            {
                return;
            }

            foreach (var (key, value) in obj)
            {
                if (properties[key] is not JsonObject p)
                {
                    problems.Add($"{where}.{key} is not in the discovery schema");
                    continue;
                }

                var child = p["$ref"] is { } r ? schemas[r.GetValue<string>()]!.AsObject()
                    : p["items"]?["$ref"] is { } ir ? schemas[ir.GetValue<string>()]!.AsObject()
                    : p["items"] is JsonObject items ? items
                    : p;
                Check(value, child, where + "." + key);
            }
        }

        var start = (await Raw.Get(http.Client, "drive/v3/changes/startPageToken?fields=*")).Ok().Json;
        Check(start, schemas["StartPageToken"]!.AsObject(), "StartPageToken");
        Check((await Raw.Get(http.Client, "drive/v3/files?fields=*")).Ok().Json, schemas["FileList"]!.AsObject(), "FileList");
        Check((await Raw.Get(http.Client, $"drive/v3/files/{file}/permissions?fields=*")).Ok().Json, schemas["PermissionList"]!.AsObject(), "PermissionList");
        Check((await Raw.Get(http.Client, "drive/v3/changes?pageToken=1&fields=*")).Ok().Json, schemas["ChangeList"]!.AsObject(), "ChangeList");
        Check((await Raw.Get(http.Client, $"drive/v3/files/{file}/revisions?fields=*")).Ok().Json, schemas["RevisionList"]!.AsObject(), "RevisionList");
        Check((await Raw.Get(http.Client, "drive/v3/about?fields=*")).Ok().Json, schemas["About"]!.AsObject(), "About");
        Check((await Raw.Get(http.Client, "drive/v3/files/generateIds?count=2&fields=*")).Ok().Json, schemas["GeneratedIds"]!.AsObject(), "GeneratedIds");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
