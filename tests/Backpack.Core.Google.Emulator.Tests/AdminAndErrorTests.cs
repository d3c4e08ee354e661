using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class AdminAndErrorTests
{
    [Fact]
    public async Task StartAsync_DefaultOptions_ListensOnLoopbackWithFreePort()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        Assert.Equal("127.0.0.1", emu.BaseUri.Host);
        Assert.NotEqual(0, emu.BaseUri.Port);
        Assert.Equal(new Uri(emu.BaseUri, "drive/v3/"), emu.DriveBaseUri);
        Assert.Equal(new Uri(emu.BaseUri, "batch/drive/v3"), emu.DriveBatchUri);
        Assert.Equal(new Uri(emu.BaseUri, "upload/drive/v3/"), emu.DriveUploadUri);
    }

    [Fact]
    public async Task Request_WithoutAuthorization_Returns401InGoogleFormat()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu, token: null);
        var reply = await http.Get("drive/v3/files");
        reply.AssertStatus(HttpStatusCode.Unauthorized);
        var error = reply.Json["error"]!;
        Assert.Equal(401, error["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.Equal("global", error["errors"]![0]!["domain"]!.GetValue<string>());
        Assert.Equal("required", reply.Reason);
        Assert.Equal(0, emu.GetStatistics().TotalMethodCalls);
    }

    [Fact]
    public async Task Get_UnknownFile_Returns404NotFoundInGoogleFormat()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var reply = await http.Get("drive/v3/files/nope");
        reply.AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal("notFound", reply.Reason);
        Assert.Equal("File not found: nope.", reply.Json["error"]!["message"]!.GetValue<string>());
        Assert.Equal(404, reply.Json["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_UnknownPath_Returns404()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        (await http.Get("drive/v3/nothing/here")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400ParseError()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.Client.PostAsync("drive/v3/files", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("parseError", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":5}")]
    [InlineData("{\"parents\":[5]}")]
    [InlineData("{\"parents\":\"root\"}")]
    [InlineData("{\"mimeType\":\"application/vnd.google-apps.shortcut\",\"shortcutDetails\":{\"targetId\":true}}")]
    [InlineData("{\"appProperties\":[1]}")]
    [InlineData("{\"trashed\":\"yes\"}")]
    [InlineData("[1,2]")]
    public async Task Create_WrongJsonTypes_Returns400Not500(string json)
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.Client.PostAsync("drive/v3/files", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, emu.DriveFileCount);
    }

    [Fact]
    public async Task Stats_AfterCalls_CountsHttpRequestsMethodsAndQuotaUnits()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        await http.CreateFolder("a");
        await http.Get("drive/v3/files");
        await http.Get("drive/v3/files");

        var stats = emu.GetStatistics();
        Assert.Equal(3, stats.HttpRequests);
        Assert.Equal(1, stats.CallsOf("drive.files.create"));
        Assert.Equal(2, stats.CallsOf("drive.files.list"));
        Assert.Equal(3, stats.QuotaUnits);

        var overHttp = await http.Get("_emulator/stats");
        overHttp.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, overHttp.Json["methodCalls"]!["drive.files.list"]!.GetValue<long>());
        Assert.Equal(3, overHttp.Json["httpRequests"]!.GetValue<long>());
    }

    [Fact]
    public async Task Reset_OverHttp_ClearsStateAndCounters()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        await http.CreateFolder("a");
        var state = await http.Get("_emulator/state");
        Assert.Single(state.Json["drive"]!["files"]!.AsArray());

        (await http.Post("_emulator/reset")).AssertStatus(HttpStatusCode.NoContent);

        Assert.Equal(0, emu.DriveFileCount);
        Assert.Equal(0, emu.GetStatistics().HttpRequests);
        state = await http.Get("_emulator/state");
        Assert.Empty(state.Json["drive"]!["files"]!.AsArray());
    }

    [Fact]
    public async Task SeedDriveFile_WithCustomId_IsReadableOverHttp()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        var id = emu.SeedDriveFile(new JsonObject { ["id"] = "seeded-1", ["name"] = "Seed", ["mimeType"] = "text/plain" }, [1, 2, 3]);
        Assert.Equal("seeded-1", id);
        using var http = new Http(emu);
        var reply = await http.Get("drive/v3/files/seeded-1?fields=id,name,size");
        reply.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("3", reply.Json["size"]!.GetValue<string>());
        Assert.Equal(new byte[] { 1, 2, 3 }, emu.GetDriveFileContent("seeded-1"));
        Assert.Equal(1, emu.GetStatistics().HttpRequests);
    }

    [Fact]
    public async Task StartAsync_FixedPort_UsesThatPort()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { Port = port });
        Assert.Equal(port, emu.BaseUri.Port);
    }
}
