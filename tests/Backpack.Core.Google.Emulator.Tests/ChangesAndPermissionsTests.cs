using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class ChangesTests
{
    private static async Task<List<JsonObject>> ReadAll(Http http, string token, int pageSize, Action<int>? pages = null)
    {
        var all = new List<JsonObject>();
        var count = 0;
        while (true)
        {
            var reply = await http.Get($"drive/v3/changes?pageToken={token}&pageSize={pageSize}&fields=*");
            reply.AssertStatus(HttpStatusCode.OK);
            count++;
            all.AddRange(reply.Json["changes"]!.AsArray().Select(c => c!.AsObject()));
            if (reply.Json["nextPageToken"] is JsonNode next)
            {
                Assert.Null(reply.Json["newStartPageToken"]);
                token = next.GetValue<string>();
                continue;
            }

            Assert.NotNull(reply.Json["newStartPageToken"]);
            pages?.Invoke(count);
            return all;
        }
    }

    [Fact]
    public async Task ChangesList_AfterCreateUpdateTrashMoveDelete_ReportsEachInOrder()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var start = (await http.Get("drive/v3/changes/startPageToken")).Json["startPageToken"]!.GetValue<string>();

        var a = await http.CreateFolder("a");
        var f = await http.CreateFile("f");
        await http.Patch($"drive/v3/files/{f}", new JsonObject { ["name"] = "renamed" });
        await http.Patch($"drive/v3/files/{f}?addParents={a}&removeParents=root", new JsonObject());
        await http.Patch($"drive/v3/files/{f}", new JsonObject { ["trashed"] = true });
        await http.Delete($"drive/v3/files/{f}");

        var pageCount = 0;
        var changes = await ReadAll(http, start, 2, n => pageCount = n);
        Assert.Equal(3, pageCount);
        Assert.Equal(6, changes.Count);
        Assert.All(changes, c =>
        {
            Assert.Equal("drive#change", c["kind"]!.GetValue<string>());
            Assert.Equal("file", c["changeType"]!.GetValue<string>());
            Assert.NotNull(c["time"]);
        });
        Assert.Equal([a, f, f, f, f, f], changes.Select(c => c["fileId"]!.GetValue<string>()));
        Assert.Equal("renamed", changes[2]["file"]!["name"]!.GetValue<string>());
        Assert.Equal(a, changes[3]["file"]!["parents"]![0]!.GetValue<string>());
        Assert.True(changes[4]["file"]!["trashed"]!.GetValue<bool>());
        Assert.True(changes[5]["removed"]!.GetValue<bool>());
        Assert.Null(changes[5]["file"]);
    }

    [Fact]
    public async Task ChangesList_FromNewStartPageToken_ReturnsOnlyLaterChanges()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        await http.CreateFile("one");
        var first = await http.Get("drive/v3/changes?pageToken=1");
        var next = first.Json["newStartPageToken"]!.GetValue<string>();
        var empty = await http.Get($"drive/v3/changes?pageToken={next}");
        Assert.Empty(empty.Json["changes"]!.AsArray());
        Assert.Equal(next, empty.Json["newStartPageToken"]!.GetValue<string>());

        await http.CreateFile("two");
        var later = await ReadAll(http, next, 100);
        Assert.Single(later);

        (await http.Get("drive/v3/changes")).AssertStatus(HttpStatusCode.BadRequest);
        (await http.Get("drive/v3/changes?pageToken=999")).AssertStatus(HttpStatusCode.BadRequest);
    }
}

