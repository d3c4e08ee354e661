using System.Text.Json.Nodes;

namespace Backpack.Core.CaseStandard.Tests;

public sealed class CaseImportErrorTests
{
    private static BackpackValidationException Fails(JsonObject package) => Fails(package.ToJsonString());

    private static BackpackValidationException Fails(string json) =>
        Assert.Throws<BackpackValidationException>(() => CaseJson.Import(json));

    private static JsonObject District() => CaseTestData.ReadNode(CaseTestData.District);

    private static string Id(JsonNode? node) => node!["identifier"]!.GetValue<string>();

    [Fact]
    public void Import_MalformedJson_NamesLine()
    {
        var json = CaseTestData.Read("MarkdownFramework.json").Replace("\"creator\": \"OpenSALT Testing\",", "\"creator\": \"OpenSALT Testing\"", StringComparison.Ordinal);

        var problem = Assert.Single(Fails(json).Problems);

        Assert.Equal("case.json.well-formed", problem.Rule);
        Assert.Equal("$ (line 7, byte 5)", problem.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"CFDocument\": ")]
    public void Import_NotAPackage_FailsWithValidationException(string json)
    {
        Assert.NotEmpty(Fails(json).Problems);
    }

    [Fact]
    public void Import_MissingRequiredFields_ListsEveryOne()
    {
        var node = District();
        node["CFDocument"]!.AsObject().Remove("title");
        node["CFItems"]![1]!.AsObject().Remove("fullStatement");
        node["CFAssociations"]![4]!.AsObject().Remove("uri");

        var problems = Fails(node).Problems;

        Assert.Contains(problems, p => p.Path == "$.CFDocument.title" && p.Rule == "case.field.required");
        Assert.Contains(problems, p => p.Path == "$.CFItems[1].fullStatement" && p.Rule == "case.field.required");
        Assert.Contains(problems, p => p.Path == "$.CFAssociations[4].uri" && p.Rule == "case.field.required");
    }

    [Fact]
    public void Import_WrongTypes_NamesPaths()
    {
        var node = District();
        node["CFItems"]![0]!["fullStatement"] = 42;
        node["CFAssociations"]![0]!["sequenceNumber"] = "first";
        node["CFRubrics"]![0]!["CFRubricCriteria"]![0]!["CFRubricCriterionLevels"]![0]!["score"] = "four";

        var problems = Fails(node).Problems;

        Assert.Contains(problems, p => p.Path == "$.CFItems[0].fullStatement" && p.Rule == "case.json.type");
        Assert.Contains(problems, p => p.Path == "$.CFAssociations[0].sequenceNumber" && p.Rule == "case.json.type");
        Assert.Contains(problems, p => p.Path == "$.CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[0].score" && p.Rule == "case.json.type");
    }

