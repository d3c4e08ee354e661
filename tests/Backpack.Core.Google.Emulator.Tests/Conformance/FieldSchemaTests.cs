using System.Text.Json.Nodes;
using Xunit;

namespace Backpack.Core.Google.Emulator.Tests.Conformance;

/// <summary>The emulator's embedded field names (Schemas/fields.json) are exactly those of the discovery documents in TestData.</summary>
public sealed class FieldSchemaTests
{
    [Fact]
    public void EmbeddedFieldSchemas_EqualThoseDerivedFromTheDiscoveryDocuments()
    {
        var methods = new JsonObject();
        var schemas = new JsonObject();
        foreach (var (file, api) in new[] { ("drive.v3.json", "drive"), ("classroom.v1.json", "classroom") })
        {
            var doc = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", file)))!;
            foreach (var (name, schema) in doc["schemas"]!.AsObject())
            {
                schemas[api + ":" + name] = Properties(api, name, schema!["properties"]?.AsObject(), schemas);
            }

            void Walk(JsonObject resource)
            {
                foreach (var (_, m) in resource["methods"]?.AsObject() ?? [])
                {
                    if (m!["response"]?["$ref"] is { } r)
                    {
                        methods[m["id"]!.GetValue<string>()] = api + ":" + r.GetValue<string>();
                    }
                }

                foreach (var (_, child) in resource["resources"]?.AsObject() ?? [])
                {
                    Walk(child!.AsObject());
                }
            }

            Walk(doc);
        }

        using var stream = typeof(GoogleEmulator).Assembly.GetManifestResourceStream("Backpack.Core.Google.Emulator.Schemas.fields.json")!;
        var embedded = JsonNode.Parse(stream)!.AsObject();

        Assert.True(JsonNode.DeepEquals(methods, embedded["methods"]), "methods differ: regenerate src/Backpack.Core.Google.Emulator/Schemas/fields.json");
        Assert.True(JsonNode.DeepEquals(schemas, embedded["schemas"]), "schemas differ: regenerate src/Backpack.Core.Google.Emulator/Schemas/fields.json");
        Assert.Contains("Apache-2.0", embedded["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static JsonObject Properties(string api, string owner, JsonObject? properties, JsonObject schemas)
    {
        var result = new JsonObject();
        foreach (var (name, p) in (properties ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            result[name] = TypeOf(api, owner, name, p!.AsObject(), schemas);
        }

        return result;
    }

    private static string TypeOf(string api, string owner, string name, JsonObject p, JsonObject schemas)
    {
        if (p["$ref"] is { } r)
        {
            return api + ":" + r.GetValue<string>();
        }

        switch (p["type"]?.GetValue<string>())
        {
            case "array":
                return TypeOf(api, owner, name, p["items"]!.AsObject(), schemas);
            case "object" when p["properties"] is JsonObject inner:
                var synthetic = owner + "." + name;
                schemas[api + ":" + synthetic] = Properties(api, synthetic, inner, schemas);
                return api + ":" + synthetic;
            case "object":
                return "*";
            default:
                return string.Empty;
        }
    }
}
