using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class QuotaTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 10, TimeSpan.Zero);

    [Fact]
    public async Task Calls_OverPerUserQuota_Get403UserRateLimitExceededUntilTheWindowPasses()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            TimeProvider = clock,
            DriveQuota = new QuotaOptions { PerUserPerMinute = 3 },
        });
        using var http = new Http(emu, "alice");
        for (var i = 0; i < 3; i++)
        {
            (await http.Get("drive/v3/files")).AssertStatus(HttpStatusCode.OK);
        }

        var limited = await http.Get("drive/v3/files");
        limited.AssertStatus(HttpStatusCode.Forbidden);
        Assert.Equal("userRateLimitExceeded", limited.Reason);
        Assert.Equal("usageLimits", limited.Json["error"]!["errors"]![0]!["domain"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(50), limited.RetryAfter);

        using var bob = new Http(emu, "bob");
        (await bob.Get("drive/v3/files")).AssertStatus(HttpStatusCode.OK);
        (await http.Get("drive/v3/files?quotaUser=carol")).AssertStatus(HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromSeconds(50));
        (await http.Get("drive/v3/files")).AssertStatus(HttpStatusCode.OK);

        var stats = emu.GetStatistics();
        Assert.Equal(1, stats.RateLimitedCalls);
        Assert.Equal(6, stats.QuotaUnits);
        Assert.Equal(7, stats.CallsOf("drive.files.list"));
    }

    [Fact]
    public async Task Calls_OverProjectQuotaWith429Mode_Get429RateLimitExceeded()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            TimeProvider = clock,
            DriveQuota = new QuotaOptions { PerProjectPerMinute = 2, Use429 = true },
        });
        using var a = new Http(emu, "a");
        using var b = new Http(emu, "b");
        (await a.Get("drive/v3/files")).AssertStatus(HttpStatusCode.OK);
        (await b.Get("drive/v3/files")).AssertStatus(HttpStatusCode.OK);
        var limited = await a.Get("drive/v3/files");
        limited.AssertStatus(HttpStatusCode.TooManyRequests);
        Assert.Equal("rateLimitExceeded", limited.Reason);
        Assert.NotNull(limited.RetryAfter);
    }

    [Fact]
    public async Task RateLimitedCreate_ChangesNothing()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        emu.SetQuotas(new QuotaOptions { PerUserPerMinute = 1 });
        using var http = new Http(emu);
        await http.CreateFile("one");
        var second = await http.Post("drive/v3/files", new JsonObject { ["name"] = "two" });
        second.AssertStatus(HttpStatusCode.Forbidden);
        Assert.Equal(1, emu.DriveFileCount);
    }
}

