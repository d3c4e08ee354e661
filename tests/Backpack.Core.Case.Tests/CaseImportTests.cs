using System.Text;
using Backpack.Core.Frameworks;
using Backpack.Core.Rubrics;
using Backpack.Core.Serialization;
using Backpack.Core.Students;

namespace Backpack.Core.CaseStandard.Tests;

public sealed class CaseImportTests
{
    [Theory]
    [InlineData("MarkdownFramework.json", 2, 2, 0, 0, 0)]
    [InlineData("Ordering.json", 28, 1, 27, 0, 0)]
    [InlineData("SmartLevelFramework.json", 14, 2, 12, 0, 0)]
    [InlineData("Utf8TestFramework.json", 1, 1, 0, 0, 0)]
    [InlineData(CaseTestData.District, 9, 3, 6, 6, 1)]
    public void Import_Sample_HasExpectedCounts(string file, int items, int skills, int indicators, int associations, int rubrics)
    {
        var result = CaseJson.Import(CaseTestData.Read(file));

        var framework = result.Value.Framework;
        Assert.Equal(skills, framework.Skills.Count);
        Assert.Equal(indicators, framework.Skills.Sum(s => s.Indicators.Count));
        Assert.Equal(items, framework.Skills.Count + framework.Skills.Sum(s => s.Indicators.Count));
        Assert.Equal(associations, framework.Associations.Count);
        Assert.Equal(rubrics, result.Value.Rubrics.Count);
        Assert.Equal(Enumerable.Range(1, skills), framework.Skills.Select(s => s.Position));
        Assert.Empty(framework.Validate());
    }

