using System.Text.Json.Nodes;

namespace Backpack.Core.Google.Emulator.Internal;

/// <summary>
/// The field names of every response schema of Drive v3 and Classroom v1, derived from Google's discovery documents
/// (embedded <c>Schemas/fields.json</c>), so that a <c>fields</c> mask naming a field the resource does not have is
/// rejected as Google rejects it.
/// </summary>
internal static class FieldSchemas
{
    /// <summary>Marks a map (an object with arbitrary keys, such as <c>appProperties</c>): anything below is allowed.</summary>
    public const string OpenMap = "*";

    private static readonly Lazy<(Dictionary<string, string> Methods, Dictionary<string, Dictionary<string, string>> Schemas)> Data = new(Load);

    /// <summary>The response schema of a method, or null when the method returns no body.</summary>
    public static string? ResponseOf(string methodId) => Data.Value.Methods.TryGetValue(methodId, out var s) ? s : null;

    /// <summary>The properties of a schema (name to child schema, empty for scalars, <see cref="OpenMap"/> for maps).</summary>
    public static IReadOnlyDictionary<string, string>? Properties(string schema) => Data.Value.Schemas.TryGetValue(schema, out var p) ? p : null;

    private static (Dictionary<string, string>, Dictionary<string, Dictionary<string, string>>) Load()
    {
        using var stream = typeof(FieldSchemas).Assembly.GetManifestResourceStream("Backpack.Core.Google.Emulator.Schemas.fields.json")
            ?? throw new InvalidOperationException("The embedded field schemas are missing.");
        var root = JsonNode.Parse(stream)!.AsObject();
        var methods = root["methods"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
        var schemas = root["schemas"]!.AsObject().ToDictionary(
            kv => kv.Key,
            kv => kv.Value!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal),
            StringComparer.Ordinal);
        return (methods, schemas);
    }
}
