using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>Every Drive list pages with <c>pageSize</c> and <c>nextPageToken</c>: files, permissions, changes, revisions.</summary>
public sealed class PagingTests
{
    /// <summary>Follows nextPageToken until it is absent; returns the ids (or other key) of every page's items.</summary>
    private static Task<(List<List<string>> Pages, JsonObject Last)> PagesAsync(HttpClient client, string path, string collection, string key = "id") =>
        PagesAsync(client, token => path + (token is null ? string.Empty : (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "pageToken=" + Q.Enc(token)), collection, key);

    private static async Task<(List<List<string>> Pages, JsonObject Last)> PagesAsync(HttpClient client, Func<string?, string> pathFor, string collection, string key = "id")
    {
        var pages = new List<List<string>>();
        string? token = null;
        JsonObject last;
        do
        {
            last = (await Raw.Get(client, pathFor(token))).Ok().Json;
            pages.Add(last[collection]!.AsArray().Select(x => x![key]!.GetValue<string>()).ToList());
            token = last["nextPageToken"]?.GetValue<string>();
            Assert.True(pages.Count < 100, "paging does not end");
        }
        while (token is not null);

        return (pages, last);
    }

    [Fact]
    public async Task FilesList_PageSize_ReturnsEveryMatchOnceInFullPages()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var ids = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            ids.Add(emu.SeedDriveFile(new JsonObject { ["name"] = $"f{i:D2}", ["mimeType"] = "text/plain" }));
        }

        var (pages, _) = await PagesAsync(http.Client, "drive/v3/files?pageSize=5&q=" + Q.Enc("trashed = false"), "files");

        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Count));
        Assert.Equal(ids, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task FilesList_PageTokenOfAnotherQuery_Returns400()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        for (var i = 0; i < 3; i++)
        {
            await http.CreateFile($"f{i}");
        }

        var token = (await Raw.Get(http.Client, "drive/v3/files?pageSize=1")).Ok().Json["nextPageToken"]!.GetValue<string>();
        var reply = await Raw.Get(http.Client, "drive/v3/files?pageSize=1&q=" + Q.Enc("name = 'f1'") + "&pageToken=" + Q.Enc(token));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("pageToken", reply.Location);
    }

    [Fact]
    public async Task PermissionsList_PageSize_PagesAndWithoutPageSizeReturnsAll()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu, "owner@district.example");
        var id = await http.CreateFile("shared");
        for (var i = 0; i < 7; i++)
        {
            (await http.Post($"drive/v3/files/{id}/permissions?sendNotificationEmail=false", new JsonObject { ["type"] = "user", ["role"] = "reader", ["emailAddress"] = $"s{i}@district.example" })).AssertStatus(HttpStatusCode.OK);
        }

        var (pages, _) = await PagesAsync(http.Client, $"drive/v3/files/{id}/permissions?pageSize=3", "permissions");
        var all = (await Raw.Get(http.Client, $"drive/v3/files/{id}/permissions")).Ok().Json;

        Assert.Equal([3, 3, 2], pages.Select(p => p.Count));
        Assert.Equal(emu.GetDrivePermissions(id).Select(p => p.Id), pages.SelectMany(p => p));
        Assert.Equal(8, all["permissions"]!.AsArray().Count);
        Assert.Null(all["nextPageToken"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Raw.Get(http.Client, $"drive/v3/files/{id}/permissions?pageSize=101")).Status);
    }

    [Fact]
    public async Task ChangesList_PageSize_PagesThenGivesNewStartPageToken()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var start = (await Raw.Get(http.Client, "drive/v3/changes/startPageToken")).Ok().Json["startPageToken"]!.GetValue<string>();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await http.CreateFile($"c{i}"));
        }

        var (pages, last) = await PagesAsync(http.Client, token => $"drive/v3/changes?pageSize=3&pageToken={Q.Enc(token ?? start)}", "changes", "fileId");

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(ids, pages.SelectMany(p => p));
        Assert.NotNull(last["newStartPageToken"]);
        var after = (await Raw.Get(http.Client, "drive/v3/changes?pageToken=" + last["newStartPageToken"]!.GetValue<string>())).Ok().Json;
        Assert.Empty(after["changes"]!.AsArray());
    }

    [Fact]
    public async Task RevisionsList_PageSize_ListsEveryContentVersionOldestFirst()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = (await Raw.Media(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=media", [0], "application/octet-stream")).Ok().Json["id"]!.GetValue<string>();
        for (byte i = 1; i < 5; i++)
        {
            (await Raw.Media(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{id}?uploadType=media", [i], "application/octet-stream")).Ok();
        }

        var (pages, _) = await PagesAsync(http.Client, $"drive/v3/files/{id}/revisions?pageSize=2", "revisions");
        var head = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields=headRevisionId")).Ok().Json["headRevisionId"]!.GetValue<string>();
        var oldest = await Raw.Get(http.Client, $"drive/v3/files/{id}/revisions/{pages[0][0]}?alt=media");

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        Assert.Equal(5, pages.SelectMany(p => p).Distinct().Count());
        Assert.Equal(head, pages[^1][^1]);
        Assert.Equal(new byte[] { 0 }, oldest.Body);
    }
}
