using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal;

internal static class JsonText
{
    /// <summary>A JSON string value, null when absent, or 400 <c>invalid</c> when it is not a string.</summary>
    public static string? AsText(this JsonNode? node, string location)
    {
        if (node is null)
        {
            return null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw new ApiErrorException(400, "invalid", $"Invalid value for {location}: expected a string.", location: location, locationType: "other");
    }
}