public sealed class FaultTests
{
    private static async Task<List<string>> Outcomes(int seed, int calls)
    {
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            Faults = new FaultOptions { Seed = seed, Rate = 0.3, Kinds = { FaultKind.TooManyRequests, FaultKind.RateLimitExceeded, FaultKind.UserRateLimitExceeded, FaultKind.InternalError, FaultKind.ServiceUnavailable } },
        });
        using var http = new Http(emu);
        var outcomes = new List<string>();
        for (var i = 0; i < calls; i++)
        {
            var reply = await http.Get("drive/v3/files");
            outcomes.Add($"{(int)reply.Status}:{(reply.Status == HttpStatusCode.OK ? string.Empty : reply.Reason)}");
        }

        return outcomes;
    }

    [Fact]
    public async Task Faults_SameSeed_GiveTheSameSequence()
    {
        var first = await Outcomes(42, 60);
        var second = await Outcomes(42, 60);
        var other = await Outcomes(43, 60);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Contains(first, o => o != "200:");
        Assert.Contains(first, o => o == "200:");
        Assert.All(first.Where(o => o.StartsWith("403", StringComparison.Ordinal)), o => Assert.True(o is "403:rateLimitExceeded" or "403:userRateLimitExceeded"));
    }

    [Fact]
    public async Task Faults_BeforeApply_ChangeNothing()
    {
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            Faults = new FaultOptions { Seed = 1, Rate = 1.0, Kinds = { FaultKind.TooManyRequests, FaultKind.RateLimitExceeded, FaultKind.UserRateLimitExceeded, FaultKind.InternalError, FaultKind.ServiceUnavailable, FaultKind.DropConnection } },
        });
        var folder = emu.SeedDriveFile(new JsonObject { ["name"] = "F", ["mimeType"] = "application/vnd.google-apps.folder" });
        var before = emu.GetState()["drive"]!.ToJsonString();
        using var http = new Http(emu);
        static async Task<HttpStatusCode?> Try(Func<Task<Reply>> call)
        {
            try
            {
                return (await call()).Status;
            }
            catch (HttpRequestException)
            {
                return null; // A dropped connection.
            }
        }

        for (var i = 0; i < 30; i++)
        {
            var name = $"n{i}";
            Assert.NotEqual(HttpStatusCode.OK, await Try(() => http.Post("drive/v3/files", new JsonObject { ["name"] = name })));
            Assert.NotEqual(HttpStatusCode.OK, await Try(() => http.Patch($"drive/v3/files/{folder}", new JsonObject { ["name"] = "changed" })));
            Assert.NotEqual(HttpStatusCode.NoContent, await Try(() => http.Delete($"drive/v3/files/{folder}")));
        }

        Assert.Equal(before, emu.GetState()["drive"]!.ToJsonString());
        var stats = emu.GetStatistics();
        Assert.Equal(90, stats.FaultsInjected.Values.Sum());
        Assert.True(stats.FaultsInjected.ContainsKey(FaultKind.DropConnection));
    }

    [Fact]
    public async Task Faults_AfterApply_ApplyTheChangeThenFail()
    {
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            Faults = new FaultOptions { Schedule = { new ScheduledFault("drive.files.create", 1, FaultKind.InternalErrorAfterApply), new ScheduledFault("drive.files.create", 2, FaultKind.DropConnectionAfterApply) } },
        });
        using var http = new Http(emu);
        var ids = (await http.Get("drive/v3/files/generateIds?count=2")).Json["ids"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

        var first = await http.Post("drive/v3/files", new JsonObject { ["id"] = ids[0], ["name"] = "a" });
        first.AssertStatus(HttpStatusCode.InternalServerError);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.Post("drive/v3/files", new JsonObject { ["id"] = ids[1], ["name"] = "b" }));
        Assert.Equal(2, emu.DriveFileCount);

        // An idempotent client retries with the same generated id and learns the file exists.
        var retry = await http.Post("drive/v3/files", new JsonObject { ["id"] = ids[0], ["name"] = "a" });
        retry.AssertStatus(HttpStatusCode.Conflict);
        Assert.Equal(2, emu.DriveFileCount);
    }

    [Fact]
    public async Task Faults_Schedule_FailsExactlyTheNthCallOfThatMethod()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        emu.SetFaults(new FaultOptions { Schedule = { new ScheduledFault("drive.files.list", 3, FaultKind.ServiceUnavailable) } });
        using var http = new Http(emu);
        await http.CreateFile("x");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await http.Get("drive/v3/files")).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal(1, emu.GetStatistics().FaultsInjected[FaultKind.ServiceUnavailable]);
    }

    [Fact]
    public async Task Faults_Delay_HoldsTheCallOnTheInjectedClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(55));
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            TimeProvider = clock,
            Faults = new FaultOptions { Schedule = { new ScheduledFault("drive.files.list", 1, FaultKind.Delay) }, Delay = TimeSpan.FromSeconds(30) },
        });
        using var http = new Http(emu);
        var pending = http.Get("drive/v3/files");
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);
        // Advance until the held call completes (bounded): the request may reach the server after the first advance.
        for (var i = 0; i < 100 && !pending.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(pending, Task.Delay(50));
        }

        (await pending).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Batch_PartFault_FailsOnlyThatPart()
    {
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions
        {
            Faults = new FaultOptions { Schedule = { new ScheduledFault("drive.files.create", 2, FaultKind.UserRateLimitExceeded) } },
        });
        using var http = new Http(emu);
        using var batch = new MultipartContent("mixed", "outer");
        for (var i = 0; i < 3; i++)
        {
            var part = new StringContent($"POST /drive/v3/files\r\nContent-Type: application/json\r\n\r\n{{\"name\":\"p{i}\"}}\r\n");
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/http");
            part.Headers.Add("Content-ID", $"<item{i}>");
            batch.Add(part);
        }

        using var response = await http.Client.PostAsync("batch/drive/v3", batch);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("multipart/mixed", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Content-ID: <response-item0>", text, StringComparison.Ordinal);
        Assert.Contains("Content-ID: <response-item2>", text, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 403", text, StringComparison.Ordinal);
        Assert.Contains("userRateLimitExceeded", text, StringComparison.Ordinal);
        Assert.Equal(2, emu.DriveFileCount);
    }

    [Fact]
    public async Task Batch_Over100Parts_Returns400()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        using var batch = new MultipartContent("mixed", "outer");
        for (var i = 0; i < 101; i++)
        {
            var part = new StringContent("GET /drive/v3/files\r\n");
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/http");
            batch.Add(part);
        }

        using var response = await http.Client.PostAsync("batch/drive/v3", batch);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, emu.GetStatistics().TotalMethodCalls);
    }
}
