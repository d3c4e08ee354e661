using System.Text.Json.Nodes;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;

namespace Backpack.Core.CaseStandard.Tests;

public sealed class CaseExportTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 8, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("MarkdownFramework.json")]
    [InlineData("Ordering.json")]
    [InlineData("SmartLevelFramework.json")]
    [InlineData("Utf8TestFramework.json")]
    public async Task Export_OpenSaltSample_ValidatesAgainstCase10Schema(string file)
    {
        var schema = await CaseTestData.SchemaAsync();

        var json = CaseJson.Export(CaseJson.Import(CaseTestData.Read(file)).Value);

        Assert.Empty(schema.Validate(json));
    }

    [Fact]
    public async Task Export_District_ValidatesAgainstCase11Schema()
    {
        var schema = await CaseTestData.Schema11Async();

        var json = CaseJson.Export(CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value);

        Assert.Empty(schema.Validate(json));
    }

    [Theory]
    [InlineData("MarkdownFramework.json")]
    [InlineData("Ordering.json")]
    [InlineData("SmartLevelFramework.json")]
    [InlineData("Utf8TestFramework.json")]
    [InlineData(CaseTestData.District)]
    public void Export_Sample_ImportsBackEqual(string file)
    {
        var package = CaseJson.Import(CaseTestData.Read(file)).Value;

        var json = CaseJson.Export(package);

        Assert.Equal(package, CaseJson.Import(json).Value);
        Assert.Equal(json, CaseJson.Export(CaseJson.Import(json).Value));
    }

    [Fact]
    public void Export_District_WritesCase11WithRubricsAndKeptLinks()
    {
        var source = CaseTestData.ReadNode(CaseTestData.District);

        var json = JsonNode.Parse(CaseJson.Export(CaseJson.Import(source.ToJsonString()).Value))!;

        Assert.Equal("1.1", json["CFDocument"]!["caseVersion"]!.GetValue<string>());
        Assert.Equal(source["CFDocument"]!["uri"]!.GetValue<string>(), json["CFDocument"]!["uri"]!.GetValue<string>());
        Assert.Equal(15, json["CFAssociations"]!.AsArray().Count);
        Assert.Equal(9, json["CFItems"]!.AsArray().Count);
        var levels = json["CFRubrics"]![0]!["CFRubricCriteria"]![0]!["CFRubricCriterionLevels"]!.AsArray();
        Assert.Equal(["Emerging", "Developing", "Ready", "Excelling"], levels.Select(l => l!["quality"]!.GetValue<string>()));
        var exemplar = json["CFAssociations"]!.AsArray().Single(a => a!["associationType"]!.GetValue<string>() == "exemplar")!;
        Assert.Equal("https://district.example/exemplars/presentation", exemplar["destinationNodeURI"]!["identifier"]!.GetValue<string>());
    }

    [Fact]
    public void Export_SamePackageTwice_GivesSameText()
    {
        var package = CaseJson.Import(CaseTestData.Read("Ordering.json")).Value;

        Assert.Equal(CaseJson.Export(package), CaseJson.Export(package with { }));
    }

    [Fact]
    public void Export_FrameworkBuiltInBackpack_UsesBaseUriAndStamp()
    {
        var skill = SkillId.New();
        var content = new FrameworkContent("Success Skills", ValueList<Skill>.Empty) { Creator = "District" }
            .AddSkill(skill, "Effective Communicator")
            .AddIndicator(skill, new Indicator(IndicatorId.New(), "Presents to an audience.", new GradeBand(GradeLevel.Grade(6), GradeLevel.Grade(8)), 1));
        var package = new FrameworkPackage(FrameworkId.New(), content, ValueList<Rubric>.Empty);

        var json = CaseJson.Export(package, new CaseExportOptions { BaseUri = new Uri("https://case.example.org/ims/case/v1p0"), LastChangeDateTime = Stamp });

        var node = JsonNode.Parse(json)!;
        Assert.Equal($"https://case.example.org/ims/case/v1p0/CFItems/{skill}", node["CFItems"]![0]!["uri"]!.GetValue<string>());
        Assert.Equal("2025-08-01T12:00:00Z", node["CFItems"]![1]!["lastChangeDateTime"]!.GetValue<string>());
        Assert.Equal(["06", "07", "08"], node["CFItems"]![1]!["educationLevel"]!.AsArray().Select(e => e!.GetValue<string>()));
        var back = CaseJson.Import(json).Value.Framework;
        Assert.Equal(content.Skills[0].Indicators[0].Grades, back.Skills[0].Indicators[0].Grades);
        Assert.Equal("Effective Communicator", back.Skills[0].Name);
    }

    [Fact]
    public void Export_NoBaseUriAndNoDocumentUri_WritesUrnUuids()
    {
        var content = new FrameworkContent("Success Skills", ValueList<Skill>.Empty) { LastChangeDateTime = Stamp }.AddSkill(SkillId.New(), "Collaborator");
        var id = FrameworkId.New();

        var node = JsonNode.Parse(CaseJson.Export(new FrameworkPackage(id, content, ValueList<Rubric>.Empty)))!;

        Assert.Equal($"urn:uuid:{id}", node["CFDocument"]!["uri"]!.GetValue<string>());
    }

    [Fact]
    public void Export_NoTimeKnown_FailsNamingField()
    {
        var content = new FrameworkContent("Success Skills", ValueList<Skill>.Empty);

        var ex = Assert.Throws<BackpackValidationException>(() => CaseJson.Export(new FrameworkPackage(FrameworkId.New(), content, ValueList<Rubric>.Empty)));

        Assert.Equal("case.export.last-change-required", Assert.Single(ex.Problems).Rule);
    }

    [Fact]
    public void Export_InvalidRubric_FailsWithRubricProblems()
    {
        var levels = ValueList.Of(new RubricLevel(LevelId.New(), "Ready", 3, 1), new RubricLevel(LevelId.New(), "Emerging", 1, 2));
        var rubric = new Rubric(RubricId.New(), 1, "Rubric", ValueList.Of(new RubricCriterion(CriterionId.New(), "Criterion", 1, levels)), "Ready");
        var content = new FrameworkContent("Success Skills", ValueList<Skill>.Empty) { LastChangeDateTime = Stamp };

        var ex = Assert.Throws<BackpackValidationException>(() => CaseJson.Export(new FrameworkPackage(FrameworkId.New(), content, ValueList.Of(rubric))));

        Assert.Contains(ex.Problems, p => p.Rule == "rubric.levels.scores-increase" && p.Path == "$.rubrics[0].criteria[0].levels[1].score");
    }

    [Fact]
    public void Export_HierarchyAssociations_HaveStableUuidIdentifiers()
    {
        var package = CaseJson.Import(CaseTestData.Read("SmartLevelFramework.json")).Value;

        var first = JsonNode.Parse(CaseJson.Export(package))!["CFAssociations"]!.AsArray();
        var second = JsonNode.Parse(CaseJson.Export(package, new CaseExportOptions { LastChangeDateTime = Stamp }))!["CFAssociations"]!.AsArray();

        var ids = first.Select(a => a!["identifier"]!.GetValue<string>()).ToList();
        Assert.Equal(ids, second.Select(a => a!["identifier"]!.GetValue<string>()));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
    }
}
