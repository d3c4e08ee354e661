using System.Text.Json.Nodes;
using FsCheck.Xunit;
using NJsonSchema;

namespace Backpack.Core.CaseStandard.Tests;

public sealed class CasePropertyTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => CaseTestData.Schema11Async().GetAwaiter().GetResult());

    private static readonly string[] Strings =
    [
        string.Empty, " ", "isChildOf", "ext:", "00000000-0000-0000-0000-000000000000", "not-a-guid",
        "2025-13-45T99:00:00Z", "https://example.org/x", "\U0001F680", "{", "null", "9f1c2b3a-4d5e-4f60-8a7b-1c2d3e4f5a6b",
    ];

    [Property(Arbitrary = [typeof(CaseArbitraries)])]
    public bool ImportOfExport_AnyPackage_GivesPackageBack(FrameworkPackage package)
    {
        var result = CaseJson.Import(CaseJson.Export(package));

        return result.Value == package && result.Warnings.All(w => w.Rule == "case.rubric.meets-level-chosen");
    }

    [Property(Arbitrary = [typeof(CaseArbitraries)])]
    public bool Export_AnyPackage_IsDeterministic(FrameworkPackage package)
    {
        var json = CaseJson.Export(package);

        return json == CaseJson.Export(package with { }) && json == CaseJson.Export(CaseJson.Import(json).Value);
    }

    [Property(Arbitrary = [typeof(CaseArbitraries)])]
    public bool Export_AnyPackage_ValidatesAgainstSchema(FrameworkPackage package) =>
        Schema.Value.Validate(CaseJson.Export(package)).Count == 0;

    [Property(Arbitrary = [typeof(CaseArbitraries)], MaxTest = 300)]
    public void Import_MutatedPackage_ImportsOrFailsWithValidationException(MutatedPackage input)
    {
        var json = Mutate(input.Json, new Random(input.Seed), input.Mutations);

        try
        {
            CaseJson.Import(json);
        }
        catch (BackpackValidationException ex)
        {
            Assert.NotEmpty(ex.Problems);
        }
    }

    [Property]
    public void Import_AnyText_ImportsOrFailsWithValidationException(string? text)
    {
        try
        {
            CaseJson.Import(text ?? string.Empty);
        }
        catch (BackpackValidationException ex)
        {
            Assert.NotEmpty(ex.Problems);
        }
    }

#pragma warning disable CA5394 // Test data, not security.
    private static string Mutate(string json, Random random, int mutations)
    {
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(8))
            {
                case 0:
                    return json[..random.Next(json.Length)];
                case 1:
                    var at = random.Next(json.Length);
                    json = json[..at] + Strings[random.Next(Strings.Length)] + json[at..];
                    continue;
            }

            JsonNode root;
            try
            {
                root = JsonNode.Parse(json)!;
            }
            catch (System.Text.Json.JsonException)
            {
                return json; // an earlier insertion already broke the text
            }

            var slots = new List<(JsonNode Container, object Key)>();
            Collect(root, slots);
            if (slots.Count == 0)
            {
                continue;
            }

            var (container, key) = slots[random.Next(slots.Count)];
            var current = container is JsonObject o ? o[(string)key] : container.AsArray()[(int)key];
            JsonNode? replacement = random.Next(7) switch
            {
                0 => null,
                1 => JsonValue.Create(random.Next(-3, 1000) * (random.Next(2) == 0 ? 1 : 0.5)),
                2 => JsonValue.Create(Strings[random.Next(Strings.Length)]),
                3 => JsonValue.Create(random.Next(2) == 0),
                4 => new JsonObject(),
                5 => new JsonArray(),
                _ => current?.DeepClone(),
            };

            switch (random.Next(4))
            {
                case 0 when container is JsonObject obj:
                    obj.Remove((string)key);
                    break;
                case 0 when container is JsonArray arr:
                    arr.RemoveAt((int)key);
                    break;
                case 1 when container is JsonArray arr:
                    arr.Add(current?.DeepClone()); // duplicate identifiers
                    break;
                case 2 when current is JsonValue && slots.Count > 1:
                    var (other, otherKey) = slots[random.Next(slots.Count)];
                    var value = other is JsonObject oo ? oo[(string)otherKey] : other.AsArray()[(int)otherKey];
                    Set(container, key, value?.DeepClone()); // e.g. an identifier moved elsewhere: cycles, dangling parents
                    break;
                default:
                    Set(container, key, replacement);
                    break;
            }

            try
            {
                json = root.ToJsonString();
            }
            catch (InvalidOperationException)
            {
                return json; // an earlier insertion split an escaped surrogate pair: keep that text
            }
        }

        return json;
    }
#pragma warning restore CA5394

    private static void Set(JsonNode container, object key, JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            obj[(string)key] = value;
        }
        else
        {
            container.AsArray()[(int)key] = value;
        }
    }

    private static void Collect(JsonNode? node, List<(JsonNode Container, object Key)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    slots.Add((obj, name));
                    Collect(child, slots);
                }

                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    slots.Add((arr, i));
                    Collect(arr[i], slots);
                }

                break;
        }
    }
}
