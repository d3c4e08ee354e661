using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>A batch part with <c>alt=media</c> answers with the file's bytes, its type and length, beside JSON parts.</summary>
public sealed class BatchMediaTests
{
    [Fact]
    public async Task Batch_PartsFetchingContent_CarryTheBytesWithTypeAndLength()
    {
        await using var emu = await GoogleEmulator.StartAsync();
        using var http = new Http(emu);
        var text = Encoding.UTF8.GetBytes("hello, batch");
        var id = (await Raw.Multipart(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=multipart", new JsonObject { ["name"] = "t.txt" }, text, "text/plain")).Ok().Json["id"]!.GetValue<string>();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47 };
        var image = (await Raw.Media(http.Client, HttpMethod.Post, "upload/drive/v3/files?uploadType=media", png, "image/png")).Ok().Json["id"]!.GetValue<string>();
        const string Boundary = "batch_conformance";
        var body = $"--{Boundary}\r\nContent-Type: application/http\r\nContent-ID: <a>\r\n\r\nGET /drive/v3/files/{id}?alt=media HTTP/1.1\r\n\r\n"
            + $"--{Boundary}\r\nContent-Type: application/http\r\nContent-ID: <b>\r\n\r\nGET /drive/v3/files/{id}?fields=name HTTP/1.1\r\n\r\n"
            + $"--{Boundary}\r\nContent-Type: application/http\r\nContent-ID: <c>\r\n\r\nGET /drive/v3/files/{image}?alt=media HTTP/1.1\r\n\r\n"
            + $"--{Boundary}--\r\n";
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={Boundary}");

        var reply = (await Raw.Send(http.Client, HttpMethod.Post, "batch/drive/v3", content)).Ok();
        var parts = Parse(reply.Body, reply.ContentType!);

        Assert.Equal(3, parts.Count);
        Assert.Equal(("<response-a>", 200, "text/plain"), (parts[0].ContentId, parts[0].Status, parts[0].ContentType));
        Assert.Equal(text, parts[0].Body);
        Assert.Equal("t.txt", JsonNode.Parse(parts[1].Body)!["name"]!.GetValue<string>());
        Assert.Equal(("<response-c>", 200, "image/png"), (parts[2].ContentId, parts[2].Status, parts[2].ContentType));
        Assert.Equal(png, parts[2].Body);
        Assert.Equal(3, emu.GetStatistics().CallsOf("drive.files.get"));
    }

    /// <summary>Reads a multipart/mixed batch reply, each part's inner HTTP response cut by its Content-Length.</summary>
    private static List<(string ContentId, int Status, string? ContentType, byte[] Body)> Parse(byte[] reply, string contentType)
    {
        var boundary = "--" + contentType.Split("boundary=")[1].Trim('"');
        var result = new List<(string, int, string?, byte[])>();
        var latin = Encoding.Latin1.GetString(reply);
        foreach (var chunk in latin.Split(boundary).Skip(1))
        {
            if (chunk.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var outerEnd = chunk.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var contentId = chunk[..outerEnd].Split("\r\n").Single(l => l.StartsWith("Content-ID:", StringComparison.Ordinal))["Content-ID:".Length..].Trim();
            var inner = chunk[(outerEnd + 4)..];
            var innerEnd = inner.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var lines = inner[..innerEnd].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var length = int.Parse(headers["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
            var body = Encoding.Latin1.GetBytes(inner.Substring(innerEnd + 4, length));
            result.Add((contentId, status, headers.GetValueOrDefault("Content-Type"), body));
        }

        return result;
    }
}
