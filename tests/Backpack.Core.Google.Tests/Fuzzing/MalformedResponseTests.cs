using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Backpack.Core.Google.Classroom;
using Backpack.Core.Google.Drive;
using Backpack.Core.Google.Drive.Api;
using Backpack.Core.Google.Tests.Classroom;

namespace Backpack.Core.Google.Tests.Fuzzing;

/// <summary>Regression tests for what the response fuzzing found: each damaged reply becomes a typed, retryable error.</summary>
public sealed class MalformedResponseTests
{
    private const string User = "default";
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private static async Task<(DriveHarness Harness, WireSwitch Wire)> DriveAsync(int maxAttempts = 2)
    {
        var wire = new WireSwitch();
        var clock = new VirtualClock(DriveHarness.Start);
        var emulator = await DriveHarness.StartEmulatorAsync(clock);
        var h = new DriveHarness(emulator, clock, o =>
        {
            o.WrapHttpHandler = wire.Wrap;
            o.MaxAttempts = maxAttempts;
        });
        return (h, wire);
    }

    private static WireResponse Batch(string body) =>
        new(HttpStatusCode.OK, "multipart/mixed; boundary=b", Encoding.UTF8.GetBytes(body.ReplaceLineEndings("\r\n")));

    private static WireResponse Json(string body) => new(HttpStatusCode.OK, "application/json; charset=UTF-8", Encoding.UTF8.GetBytes(body));

    private static async Task<BackpackGoogleException> ThrowsWithinAsync(Func<Task> run)
    {
        var task = Task.Run(run);
        Assert.True(await Task.WhenAny(task, Task.Delay(Hang)) == task, "the call did not end");
        return await Assert.ThrowsAsync<BackpackGoogleException>(() => task);
    }

    public static TheoryData<string, string> DamagedBatches() => new()
    {
        // Google.Apis' batch parser loops forever on a part without a status line.
        { "no status line", "--b\nContent-Type: application/http\n\n--b--\n" },
        { "status not a number", "--b\nContent-Type: application/http\n\nHTTP/1.1 2x0 OK\nContent-Type: application/json\n\n{}\n--b--\n" },
        { "header without colon", "--b\nContent-Type: application/http\n\nHTTP/1.1 200 OK\nContent-Type application/json\n\n{}\n--b--\n" },
        { "invalid content type", "--b\nContent-Type: application/http\n\nHTTP/1.1 200 OK\nContent-Type: appl/ication/json\n\n{}\n--b--\n" },
        { "more parts than requests", "--b\n\nHTTP/1.1 200 OK\n\n{\"id\":\"a\"}\n--b\n\nHTTP/1.1 200 OK\n\n{\"id\":\"b\"}\n--b\n\nHTTP/1.1 200 OK\n\n{\"id\":\"c\"}\n--b--\n" },
    };

    [Theory]
    [MemberData(nameof(DamagedBatches))]
    public async Task ExecuteManyAsync_DamagedBatchReply_ThrowsTransientBackpackGoogleExceptionNamingTheBatch(string damage, string body)
    {
        var (h, wire) = await DriveAsync();
        await using var _ = h;
        await using var __ = h.Emulator;
        using var client = new DriveClient(h.Connections, h.Clock);
        var create = new DriveFile { Name = "f", MimeType = DriveMimeTypes.Folder };
        wire.Replay = Batch(body);

        var ex = await ThrowsWithinAsync(() => client.ExecuteManyAsync(User, [() => client.CreateRequest(User, create), () => client.CreateRequest(User, create)], default));

        Assert.True(ex.IsTransient, damage);
        Assert.Contains("batch of files.create", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListPermissionsAsync_BatchReplyMissingAPart_ReportsThatFileAsFailedInsteadOfCrashing()
    {
        var (h, wire) = await DriveAsync(maxAttempts: 1);
        await using var _ = h;
        await using var __ = h.Emulator;
        using var client = new DriveClient(h.Connections, h.Clock);
        wire.Replay = Batch("--b\nContent-Type: application/http\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"permissions\":[{\"id\":\"1\",\"role\":\"owner\",\"type\":\"user\"}]}\n--b--\n");

        var results = await client.ListPermissionsAsync(User, ["a", "b"], default);

        Assert.Single(results[0].Value!);
        var missing = Assert.IsType<BackpackGoogleException>(results[1].Error);
        Assert.True(missing.IsTransient);
        Assert.Equal(DriveClient.MalformedCode, missing.ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"files\":[null]}")]
    [InlineData("{\"files\":[{\"name\":\"no id\"}]}")]
    public async Task FindAsync_EmptyOrIdlessListReply_ThrowsMalformedResponse(string body)
    {
        var (h, wire) = await DriveAsync();
        await using var _ = h;
        await using var __ = h.Emulator;
        using var client = new DriveClient(h.Connections, h.Clock);
        wire.Replay = Json(body);

        var ex = await ThrowsWithinAsync(() => client.FindAsync(User, [KeyValuePair.Create("k", "v")], default));

        Assert.Equal(DriveClient.MalformedCode, ex.ErrorCode);
        Assert.Contains("files.list", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_ReplyRepeatingItsPageToken_ThrowsInsteadOfListingForever()
    {
        var (h, wire) = await DriveAsync();
        await using var _ = h;
        await using var __ = h.Emulator;
        using var client = new DriveClient(h.Connections, h.Clock);
        wire.Replay = Json("{\"files\":[{\"id\":\"a\"}],\"nextPageToken\":\"again\"}");

        var ex = await ThrowsWithinAsync(() => client.FindAsync(User, [KeyValuePair.Create("k", "v")], default));

        Assert.Equal("google.repeated-page-token", ex.ErrorCode);
        Assert.Equal(2, wire.Replayed);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"error\": \"quota\"}")]
    [InlineData("{\"error\": {\"errors\": [7]}}")]
    [InlineData("{\"error\": {\"errors\": [{\"reason\": 403}]}}")]
    public async Task GetAsync_403WithAnOddErrorBody_ThrowsBackpackGoogleException(string body)
    {
        var (h, wire) = await DriveAsync();
        await using var _ = h;
        await using var __ = h.Emulator;
        using var client = new DriveClient(h.Connections, h.Clock);
        wire.Replay = new WireResponse(HttpStatusCode.Forbidden, "application/json", Encoding.UTF8.GetBytes(body));

        var ex = await ThrowsWithinAsync(() => client.GetAsync(User, "f", default));

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Contains("files.get", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "an empty body")]
    [InlineData("{\"students\":[null]}", "a missing item")]
    [InlineData("{\"students\":[{\"courseId\":\"c1\"}]}", "a member without a user id")]
    [InlineData("{\"students\":[{\"userId\":\"s1\"}],\"nextPageToken\":\"t\"}", "page token")]
    public async Task ClassroomListStudents_EmptyIdlessOrLoopingReply_ThrowsBackpackGoogleException(string body, string named)
    {
        var wire = new WireSwitch();
        await using var h = await ClassroomHarness.StartAsync(o =>
        {
            o.WrapHttpHandler = wire.Wrap;
            o.MaxAttempts = 2;
        });
        var client = new ClassroomClient(h.Get<ClassroomConnection>(), 2);
        wire.Replay = Json(body);

        var ex = await ThrowsWithinAsync(() => client.ListStudentsAsync("c1", default));

        Assert.Contains("courses.students.list", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }
}
