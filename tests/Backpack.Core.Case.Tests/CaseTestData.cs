using System.Text.Json.Nodes;
using NJsonSchema;

namespace Backpack.Core.CaseStandard.Tests;

/// <summary>The CASE samples under TestData/Case and the CFPackage schema.</summary>
internal static class CaseTestData
{
    public const string District = "DistrictGraduateProfile.json";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "Case");

    public static string Read(string file) => File.ReadAllText(Path.Combine(Folder, file));

    public static JsonObject ReadNode(string file) => JsonNode.Parse(Read(file))!.AsObject();

    /// <summary>The CASE 1.0 CFPackage schema as published.</summary>
    public static Task<JsonSchema> SchemaAsync() => JsonSchema.FromJsonAsync(Read("case-v1p0-cfpackage-schema.json"));

    /// <summary>
    /// The CASE 1.0 schema with the CASE 1.1 additions an export may use: <c>targetType</c> on node links,
    /// the <c>isTranslationOf</c> association type and <c>ext:</c> extension types.
    /// </summary>
    public static Task<JsonSchema> Schema11Async()
    {
        var schema = JsonNode.Parse(Read("case-v1p0-cfpackage-schema.json"))!.AsObject();
        var definitions = schema["definitions"]!.AsObject();
        definitions["LinkGenURI"]!["properties"]!.AsObject()["targetType"] = new JsonObject { ["type"] = "string" };
        var type = definitions["CFPackageAssociation"]!["properties"]!["associationType"]!.AsObject();
        type.Remove("enum");
        type["pattern"] = "^(isChildOf|isPeerOf|isPartOf|exactMatchOf|precedes|isRelatedTo|replacedBy|exemplar|hasSkillLevel|isTranslationOf|ext:.+)$";
        return JsonSchema.FromJsonAsync(schema.ToJsonString());
    }
}
