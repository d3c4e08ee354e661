using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>
/// files.list <c>orderBy</c>, as the discovery document describes it: comma-separated keys, each ascending unless
/// followed by <c>desc</c>; <c>name</c> alphabetical (1, 12, 2), <c>name_natural</c> natural (1, 2, 12), <c>folder</c>,
/// <c>createdTime</c>, <c>modifiedTime</c>.
/// </summary>
public sealed class OrderByTests
{
    private const string Folder = "application/vnd.google-apps.folder";

    private static async Task<(GoogleEmulator Emu, Http Http)> WorldAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        var http = new Http(emu);

        // Created a minute apart in this order; then "b" is modified last and "12" first.
        string[] names = ["b", "A", "12", "c", "2", "1"];
        var ids = new Dictionary<string, string>();
        foreach (var name in names)
        {
            var extra = new JsonObject();
            if (name is "A" or "2")
            {
                extra["mimeType"] = Folder;
            }

            ids[name] = await http.CreateFile(name, extra: extra);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        foreach (var name in new[] { "12", "A", "c", "2", "1", "b" })
        {
            (await http.Patch($"drive/v3/files/{ids[name]}", new JsonObject { ["description"] = "touched" })).AssertStatus(HttpStatusCode.OK);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        return (emu, http);
    }

    public static TheoryData<string, string[]> Orders() => new()
    {
        { "name", ["1", "12", "2", "A", "b", "c"] },
        { "name desc", ["c", "b", "A", "2", "12", "1"] },
        { "name_natural", ["1", "2", "12", "A", "b", "c"] },
        { "name_natural desc", ["c", "b", "A", "12", "2", "1"] },
        { "createdTime", ["b", "A", "12", "c", "2", "1"] },
        { "createdTime desc", ["1", "2", "c", "12", "A", "b"] },
        { "modifiedTime", ["12", "A", "c", "2", "1", "b"] },
        { "modifiedTime desc", ["b", "1", "2", "c", "A", "12"] },
        { "folder,name", ["2", "A", "1", "12", "b", "c"] },
        { "folder desc,name", ["1", "12", "b", "c", "2", "A"] },
        { "folder,modifiedTime desc,name", ["2", "A", "b", "1", "c", "12"] },
        { "folder, createdTime desc", ["2", "A", "1", "c", "12", "b"] },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task List_OrderBy_SortsByTheKeysInOrder(string orderBy, string[] expected)
    {
        var (emu, http) = await WorldAsync();
        await using var _ = emu;
        using var __ = http;

        var reply = (await Raw.Get(http.Client, $"drive/v3/files?orderBy={Q.Enc(orderBy)}&fields=files(name)")).Ok();

        Assert.Equal(expected, reply.Json["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_OrderByAcrossPages_KeepsTheOrder()
    {
        var (emu, http) = await WorldAsync();
        await using var _ = emu;
        using var __ = http;
        var names = new List<string>();
        string? token = null;
        do
        {
            var reply = (await Raw.Get(http.Client, $"drive/v3/files?orderBy={Q.Enc("modifiedTime desc")}&pageSize=4&fields=nextPageToken,files(name)" + (token is null ? string.Empty : "&pageToken=" + Q.Enc(token)))).Ok();
            names.AddRange(reply.Json["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
            token = reply.Json["nextPageToken"]?.GetValue<string>();
        }
        while (token is not null);

        Assert.Equal(["b", "1", "2", "c", "A", "12"], names);
    }

    [Theory]
    [InlineData("size")]
    [InlineData("name sideways")]
    [InlineData("name desc desc")]
    public async Task List_UnknownOrderByKeyOrModifier_Returns400InvalidOnOrderBy(string orderBy)
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);

        var reply = await Raw.Get(http.Client, $"drive/v3/files?orderBy={Q.Enc(orderBy)}");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
        Assert.Equal("orderBy", reply.Location);
    }
}