    [Fact]
    public void Import_District_MapsDocumentFields()
    {
        var package = CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value;

        var f = package.Framework;
        Assert.Equal("Graduate Profile: Success Skills", f.Title);
        Assert.Equal("What every graduate knows and can do.", f.Description);
        Assert.Equal("Example Unified School District", f.Creator);
        Assert.Equal("2025", f.VersionLabel);
        Assert.Equal("en", f.Language);
        Assert.Equal("EUSD Teaching and Learning", f.Publisher);
        Assert.Equal("Adopted", f.AdoptionStatus);
        Assert.Equal(["Graduate Profile"], f.Subjects);
        Assert.Equal("CC BY 4.0", f.License?.Title);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 18, 0, 0, TimeSpan.Zero), f.LastChangeDateTime);
        Assert.StartsWith("https://case.district.example/ims/case/v1p0/CFDocuments/", f.Uri, StringComparison.Ordinal);
        Assert.Equal(package.Id.ToString(), f.Uri![^36..]);
    }

    [Fact]
    public void Import_District_OrdersSkillsBySequenceNumber()
    {
        var skills = CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value.Framework.Skills;

        Assert.Equal(["SS.2", "SS.1", "SS.3"], skills.Select(s => s.Code));
        Assert.Equal("Communicator", skills[1].AbbreviatedStatement);
        Assert.Equal("Competency", skills[1].ItemType);
        Assert.Equal("Creates and tests new ideas.", skills[2].Description);
    }

    [Fact]
    public void Import_District_MapsIndicatorsWithGradeBandsAndDeepBranches()
    {
        var communicator = CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value.Framework.Skills[1];

        Assert.Equal(["SS.1.a", "SS.1.b", "SS.1.b.1"], communicator.Indicators.Select(i => i.Code));
        Assert.Equal([1, 2, 3], communicator.Indicators.Select(i => i.Position));
        Assert.Equal(new GradeBand(GradeLevel.Kindergarten, GradeLevel.Grade(2)), communicator.Indicators[0].Grades);
        Assert.Equal(new GradeBand(GradeLevel.Grade(6), GradeLevel.Grade(8)), communicator.Indicators[1].Grades);
        Assert.Null(communicator.Indicators[1].Parent);
        Assert.Equal(communicator.Indicators[1].Id, communicator.Indicators[2].Parent);
    }

    [Fact]
    public void Import_ItemWithoutEducationLevel_AppliesToAllGrades()
    {
        var innovator = CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value.Framework.Skills[2];

        Assert.Equal(GradeBand.All, innovator.Indicators.Single(i => i.Code == "SS.3.b").Grades);
    }

    [Fact]
    public void Import_District_KeepsEveryOtherAssociation()
    {
        var links = CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value.Framework.Associations;

        Assert.Equal(["exactMatchOf", "isRelatedTo", "exemplar", "precedes", "isPeerOf", "ext:alignsToBadge"], links.Select(a => a.Type));
        Assert.Equal("CFItem", links[0].Destination.TargetType);
        Assert.Equal("https://district.example/exemplars/presentation", links[2].Destination.Identifier);
        Assert.Equal(1, links[3].SequenceNumber);
    }

    [Fact]
    public void Import_District_MapsRubric()
    {
        var package = CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value;
        var rubric = Assert.Single(package.Rubrics);
        var skills = package.Framework.Skills;

        Assert.Equal("Success Skills Rubric", rubric.Title);
        Assert.Equal(1, rubric.Version);
        Assert.Equal("Ready", rubric.MeetsLevel);
        Assert.Empty(rubric.Validate());
        Assert.Equal(["Emerging", "Developing", "Ready", "Excelling"], rubric.Criteria[0].Levels.Select(l => l.Name));
        Assert.Equal([1m, 2m, 3m, 4m], rubric.Criteria[0].Levels.Select(l => l.Score));
        Assert.Equal("Feedback for Ready.", rubric.Criteria[0].Levels[2].Feedback);
        Assert.Equal(skills[1].Id, rubric.Criteria[0].SkillId);
        Assert.Null(rubric.Criteria[0].AlignedItem);
        Assert.Equal(skills[0].Id, rubric.Criteria[1].SkillId);

        // The third criterion points at an indicator: it scores that indicator's skill and keeps the link.
        var third = rubric.Criteria[2];
        Assert.Equal(skills[1].Id, third.SkillId);
        Assert.Equal(skills[1].Indicators[2].Id.ToString(), third.AlignedItem?.Identifier);
        Assert.Equal(0.5m, third.Weight);
    }

    [Fact]
    public void Import_OpenSaltIdentifiers_WarnsWithPath()
    {
        var result = CaseJson.Import(CaseTestData.Read("Utf8TestFramework.json"));

        Assert.Equal("UTF8 \U0001D451 Test", result.Value.Framework.Title);
        Assert.Equal(["$.CFDocument.identifier", "$.CFItems[0].identifier", "$.CFAssociations[0].identifier"], result.Warnings.Select(w => w.Path));
        Assert.All(result.Warnings, w => Assert.Equal("case.identifier.uuid-variant", w.Rule));
    }

    [Fact]
    public void Import_SequenceNumbersAsStrings_ImportsInTheSameOrderWithWarningsNamingThePaths()
    {
        // OpenSALT exports associations' sequenceNumber as a JSON string ("1"): read the number, warn with the path.
        var text = CaseTestData.Read(CaseTestData.District);
        var quoted = System.Text.RegularExpressions.Regex.Replace(text, "\"sequenceNumber\": (\\d+)", "\"sequenceNumber\": \"$1\"");
        Assert.NotEqual(text, quoted);

        var result = CaseJson.Import(quoted);

        Assert.Equal(CaseJson.Import(text).Value, result.Value);
        Assert.NotEmpty(result.Warnings);
        Assert.All(result.Warnings, w => Assert.Equal("case.json.number-as-string", w.Rule));
        Assert.All(result.Warnings, w => Assert.Matches("^\\$\\.CFAssociations\\[\\d+\\]\\.sequenceNumber$", w.Path));
    }

    [Fact]
    public void Import_District_HasNoWarnings()
    {
        Assert.Empty(CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Warnings);
    }

    [Fact]
    public void Import_Ordering_KeepsFiveLevelTreeUnderOneSkill()
    {
        var skill = Assert.Single(CaseJson.Import(CaseTestData.Read("Ordering.json")).Value.Framework.Skills);

        Assert.Equal("H.A.MATH.GM", skill.Code);
        Assert.Equal(Enumerable.Range(1, 27), skill.Indicators.Select(i => i.Position));
        Assert.Null(skill.Indicators[0].Parent);
        var byId = skill.Indicators.ToDictionary(i => i.Id);
        int Depth(Indicator i) => i.Parent is { } p ? 1 + Depth(byId[p]) : 1;
        Assert.Equal(4, skill.Indicators.Max(Depth));

        // Depth first: every indicator comes after its parent.
        var index = skill.Indicators.Select((i, n) => (i.Id, n)).ToDictionary(x => x.Id, x => x.n);
        Assert.All(skill.Indicators.Where(i => i.Parent is not null), i => Assert.True(index[i.Parent!.Value] < index[i.Id]));
    }

    [Fact]
    public void Import_Case10Package_HasNoRubricsAndImports()
    {
        var json = CaseTestData.Read("MarkdownFramework.json");

        var package = CaseJson.Import(json).Value;

        Assert.DoesNotContain("caseVersion", json, StringComparison.Ordinal);
        Assert.Empty(package.Rubrics);
        Assert.Equal(["MD.Table", "MD.Math"], package.Framework.Skills.Select(s => s.Code));
    }

    [Fact]
    public void Import_Stream_EqualsImportOfText()
    {
        var json = CaseTestData.Read(CaseTestData.District);
        using var stream = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);

        Assert.Equal(CaseJson.Import(json).Value, CaseJson.Import(stream).Value);
    }

    [Fact]
    public void Import_EducationLevelNotAGrade_WarnsAndAppliesToAllGrades()
    {
        var node = CaseTestData.ReadNode(CaseTestData.District);
        node["CFItems"]![3]!["educationLevel"] = new System.Text.Json.Nodes.JsonArray("HS", "AP");

        var result = CaseJson.Import(node.ToJsonString());

        Assert.Equal(GradeBand.All, result.Value.Framework.Skills[1].Indicators[0].Grades);
        Assert.Equal(2, result.Warnings.Count(w => w.Rule == "case.education-level.unknown" && w.Path == "$.CFItems[3].educationLevel"));
    }

    [Fact]
    public void Import_ItemWithoutParent_IsReadAsLastSkillWithWarning()
    {
        var node = CaseTestData.ReadNode(CaseTestData.District);
        node["CFAssociations"]!.AsArray().RemoveAt(2); // s3 isChildOf document

        var result = CaseJson.Import(node.ToJsonString());

        Assert.Equal("SS.3", result.Value.Framework.Skills[^1].Code);
        Assert.Contains(result.Warnings, w => w.Rule == "case.hierarchy.orphan" && w.Path == "$.CFItems[2]");
    }

    [Fact]
    public void Import_District_SurvivesBackpackJsonStorage()
    {
        var package = CaseJson.Import(CaseTestData.Read(CaseTestData.District)).Value;

        Assert.Equal(package.Framework, BackpackJson.Deserialize<FrameworkContent>(BackpackJson.Serialize(package.Framework)));
        Assert.Equal(package.Rubrics[0], BackpackJson.Deserialize<Rubric>(BackpackJson.Serialize(package.Rubrics[0])));
    }
}