public sealed class PermissionsTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task PermissionsCreate_UserWithExpiration_IsStoredAndNotificationRecorded()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        using var http = new Http(emu);
        var f = await http.CreateFile("f");
        var reply = await http.Post($"drive/v3/files/{f}/permissions?fields=*&emailMessage=hi", new JsonObject
        {
            ["role"] = "reader",
            ["type"] = "user",
            ["emailAddress"] = "panelist@district.org",
            ["expirationTime"] = Iso(Now.AddDays(30)),
        });
        reply.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("reader", reply.Json["role"]!.GetValue<string>());
        Assert.NotNull(reply.Json["expirationTime"]);

        var notifications = emu.GetState()["drive"]!["notifications"]!.AsArray();
        Assert.Equal("panelist@district.org", Assert.Single(notifications)!["emailAddress"]!.GetValue<string>());

        var quiet = await http.Post($"drive/v3/files/{f}/permissions?sendNotificationEmail=false", new JsonObject { ["role"] = "writer", ["type"] = "user", ["emailAddress"] = "t@district.org" });
        quiet.AssertStatus(HttpStatusCode.OK);
        Assert.Single(emu.GetState()["drive"]!["notifications"]!.AsArray());

        var list = await http.Get($"drive/v3/files/{f}/permissions?fields=*");
        Assert.Equal(3, list.Json["permissions"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("anyone", null, 10, "cannotSetExpirationOnAnyoneOrDomain")]
    [InlineData("domain", null, 10, "cannotSetExpirationOnAnyoneOrDomain")]
    [InlineData("user", "u@d.org", -1, "expirationDatesMustBeInTheFuture")]
    [InlineData("group", "g@d.org", 367, "expirationDateTooFarInTheFuture")]
    public async Task PermissionsCreate_InvalidExpiration_Returns400WithReason(string type, string? email, int days, string reason)
    {
        var clock = new FakeTimeProvider(Now);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        using var http = new Http(emu);
        var f = await http.CreateFile("f");
        var body = new JsonObject { ["role"] = "reader", ["type"] = type, ["expirationTime"] = Iso(Now.AddDays(days)) };
        if (email is not null)
        {
            body["emailAddress"] = email;
        }
        else if (type == "domain")
        {
            body["domain"] = "d.org";
        }

        var reply = await http.Post($"drive/v3/files/{f}/permissions?sendNotificationEmail=false", body);
        reply.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal(reason, reply.Reason);
        var list = await http.Get($"drive/v3/files/{f}/permissions");
        Assert.Single(list.Json["permissions"]!.AsArray());
    }

    [Fact]
    public async Task Permission_AfterExpirationTime_Disappears()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        using var http = new Http(emu);
        var f = await http.CreateFile("f");
        var p = await http.Post($"drive/v3/files/{f}/permissions", new JsonObject { ["role"] = "commenter", ["type"] = "user", ["emailAddress"] = "u@d.org", ["expirationTime"] = Iso(Now.AddHours(1)) });
        var id = p.Json["id"]!.GetValue<string>();
        (await http.Get($"drive/v3/files/{f}/permissions/{id}")).AssertStatus(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromHours(2));
        (await http.Get($"drive/v3/files/{f}/permissions/{id}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PermissionsUpdateAndDelete_ChangeRoleRemoveExpirationAndRevoke()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        using var http = new Http(emu);
        var f = await http.CreateFile("f");
        var p = await http.Post($"drive/v3/files/{f}/permissions", new JsonObject { ["role"] = "reader", ["type"] = "user", ["emailAddress"] = "u@d.org", ["expirationTime"] = Iso(Now.AddDays(1)) });
        var id = p.Json["id"]!.GetValue<string>();

        var updated = await http.Patch($"drive/v3/files/{f}/permissions/{id}?removeExpiration=true&fields=*", new JsonObject { ["role"] = "writer" });
        updated.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("writer", updated.Json["role"]!.GetValue<string>());
        Assert.Null(updated.Json["expirationTime"]);

        var tooFar = await http.Patch($"drive/v3/files/{f}/permissions/{id}", new JsonObject { ["expirationTime"] = Iso(Now.AddYears(2)) });
        Assert.Equal("expirationDateTooFarInTheFuture", tooFar.Reason);

        (await http.Delete($"drive/v3/files/{f}/permissions/{id}")).AssertStatus(HttpStatusCode.NoContent);
        (await http.Delete($"drive/v3/files/{f}/permissions/{id}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PermissionsCreate_MissingFieldsOrBadEnums_Return400()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var f = await http.CreateFile("f");
        (await http.Post($"drive/v3/files/{f}/permissions", new JsonObject { ["type"] = "user", ["emailAddress"] = "u@d.org" })).AssertStatus(HttpStatusCode.BadRequest);
        (await http.Post($"drive/v3/files/{f}/permissions", new JsonObject { ["role"] = "boss", ["type"] = "user", ["emailAddress"] = "u@d.org" })).AssertStatus(HttpStatusCode.BadRequest);
        (await http.Post($"drive/v3/files/{f}/permissions", new JsonObject { ["role"] = "reader", ["type"] = "user" })).AssertStatus(HttpStatusCode.BadRequest);
        (await http.Post($"drive/v3/files/{f}/permissions", new JsonObject { ["role"] = "reader", ["type"] = "robot" })).AssertStatus(HttpStatusCode.BadRequest);
        var anyone = await http.Post($"drive/v3/files/{f}/permissions?sendNotificationEmail=false", new JsonObject { ["role"] = "reader", ["type"] = "anyone" });
        anyone.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("anyoneWithLink", anyone.Json["id"]!.GetValue<string>());
    }
}
