using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Tests;

/// <summary>Plain HTTP helpers over an emulator.</summary>
internal sealed class Http : IDisposable
{
    private readonly HttpClient client;

    public Http(GoogleEmulator emulator, string? token = "test-token")
    {
        client = new HttpClient { BaseAddress = emulator.BaseUri };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public HttpClient Client => client;

    public Task<Reply> Get(string path) => Send(HttpMethod.Get, path, null);

    public Task<Reply> Post(string path, JsonNode? body = null) => Send(HttpMethod.Post, path, body);

    public Task<Reply> Patch(string path, JsonNode? body) => Send(HttpMethod.Patch, path, body);

    public Task<Reply> Delete(string path) => Send(HttpMethod.Delete, path, null);

    public async Task<Reply> Send(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers.RetryAfter?.Delta, response.Headers.Location);
    }

    public async Task<string> CreateFolder(string name, string? parent = null)
    {
        var body = new JsonObject { ["name"] = name, ["mimeType"] = "application/vnd.google-apps.folder" };
        if (parent is not null)
        {
            body["parents"] = new JsonArray(parent);
        }

        var reply = await Post("drive/v3/files", body);
        reply.AssertStatus(HttpStatusCode.OK);
        return reply.Json["id"]!.GetValue<string>();
    }

    public async Task<string> CreateFile(string name, string? parent = null, JsonObject? extra = null)
    {
        var body = extra ?? [];
        body["name"] = name;
        body["mimeType"] ??= "text/plain";
        if (parent is not null)
        {
            body["parents"] = new JsonArray(parent);
        }

        var reply = await Post("drive/v3/files", body);
        reply.AssertStatus(HttpStatusCode.OK);
        return reply.Json["id"]!.GetValue<string>();
    }

    public void Dispose() => client.Dispose();
}

internal sealed record Reply(HttpStatusCode Status, string Text, TimeSpan? RetryAfter, Uri? Location)
{
    public JsonObject Json => (JsonObject)JsonNode.Parse(Text)!;

    public string? Reason => Json["error"]?["errors"]?[0]?["reason"]?.GetValue<string>();

    public void AssertStatus(HttpStatusCode expected)
    {
        if (Status != expected)
        {
            throw new Xunit.Sdk.XunitException($"Expected {(int)expected} but got {(int)Status}: {Text}");
        }
    }
}

internal static class Q
{
    public static string Enc(string s) => Uri.EscapeDataString(s);
}
