using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests;

public sealed class CorruptBodyTests
{
    private static async Task<(HttpStatusCode Status, string Body, int Files)> CreateWithFaultAsync(FaultKind kind, int seed, int occurrence = 1)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { TimeProvider = clock });
        emu.SetFaults(new FaultOptions { Seed = seed, Schedule = { new ScheduledFault("drive.files.create", occurrence, kind) } });
        using var http = new Http(emu);
        var reply = await http.Post("drive/v3/files?fields=" + Q.Enc("id,name,mimeType,createdTime,size,md5Checksum,parents,permissions"), new JsonObject { ["name"] = "report.pdf", ["mimeType"] = "application/pdf" });
        return (reply.Status, reply.Text, emu.DriveFileCount);
    }

    [Fact]
    public async Task CorruptBody_ScheduledOnCreate_AppliesTheCallKeepsTheStatusAndMutatesTheBody()
    {
        var normal = await CreateWithFaultAsync(FaultKind.CorruptBody, 0, occurrence: 2);
        Assert.True(IsJson(normal.Body));

        var bodies = new HashSet<string>();
        for (var seed = 0; seed < 20; seed++)
        {
            var (status, body, files) = await CreateWithFaultAsync(FaultKind.CorruptBody, seed);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(1, files);
            Assert.NotEqual(normal.Body, body);
            bodies.Add(body);
        }

        Assert.True(bodies.Count > 15, "the mutations should differ from seed to seed");
        Assert.Contains(bodies, IsJson);
        Assert.Contains(bodies, b => !IsJson(b));
    }

    [Fact]
    public async Task CorruptBody_SameSeed_SameBody()
    {
        var first = await CreateWithFaultAsync(FaultKind.CorruptBody, 11);
        var second = await CreateWithFaultAsync(FaultKind.CorruptBody, 11);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task TruncatedBody_ScheduledOnCreate_IsAPrefixOfTheNormalBody()
    {
        await using var emu = await GoogleEmulator.StartAsync(new GoogleEmulatorOptions { Seed = 5 });
        using var http = new Http(emu);
        var normalCompact = (await http.Post("drive/v3/files?fields=id,name&prettyPrint=false", new JsonObject { ["name"] = "a" })).Text;
        emu.Reset();
        emu.SetFaults(new FaultOptions { Seed = 3, Schedule = { new ScheduledFault("drive.files.create", 1, FaultKind.TruncatedBody) } });

        var truncated = await http.Post("drive/v3/files?fields=id,name&prettyPrint=false", new JsonObject { ["name"] = "a" });

        Assert.Equal(HttpStatusCode.OK, truncated.Status);
        Assert.True(normalCompact.Length > truncated.Text.Length);
        Assert.StartsWith(truncated.Text, normalCompact, StringComparison.Ordinal);
        Assert.Equal(1, emu.DriveFileCount);
        Assert.Equal(1, emu.GetStatistics().FaultsInjected[FaultKind.TruncatedBody]);
    }

    [Fact]
    public async Task CorruptBody_InABatchPart_MutatesOnlyThatPart()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var id = await http.CreateFile("a");
        emu.SetFaults(new FaultOptions { Seed = 1, Schedule = { new ScheduledFault("drive.files.get", 2, FaultKind.TruncatedBody) } });
        const string Boundary = "b";
        var body = string.Concat(Enumerable.Range(0, 3).Select(_ => $"--{Boundary}\r\nContent-Type: application/http\r\n\r\nGET /drive/v3/files/{id}?fields=id,name HTTP/1.1\r\n\r\n")) + $"--{Boundary}--\r\n";
        using var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={Boundary}");

        using var response = await http.Client.PostAsync("batch/drive/v3", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, text.Split($"\"id\": \"{id}\"").Length - 1);
    }

    private static bool IsJson(string text)
    {
        try
        {
            JsonDocument.Parse(text).Dispose();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
