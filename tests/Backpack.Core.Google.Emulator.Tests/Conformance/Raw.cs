using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>A raw HTTP reply with its Date header, for the requests Google.Apis cannot express.</summary>
internal sealed record RawReply(HttpStatusCode Status, byte[] Body, string? ContentType, DateTimeOffset? Date, IReadOnlyDictionary<string, string> Headers)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;

    public string? Reason => Json["error"]?["errors"]?[0]?["reason"]?.GetValue<string>();

    public string? Location => Json["error"]?["errors"]?[0]?["location"]?.GetValue<string>();

    public string? Message => Json["error"]?["message"]?.GetValue<string>();

    public RawReply Ok()
    {
        if (Status != HttpStatusCode.OK)
        {
            throw new Xunit.Sdk.XunitException($"Expected 200 but got {(int)Status}: {Text}");
        }

        return this;
    }
}

internal static class Raw
{
    public static async Task<RawReply> Send(HttpClient client, HttpMethod method, string path, HttpContent? content = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        using var response = await client.SendAsync(request);
        var all = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new RawReply(response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.ToString(), response.Headers.Date, all);
    }

    public static Task<RawReply> Get(HttpClient client, string path) => Send(client, HttpMethod.Get, path);

    public static Task<RawReply> Json(HttpClient client, HttpMethod method, string path, JsonNode body) =>
        Send(client, method, path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>A simple upload (<c>uploadType=media</c>): the body is the content.</summary>
    public static Task<RawReply> Media(HttpClient client, HttpMethod method, string path, byte[] content, string? contentType)
    {
        var body = new ByteArrayContent(content);
        if (contentType is not null)
        {
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return Send(client, method, path, body);
    }

    /// <summary>A multipart upload: a JSON metadata part, then the media part with its own Content-Type.</summary>
    public static Task<RawReply> Multipart(HttpClient client, HttpMethod method, string path, JsonObject metadata, byte[] content, string? mediaType)
    {
        var multipart = new MultipartContent("related", "conformance_boundary");
        multipart.Add(new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json"));
        var media = new ByteArrayContent(content);
        if (mediaType is not null)
        {
            media.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }

        multipart.Add(media);
        return Send(client, method, path, multipart);
    }

    /// <summary>A resumable upload in one PUT after the session start; returns the final reply.</summary>
    public static async Task<RawReply> Resumable(HttpClient client, HttpMethod method, string path, JsonObject metadata, byte[] content, string? uploadContentType)
    {
        var headers = new Dictionary<string, string> { ["X-Upload-Content-Length"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (uploadContentType is not null)
        {
            headers["X-Upload-Content-Type"] = uploadContentType;
        }

        var start = await Send(client, method, path, new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json"), headers);
        start.Ok();
        var session = start.Headers["Location"];
        var put = new ByteArrayContent(content);
        put.Headers.ContentRange = new ContentRangeHeaderValue(0, Math.Max(0, content.Length - 1), content.Length);
        return await Send(client, HttpMethod.Put, session, put);
    }

    public static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    public static string Md5Hex(byte[] bytes) =>
#pragma warning disable CA5351 // Checks Drive's md5Checksum.
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));
#pragma warning restore CA5351
}