    [Fact]
    public void Import_CycleInHierarchy_NamesAssociation()
    {
        var node = District();

        // s1 (item 0) becomes a child of its own grandchild i121 (item 5): s1 -> i121 -> i12 -> s1.
        var s1ToDocument = node["CFAssociations"]![0]!;
        s1ToDocument["destinationNodeURI"] = JsonNode.Parse(node["CFAssociations"]![5]!["originNodeURI"]!.ToJsonString());

        var problem = Assert.Single(Fails(node).Problems);

        Assert.Equal("case.hierarchy.cycle", problem.Rule);
        Assert.Equal("$.CFAssociations[0].destinationNodeURI.identifier", problem.Path);
        Assert.Contains(Id(node["CFItems"]![0]), problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ItemChildOfItself_IsCycle()
    {
        var node = District();
        node["CFAssociations"]![8]!["destinationNodeURI"] = JsonNode.Parse(node["CFAssociations"]![8]!["originNodeURI"]!.ToJsonString());

        var problem = Assert.Single(Fails(node).Problems);

        Assert.Equal(("$.CFAssociations[8].destinationNodeURI.identifier", "case.hierarchy.cycle"), (problem.Path, problem.Rule));
    }

    [Fact]
    public void Import_DanglingParent_NamesDestination()
    {
        var node = District();
        node["CFAssociations"]![3]!["destinationNodeURI"]!["identifier"] = "5d0f2c1e-7b3a-4e59-9c1d-2a8b7e6f5d40";

        var problem = Assert.Single(Fails(node).Problems);

        Assert.Equal(("$.CFAssociations[3].destinationNodeURI.identifier", "case.hierarchy.parent-unknown"), (problem.Path, problem.Rule));
    }

    [Fact]
    public void Import_DuplicateIdentifier_NamesSecondUse()
    {
        var node = District();
        node["CFItems"]![4]!["identifier"] = Id(node["CFItems"]![2]);

        var problems = Fails(node).Problems;

        Assert.Contains(problems, p => p.Path == "$.CFItems[4].identifier" && p.Rule == "case.identifier.unique" && p.Message.Contains("$.CFItems[2].identifier", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_NonGuidIdentifier_IsRejected()
    {
        var node = District();
        node["CFItems"]![1]!["identifier"] = "SS-2";
        node["CFRubrics"]![0]!["identifier"] = "{" + Id(node["CFRubrics"]![0]) + "}";

        var problems = Fails(node).Problems;

        Assert.Contains(problems, p => p.Path == "$.CFItems[1].identifier" && p.Rule == "case.identifier.guid");
        Assert.Contains(problems, p => p.Path == "$.CFRubrics[0].identifier" && p.Rule == "case.identifier.guid");
    }

    [Fact]
    public void Import_DuplicateLevelPositions_NamesLevel()
    {
        var node = District();
        var levels = node["CFRubrics"]![0]!["CFRubricCriteria"]![1]!["CFRubricCriterionLevels"]!;
        levels[0]!["position"] = 3; // Excelling now shares position 3 with Ready.

        var problems = Fails(node).Problems;

        Assert.Contains(problems, p => p.Rule == "rubric.levels.unique-positions" && p.Path.StartsWith("$.CFRubrics[0].CFRubricCriteria[1].CFRubricCriterionLevels[", StringComparison.Ordinal) && p.Path.EndsWith("].position", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_ScoresNotIncreasing_NamesLevelScore()
    {
        var node = District();
        var levels = node["CFRubrics"]![0]!["CFRubricCriteria"]![0]!["CFRubricCriterionLevels"]!;
        levels[1]!["score"] = 1; // Ready (position 3) scores 1, below Developing (2).

        var problem = Assert.Single(Fails(node).Problems);

        Assert.Equal(("$.CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[1].score", "rubric.levels.scores-increase"), (problem.Path, problem.Rule));
    }

    [Fact]
    public void Import_DuplicateLevelNames_NamesQuality()
    {
        var node = District();
        var levels = node["CFRubrics"]![0]!["CFRubricCriteria"]![2]!["CFRubricCriterionLevels"]!;
        levels[3]!["quality"] = "developing";

        var problems = Fails(node).Problems;

        Assert.Contains(problems, p => p.Rule == "rubric.levels.unique-names" && p.Path.StartsWith("$.CFRubrics[0].CFRubricCriteria[2].CFRubricCriterionLevels[", StringComparison.Ordinal) && p.Path.EndsWith("].quality", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_MeetsLevelOption_ChoosesNamedLevel()
    {
        var package = CaseJson.Import(CaseTestData.Read(CaseTestData.District), new CaseImportOptions { MeetsLevel = "excelling" }).Value;

        Assert.Equal("Excelling", package.Rubrics[0].MeetsLevel);
    }

    [Fact]
    public void Import_NoReadyLevel_TakesUpperHalfWithWarning()
    {
        var node = District();
        foreach (var criterion in node["CFRubrics"]![0]!["CFRubricCriteria"]!.AsArray())
        {
            criterion!["CFRubricCriterionLevels"]![1]!["quality"] = "Proficient";
        }

        var result = CaseJson.Import(node.ToJsonString());

        Assert.Equal("Proficient", result.Value.Rubrics[0].MeetsLevel);
        Assert.Contains(result.Warnings, w => w.Rule == "case.rubric.meets-level-chosen" && w.Path == "$.CFRubrics[0].CFRubricCriteria");
    }

    [Fact]
    public void Import_NoSharedUpperLevel_FailsNamingCriteria()
    {
        var node = District();
        var criteria = node["CFRubrics"]![0]!["CFRubricCriteria"]!.AsArray();
        criteria[0]!["CFRubricCriterionLevels"]![0]!["quality"] = "Mastery";
        criteria[0]!["CFRubricCriterionLevels"]![1]!["quality"] = "Proficient";

        var problem = Assert.Single(Fails(node).Problems);

        Assert.Equal(("$.CFRubrics[0].CFRubricCriteria", "case.rubric.meets-level"), (problem.Path, problem.Rule));
    }

    [Fact]
    public void Import_LoneSurrogateEscape_FailsWithValidationException()
    {
        var json = CaseTestData.Read("Utf8TestFramework.json").Replace("Item \U0001D451 1\"", "Item \\uD835 1\"", StringComparison.Ordinal);

        Assert.Contains(Fails(json).Problems, p => p.Rule == "case.json.encoding");
    }

    [Fact]
    public void Import_InvalidUtf8Stream_FailsWithValidationException()
    {
        using var stream = new MemoryStream([(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}']);

        Assert.Throws<BackpackValidationException>(() => CaseJson.Import(stream));
    }
}
