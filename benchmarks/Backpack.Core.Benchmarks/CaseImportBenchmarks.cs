using System.Text.Json;
using Backpack.Core;
using Backpack.Core.Frameworks;
using Backpack.Core.Case;
using Backpack.Core.Rubrics;
using Backpack.Core.Students;
using BenchmarkDotNet.Attributes;

namespace Backpack.Core.Benchmarks;

/// <summary>
/// CASE import of a large framework (a state standards set: 50 top-level skills with 4,000 indicators in
/// three grade bands, 1,000 exact-match links to another framework, 10 rubrics). Baseline: parsing the
/// same bytes into a <see cref="JsonDocument"/>, the floor any importer pays before mapping anything.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CaseImportBenchmarks
{
    private string _json = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        Guid NewId()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        var bands = new[] { new GradeBand(GradeLevel.Kindergarten, GradeLevel.Grade(5)), new GradeBand(GradeLevel.Grade(6), GradeLevel.Grade(8)), new GradeBand(GradeLevel.Grade(9), GradeLevel.Grade(12)) };
        var skills = Enumerable.Range(1, 50).Select(s => new Skill(SkillId.From(NewId()), $"Standard {s}: students analyse, argue and create", s)
        {
            Code = $"ST.{s}",
            Indicators = Enumerable.Range(1, 80).Select(i => new Indicator(IndicatorId.From(NewId()), $"Indicator {s}.{i}: what this looks like in practice", bands[i % 3], i) { Code = $"ST.{s}.{i}" }).ToValueList(),
        }).ToValueList();
        var links = skills.SelectMany(s => s.Indicators.Take(20)).Select(i => new FrameworkAssociation(
            NewId(), "exactMatchOf", new NodeReference(i.Id.ToString(), $"https://standards.example.org/items/{i.Id}"), new NodeReference(NewId().ToString(), "https://other.example.org/items/x", "Other framework item"))).ToValueList();
        var content = new FrameworkContent("Large State Standards", skills) { Associations = links, Creator = "State Department of Education" };
        var rubrics = Enumerable.Range(1, 10).Select(r => new Rubric(RubricId.From(NewId()), 1, $"Rubric {r}",
            skills.Take(5).Select((s, c) => new RubricCriterion(CriterionId.From(NewId()), s.Name, c + 1,
                new[] { "Emerging", "Developing", "Ready", "Excelling" }.Select((l, i) => new RubricLevel(LevelId.From(NewId()), l, i + 1, i + 1)).ToValueList()) { SkillId = s.Id }).ToValueList(),
            "Ready")).ToValueList();
        _json = CaseJson.Export(new FrameworkPackage(FrameworkId.From(NewId()), content, rubrics), new CaseExportOptions { LastChangeDateTime = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var check = CaseJson.Import(_json);
        if (check.Value.Framework.Skills.Sum(s => s.Indicators.Count) != 4_000 || check.Warnings.Count != 0)
        {
            throw new InvalidOperationException("The large framework did not import cleanly.");
        }
    }

    /// <summary>The cost floor: parsing the JSON.</summary>
    /// <returns>The number of items.</returns>
    [Benchmark(Baseline = true)]
    public int ParseJsonDocument()
    {
        using var doc = JsonDocument.Parse(_json);
        return doc.RootElement.GetProperty("CFItems").GetArrayLength();
    }

    /// <summary>The full import: parse, validate (identifiers, hierarchy, cycles, rubrics) and map to the domain.</summary>
    /// <returns>The number of skills.</returns>
    [Benchmark]
    public int CaseJsonImport() => CaseJson.Import(_json).Value.Framework.Skills.Count;
}
