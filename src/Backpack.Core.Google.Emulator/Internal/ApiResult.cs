using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>What a method call answers: a status, a JSON body or raw bytes, headers.</summary>
internal sealed class ApiResult
{
    public ApiResult(int status, JsonNode? json = null)
    {
        Status = status;
        Json = json;
    }

    public int Status { get; }

    public JsonNode? Json { get; set; }

    public byte[]? Raw { get; init; }

    public string? RawContentType { get; init; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Set when the connection must be dropped instead of answered.</summary>
    public bool Abort { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public static ApiResult Ok(JsonNode json) => new(200, json);

    public static ApiResult NoContent() => new(204);

    public static ApiResult Dropped() => new(0) { Abort = true };
}
