using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>Search terms beyond names and parents: owners, writers, readers ('me' is the caller), shortcut targets, name prefixes.</summary>
public sealed class QueryTermTests
{
    private static async Task<string[]> Names(HttpClient client, string q) =>
        (await Raw.Get(client, $"drive/v3/files?q={Q.Enc(q)}&fields=files(name)")).Ok().Json["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task List_InOwnersWritersReaders_MatchesByPermission()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu, "teacher@district.example");
        var shared = await http.CreateFile("shared");
        await http.CreateFile("private");
        (await http.Post($"drive/v3/files/{shared}/permissions?sendNotificationEmail=false", new JsonObject { ["type"] = "user", ["role"] = "writer", ["emailAddress"] = "aide@district.example" })).AssertStatus(HttpStatusCode.OK);
        (await http.Post($"drive/v3/files/{shared}/permissions?sendNotificationEmail=false", new JsonObject { ["type"] = "user", ["role"] = "reader", ["emailAddress"] = "parent@family.example" })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(["shared", "private"], await Names(http.Client, "'me' in owners"));
        Assert.Equal(["shared", "private"], await Names(http.Client, "'teacher@district.example' in owners"));
        Assert.Empty(await Names(http.Client, "'aide@district.example' in owners"));
        Assert.Equal(["shared"], await Names(http.Client, "'aide@district.example' in writers"));
        Assert.Empty(await Names(http.Client, "'parent@family.example' in writers"));
        Assert.Equal(["shared"], await Names(http.Client, "'parent@family.example' in readers"));
        Assert.Equal(["private"], await Names(http.Client, "not 'parent@family.example' in readers"));
    }

    [Fact]
    public async Task List_ShortcutTargetAndNamePrefix_MatchAsDocumented()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var target = await http.CreateFile("HelloWorld");
        await http.CreateFile("Hello World");
        (await http.Post("drive/v3/files", new JsonObject { ["name"] = "link", ["mimeType"] = "application/vnd.google-apps.shortcut", ["shortcutDetails"] = new JsonObject { ["targetId"] = target } })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(["link"], await Names(http.Client, $"shortcutDetails.targetId = '{target}'"));
        Assert.Equal(["HelloWorld", "Hello World"], await Names(http.Client, "name contains 'hello'"));
        Assert.Equal(["Hello World"], await Names(http.Client, "name contains 'World'"));
    }

    [Fact]
    public async Task EmptyTrash_DeletesTrashedFilesForGood()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var folder = await http.CreateFolder("old");
        await http.CreateFile("inside", folder);
        await http.CreateFile("kept");
        (await http.Patch($"drive/v3/files/{folder}", new JsonObject { ["trashed"] = true })).AssertStatus(HttpStatusCode.OK);

        (await http.Delete("drive/v3/files/trash")).AssertStatus(HttpStatusCode.NoContent);

        Assert.Equal(["kept"], emu.GetDriveFiles().Select(f => f.Name));
    }
}
