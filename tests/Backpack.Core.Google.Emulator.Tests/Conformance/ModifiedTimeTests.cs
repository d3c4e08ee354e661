using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>
/// Drive's <c>modifiedTime</c>: "the last time the file was modified by anyone", writable (a "touch"), kept to the
/// millisecond; a response's times are never later than its <c>Date</c> header.
/// </summary>
public sealed class ModifiedTimeTests
{
    private static readonly DateTimeOffset Start = new(2025, 10, 1, 9, 0, 0, 250, TimeSpan.Zero);

    private static async Task<(GoogleEmulator Emu, FakeTimeProvider Clock, Http Http, string Id)> FileAsync()
    {
        var clock = new FakeTimeProvider(Start);
        var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        var http = new Http(emu);
        var id = await http.CreateFile("notes.txt");
        return (emu, clock, http, id);
    }

    [Fact]
    public async Task ContentUpdate_MediaUpload_SetsModifiedTimeToNowAndBumpsVersion()
    {
        var (emu, clock, http, id) = await FileAsync();
        await using var _ = emu;
        using var __ = http;
        var before = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields=modifiedTime,version")).Ok().Json;
        clock.Advance(TimeSpan.FromMinutes(5));

        var updated = (await Raw.Media(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{id}?uploadType=media&fields=modifiedTime,version", Encoding.UTF8.GetBytes("v2"), "text/plain")).Ok().Json;

        Assert.Equal(Start, Raw.Time(before["modifiedTime"]));
        Assert.Equal(Start.AddMinutes(5), Raw.Time(updated["modifiedTime"]));
        Assert.True(long.Parse(updated["version"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > long.Parse(before["version"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task MetadataUpdate_Rename_SetsModifiedTimeToNow()
    {
        var (emu, clock, http, id) = await FileAsync();
        await using var _ = emu;
        using var __ = http;
        clock.Advance(TimeSpan.FromSeconds(42));

        var renamed = (await Raw.Json(http.Client, HttpMethod.Patch, $"drive/v3/files/{id}?fields=name,modifiedTime,createdTime", new JsonObject { ["name"] = "renamed.txt" })).Ok().Json;

        Assert.Equal("renamed.txt", renamed["name"]!.GetValue<string>());
        Assert.Equal(Start.AddSeconds(42), Raw.Time(renamed["modifiedTime"]));
        Assert.Equal(Start, Raw.Time(renamed["createdTime"]));
    }

    [Theory]
    [InlineData("2020-02-29T23:59:58.123Z", "2020-02-29T23:59:58.123Z")]
    [InlineData("2020-03-01T01:00:00+02:00", "2020-02-29T23:00:00.000Z")]
    [InlineData("2020-03-01T00:00:00.1234567Z", "2020-03-01T00:00:00.123Z")]
    public async Task Touch_PatchWithModifiedTime_StoresThatTimeToTheMillisecond(string given, string reported)
    {
        var (emu, clock, http, id) = await FileAsync();
        await using var _ = emu;
        using var __ = http;
        clock.Advance(TimeSpan.FromHours(1));

        var touched = (await Raw.Json(http.Client, HttpMethod.Patch, $"drive/v3/files/{id}?fields=modifiedTime", new JsonObject { ["modifiedTime"] = given })).Ok().Json;
        var read = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields=modifiedTime")).Ok().Json;

        Assert.Equal(reported, touched["modifiedTime"]!.GetValue<string>());
        Assert.Equal(reported, read["modifiedTime"]!.GetValue<string>());
        Assert.Equal(Raw.Time(JsonValue.Create(reported)), emu.GetDriveFiles().Single().ModifiedTime);
    }

    [Fact]
    public async Task Touch_ContentUploadWithModifiedTimeInMetadata_KeepsTheGivenTime()
    {
        var (emu, clock, http, id) = await FileAsync();
        await using var _ = emu;
        using var __ = http;
        clock.Advance(TimeSpan.FromHours(1));

        var reply = (await Raw.Multipart(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{id}?uploadType=multipart&fields=modifiedTime,size", new JsonObject { ["modifiedTime"] = "2021-01-01T00:00:00.000Z" }, [1, 2, 3, 4], "application/octet-stream")).Ok().Json;

        Assert.Equal("2021-01-01T00:00:00.000Z", reply["modifiedTime"]!.GetValue<string>());
        Assert.Equal("4", reply["size"]!.GetValue<string>());
    }

    [Fact]
    public async Task DateHeader_FakeClock_IsTheEmulatorClockRoundedUpToTheSecond()
    {
        var (emu, clock, http, id) = await FileAsync();
        await using var _ = emu;
        using var __ = http;

        var reply = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields=modifiedTime")).Ok();

        Assert.Equal(new DateTimeOffset(2025, 10, 1, 9, 0, 1, TimeSpan.Zero), reply.Date);
        Assert.True(Raw.Time(reply.Json["modifiedTime"]) <= reply.Date);
        clock.Advance(TimeSpan.FromDays(1));
        var later = await Raw.Get(http.Client, "drive/v3/files/missing");
        Assert.Equal(HttpStatusCode.NotFound, later.Status);
        Assert.Equal(new DateTimeOffset(2025, 10, 2, 9, 0, 1, TimeSpan.Zero), later.Date);
    }

    [Fact]
    public async Task ModifiedTime_SystemClockAcrossCreateUpdateAndUpload_IsNeverLaterThanTheResponseDate()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        for (var i = 0; i < 20; i++)
        {
            var created = (await Raw.Json(http.Client, HttpMethod.Post, "drive/v3/files?fields=id,modifiedTime", new JsonObject { ["name"] = $"f{i}" })).Ok();
            var id = created.Json["id"]!.GetValue<string>();
            var renamed = (await Raw.Json(http.Client, HttpMethod.Patch, $"drive/v3/files/{id}?fields=modifiedTime", new JsonObject { ["name"] = $"g{i}" })).Ok();
            var uploaded = (await Raw.Media(http.Client, HttpMethod.Patch, $"upload/drive/v3/files/{id}?uploadType=media&fields=modifiedTime", [(byte)i], null)).Ok();
            foreach (var reply in new[] { created, renamed, uploaded })
            {
                Assert.NotNull(reply.Date);
                Assert.True(Raw.Time(reply.Json["modifiedTime"]) <= reply.Date, $"modifiedTime {reply.Json["modifiedTime"]} is after Date {reply.Date:O}");
            }

            Assert.True(Raw.Time(renamed.Json["modifiedTime"]) >= Raw.Time(created.Json["modifiedTime"]));
            Assert.True(Raw.Time(uploaded.Json["modifiedTime"]) >= Raw.Time(renamed.Json["modifiedTime"]));
        }
    }
}
