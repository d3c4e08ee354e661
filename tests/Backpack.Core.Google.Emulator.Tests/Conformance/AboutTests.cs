using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>about.get: the caller and their storage quota; the <c>fields</c> parameter is required, as Drive documents.</summary>
public sealed class AboutTests
{
    [Fact]
    public async Task About_WithoutFields_Returns400RequiredNamingFields()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);

        var reply = await Raw.Get(http.Client, "drive/v3/about");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("required", reply.Reason);
        Assert.Equal("fields", reply.Location);
    }

    [Fact]
    public async Task About_UserAndStorageQuota_DescribeTheCallerAndTheirBytes()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu, "teacher@district.example");
        var kept = (await Raw.Media(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=media", new byte[100], "application/octet-stream")).Ok().Json["id"]!.GetValue<string>();
        var binned = (await Raw.Media(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=media", new byte[30], "application/octet-stream")).Ok().Json["id"]!.GetValue<string>();
        (await http.Patch($"drive/v3/files/{binned}", new JsonObject { ["trashed"] = true })).AssertStatus(HttpStatusCode.OK);

        var about = (await Raw.Get(http.Client, "drive/v3/about?fields=" + Q.Enc("user,storageQuota"))).Ok().Json;
        var owner = (await Raw.Get(http.Client, $"drive/v3/files/{kept}?fields=owners")).Ok().Json["owners"]![0]!;

        Assert.Equal(["user", "storageQuota"], about.Select(kv => kv.Key));
        Assert.Equal("drive#user", about["user"]!["kind"]!.GetValue<string>());
        Assert.Equal("teacher@district.example", about["user"]!["emailAddress"]!.GetValue<string>());
        Assert.True(about["user"]!["me"]!.GetValue<bool>());
        Assert.Equal(owner["permissionId"]!.GetValue<string>(), about["user"]!["permissionId"]!.GetValue<string>());
        Assert.Equal(emu.GetDrivePermissions(kept)[0].Id, about["user"]!["permissionId"]!.GetValue<string>());
        Assert.Equal("130", about["storageQuota"]!["usage"]!.GetValue<string>());
        Assert.Equal("130", about["storageQuota"]!["usageInDrive"]!.GetValue<string>());
        Assert.Equal("30", about["storageQuota"]!["usageInDriveTrash"]!.GetValue<string>());
        Assert.True(long.Parse(about["storageQuota"]!["limit"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 130);
    }

    [Fact]
    public async Task About_FieldsStarAndNestedMask_ReturnTheSelection()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);

        var all = (await Raw.Get(http.Client, "drive/v3/about?fields=*")).Ok().Json;
        var nested = (await Raw.Get(http.Client, "drive/v3/about?fields=" + Q.Enc("user(emailAddress),maxUploadSize"))).Ok().Json;
        var unknown = await Raw.Get(http.Client, "drive/v3/about?fields=" + Q.Enc("user(shoeSize)"));

        Assert.Equal("drive#about", all["kind"]!.GetValue<string>());
        Assert.NotNull(all["maxUploadSize"]);
        Assert.NotNull(all["exportFormats"]);
        Assert.Equal(["emailAddress"], nested["user"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("invalidParameter", unknown.Reason);
    }
}
