using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class TypedStateTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetDriveFiles_AfterCreatesOverHttp_ReportsTypedFilesInCreationOrder()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        using var http = new Http(emu, "teacher@district.example");
        var folder = await http.CreateFolder("Backpack");
        clock.Advance(TimeSpan.FromMinutes(1));
        var doc = await http.CreateFile("essay", folder, new JsonObject { ["appProperties"] = new JsonObject { ["backpack"] = "1", ["artifact"] = "a-1" } });
        var shortcut = (await http.Post("drive/v3/files", new JsonObject
        {
            ["name"] = "essay",
            ["mimeType"] = "application/vnd.google-apps.shortcut",
            ["parents"] = new JsonArray(folder),
            ["shortcutDetails"] = new JsonObject { ["targetId"] = doc },
        })).Json["id"]!.GetValue<string>();
        (await http.Patch($"drive/v3/files/{doc}", new JsonObject { ["trashed"] = true })).AssertStatus(HttpStatusCode.OK);

        var files = emu.GetDriveFiles();

        Assert.Equal([folder, doc, shortcut], files.Select(f => f.Id));
        Assert.True(files[0].IsFolder);
        Assert.Equal([emu.DriveRootFolderId], files[0].Parents);
        Assert.Equal(Start, files[0].CreatedTime);
        Assert.Equal([folder], files[1].Parents);
        Assert.True(files[1].Trashed);
        Assert.Equal("a-1", files[1].AppProperties["artifact"]);
        Assert.Equal(["artifact", "backpack"], files[1].AppProperties.Keys);
        Assert.Equal(Start.AddMinutes(1), files[1].CreatedTime);
        Assert.True(files[2].IsShortcut);
        Assert.Equal(doc, files[2].ShortcutTargetId);
        Assert.Null(files[2].Size);
        var owner = Assert.Single(files[1].Permissions);
        Assert.Equal(new EmulatedPermission(owner.Id, "user", "owner", "teacher@district.example", null, null), owner);
    }

    [Fact]
    public async Task GetDriveFiles_BinaryContent_ReportsSizeAndMd5()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var id = emu.SeedDriveFile(new JsonObject { ["name"] = "photo.png", ["mimeType"] = "image/png" }, Encoding.ASCII.GetBytes("hello"));

        var file = Assert.Single(emu.GetDriveFiles());

        Assert.Equal(id, file.Id);
        Assert.Equal(5, file.Size);
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", file.Md5Checksum);
    }

    [Fact]
    public async Task GetDriveFiles_TwoSnapshotsOfTheSameState_AreEqualAndDoNotFollowLaterChanges()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await http.CreateFile("a", extra: new JsonObject { ["appProperties"] = new JsonObject { ["k"] = "v" } });
        var before = emu.GetDriveFiles();
        var again = emu.GetDriveFiles();

        Assert.Equal(before, again);
        Assert.Equal(before[0], again[0]);
        Assert.Equal(before[0].GetHashCode(), again[0].GetHashCode());

        (await http.Patch($"drive/v3/files/{id}", new JsonObject { ["appProperties"] = new JsonObject { ["k"] = "w" } })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("v", before[0].AppProperties["k"]);
        Assert.NotEqual(before[0], emu.GetDriveFiles()[0]);
    }

    [Fact]
    public async Task GetDrivePermissions_SharedWithExpiry_ListsLiveOnesAndDropsExpired()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        using var http = new Http(emu, "owner@district.example");
        var id = await http.CreateFile("f");
        var expiry = Start.AddDays(2);
        (await http.Post($"drive/v3/files/{id}/permissions?sendNotificationEmail=false", new JsonObject
        {
            ["type"] = "user",
            ["role"] = "reader",
            ["emailAddress"] = "guardian@family.example",
            ["expirationTime"] = expiry.ToString("O"),
        })).AssertStatus(HttpStatusCode.OK);
        (await http.Post($"drive/v3/files/{id}/permissions", new JsonObject { ["type"] = "domain", ["role"] = "reader", ["domain"] = "district.example" })).AssertStatus(HttpStatusCode.OK);

        var permissions = emu.GetDrivePermissions(id);

        Assert.Equal(["owner", "reader", "reader"], permissions.Select(p => p.Role));
        Assert.Equal(expiry, permissions[1].ExpirationTime);
        Assert.Equal("guardian@family.example", permissions[1].EmailAddress);
        Assert.Equal(("domain", "district.example", (string?)null), (permissions[2].Type, permissions[2].Domain, permissions[2].EmailAddress));
        Assert.Equal(permissions, emu.GetDriveFiles().Single().Permissions);

        clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal([("user", "owner"), ("domain", "reader")], emu.GetDrivePermissions(id).Select(p => (p.Type, p.Role)));
    }

    [Fact]
    public async Task GetDrivePermissions_UnknownFile_ThrowsArgumentExceptionNamingTheId()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var ex = Assert.Throws<ArgumentException>(() => emu.GetDrivePermissions("nope"));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
        Assert.Equal("fileId", ex.ParamName);
    }

    [Fact]
    public async Task GetRequests_AfterCallsBatchesAndFaults_RecordsEachCallInOrder()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        using var http = new Http(emu);
        var id = await http.CreateFile("a");
        clock.Advance(TimeSpan.FromSeconds(5));
        (await http.Get("drive/v3/files/missing")).AssertStatus(HttpStatusCode.NotFound);
        (await http.Get("drive/v3/nothing/here")).AssertStatus(HttpStatusCode.NotFound);
        emu.SetFaults(new FaultOptions { Schedule = { new ScheduledFault("drive.files.get", 1, FaultKind.DropConnection) } });
        await Assert.ThrowsAsync<HttpRequestException>(() => http.Get($"drive/v3/files/{id}"));
        emu.SetFaults(null);

        using var batch = new HttpRequestMessage(HttpMethod.Post, "batch/drive/v3");
        var boundary = "b1";
        batch.Content = new StringContent(
            $"--{boundary}\r\nContent-Type: application/http\r\n\r\nGET /drive/v3/files/{id} HTTP/1.1\r\n\r\n--{boundary}\r\nContent-Type: application/http\r\n\r\nDELETE /drive/v3/files/{id} HTTP/1.1\r\n\r\n--{boundary}--\r\n");
        batch.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={boundary}");
        (await http.Client.SendAsync(batch)).EnsureSuccessStatusCode();

        var requests = emu.GetRequests();

        Assert.Equal(
            [
                new EmulatedRequest("drive.files.create", "POST", "/drive/v3/files", 200, Start, false),
                new EmulatedRequest("drive.files.get", "GET", "/drive/v3/files/missing", 404, Start.AddSeconds(5), false),
                new EmulatedRequest(null, "GET", "/drive/v3/nothing/here", 404, Start.AddSeconds(5), false),
                new EmulatedRequest("drive.files.get", "GET", $"/drive/v3/files/{id}", 0, Start.AddSeconds(5), false),
                new EmulatedRequest("drive.files.get", "GET", $"/drive/v3/files/{id}", 200, Start.AddSeconds(5), true),
                new EmulatedRequest("drive.files.delete", "DELETE", $"/drive/v3/files/{id}", 204, Start.AddSeconds(5), true),
            ],
            requests);

        emu.Reset();
        Assert.Empty(emu.GetRequests());
    }
}
