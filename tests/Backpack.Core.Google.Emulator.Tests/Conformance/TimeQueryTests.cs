using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>
/// <c>q</c> comparisons on <c>modifiedTime</c> and <c>createdTime</c> with <c>&lt;, &lt;=, =, !=, &gt;, &gt;=</c> and
/// RFC 3339 values (UTC when no offset is given), compared at the millisecond Drive reports.
/// </summary>
public sealed class TimeQueryTests
{
    private static readonly DateTimeOffset T0 = new(2024, 6, 4, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(GoogleEmulator Emu, Http Http)> WorldAsync()
    {
        // "early" created and modified at 12:00:00; "middle" created 12:00:00.500 and modified 12:30;
        // "late" created 13:00 and touched back to 11:00.
        var clock = new FakeTimeProvider(T0);
        var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        var http = new Http(emu);
        await http.CreateFile("early");
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var middle = await http.CreateFile("middle");
        clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromMilliseconds(500));
        (await http.Patch($"drive/v3/files/{middle}", new JsonObject { ["description"] = "edited" })).AssertStatus(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(30));
        var late = await http.CreateFile("late");
        (await http.Patch($"drive/v3/files/{late}", new JsonObject { ["modifiedTime"] = "2024-06-04T11:00:00Z" })).AssertStatus(HttpStatusCode.OK);
        return (emu, http);
    }

    public static TheoryData<string, string[]> Queries() => new()
    {
        { "modifiedTime > '2024-06-04T12:00:00'", ["middle"] },
        { "modifiedTime >= '2024-06-04T12:00:00'", ["early", "middle"] },
        { "modifiedTime < '2024-06-04T12:00:00Z'", ["late"] },
        { "modifiedTime <= '2024-06-04T12:00:00Z'", ["early", "late"] },
        { "modifiedTime = '2024-06-04T12:30:00.000Z'", ["middle"] },
        { "modifiedTime != '2024-06-04T12:30:00.000Z'", ["early", "late"] },
        { "modifiedTime > '2024-06-04T14:00:00+02:00'", ["middle"] },
        { "modifiedTime >= '2024-06-04T12:00:00.001Z' and modifiedTime < '2024-06-04T13:00:00Z'", ["middle"] },
        { "createdTime > '2024-06-04T12:00:00Z'", ["middle", "late"] },
        { "createdTime = '2024-06-04T12:00:00.500Z'", ["middle"] },
        { "createdTime < '2024-06-04T12:00:00.500Z'", ["early"] },
        { "createdTime >= '2024-06-04T13:00:00Z' or modifiedTime < '2024-06-04T11:30:00'", ["late"] },
        { "createdTime > '2024-06-04'", ["early", "middle", "late"] },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task List_TimeComparison_MatchesTheFilesOnEachSide(string q, string[] expected)
    {
        var (emu, http) = await WorldAsync();
        await using var _ = emu;
        using var __ = http;

        var reply = (await Raw.Get(http.Client, $"drive/v3/files?q={Q.Enc(q)}&fields=files(name)")).Ok();

        Assert.Equal(expected, reply.Json["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_ModifiedTimeEqualsTheReportedValue_FindsTheFileOnTheSystemClock()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await http.CreateFile("x");
        var reported = (await Raw.Get(http.Client, $"drive/v3/files/{id}?fields=modifiedTime")).Ok().Json["modifiedTime"]!.GetValue<string>();

        var equal = (await Raw.Get(http.Client, $"drive/v3/files?q={Q.Enc($"modifiedTime = '{reported}'")}&fields=files(id)")).Ok();
        var after = (await Raw.Get(http.Client, $"drive/v3/files?q={Q.Enc($"modifiedTime > '{reported}'")}&fields=files(id)")).Ok();

        Assert.Equal([id], equal.Json["files"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        Assert.Empty(after.Json["files"]!.AsArray());
    }

    [Theory]
    [InlineData("modifiedTime > 'yesterday'")]
    [InlineData("modifiedTime > 2024-06-04")]
    [InlineData("modifiedTime contains '2024'")]
    [InlineData("createdTime >> '2024-06-04T12:00:00Z'")]
    public async Task List_MalformedTimeComparison_Returns400InvalidOnQ(string q)
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);

        var reply = await Raw.Get(http.Client, $"drive/v3/files?q={Q.Enc(q)}");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
        Assert.Equal("q", reply.Location);
    }
}
