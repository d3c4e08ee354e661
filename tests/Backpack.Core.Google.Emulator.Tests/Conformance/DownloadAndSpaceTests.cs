using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>Partial downloads with <c>Range</c>, and the <c>appDataFolder</c> space kept apart from My Drive.</summary>
public sealed class DownloadAndSpaceTests
{
    [Theory]
    [InlineData("bytes=2-5", 206, "bytes 2-5/10", new byte[] { 2, 3, 4, 5 })]
    [InlineData("bytes=7-", 206, "bytes 7-9/10", new byte[] { 7, 8, 9 })]
    [InlineData("bytes=-3", 206, "bytes 7-9/10", new byte[] { 7, 8, 9 })]
    [InlineData("bytes=8-100", 206, "bytes 8-9/10", new byte[] { 8, 9 })]
    [InlineData("bytes=10-12", 416, "bytes */10", null)]
    public async Task Download_WithRange_ReturnsThePartAsPartialContent(string range, int status, string contentRange, byte[]? expected)
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = (await Raw.Media(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=media", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "application/octet-stream")).Ok().Json["id"]!.GetValue<string>();

        var reply = await Raw.Send(http.Client, HttpMethod.Get, $"drive/v3/files/{id}?alt=media", headers: new Dictionary<string, string> { ["Range"] = range });

        Assert.Equal(status, (int)reply.Status);
        Assert.Equal(contentRange, reply.Headers["Content-Range"]);
        if (expected is not null)
        {
            Assert.Equal(expected, reply.Body);
        }
    }

    [Fact]
    public async Task AppDataFolder_FilesThere_AreListedOnlyInTheirSpace()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        await http.CreateFile("visible.txt");
        var config = (await Raw.Json(http.Client, HttpMethod.Post, "drive/v3/files?fields=id,spaces,parents", new JsonObject { ["name"] = "config.json", ["parents"] = new JsonArray("appDataFolder") })).Ok().Json;

        var drive = (await Raw.Get(http.Client, "drive/v3/files?fields=files(name)")).Ok().Json;
        var appData = (await Raw.Get(http.Client, "drive/v3/files?spaces=appDataFolder&fields=files(name,spaces)")).Ok().Json;
        var both = (await Raw.Get(http.Client, "drive/v3/files?spaces=drive,appDataFolder&q=" + Q.Enc("'appDataFolder' in parents") + "&fields=files(name)")).Ok().Json;
        var move = await Raw.Json(http.Client, HttpMethod.Patch, $"drive/v3/files/{config["id"]}?addParents=root&removeParents=appDataFolder", new JsonObject());

        Assert.Equal("appDataFolder", config["spaces"]![0]!.GetValue<string>());
        Assert.Equal(["visible.txt"], drive["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(["config.json"], appData["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(["config.json"], both["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, move.Status);
        Assert.Equal(2, emu.DriveFileCount);
    }
}
