using System.Globalization;
using Backpack.Core.Access;
using Backpack.Core.Reporting;
using Backpack.Core.Reporting.Exports;
using Backpack.Core.Students;
using Backpack.Core.Testing;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;

using SkiaSharp;

namespace Backpack.Core.Reporting.Exports.Tests;

/// <summary>Reports of a generated district as CSV (parsed back, equal to the report) and as PNG charts (decoded, of the size asked, with drawing on them).</summary>
public sealed class ReportExportTests
{
    private static readonly SyntheticDistrict District = SyntheticDistrict.Generate(new SyntheticDistrictOptions { Seed = 3, Students = 900, Schools = 5 });
    private static readonly Lazy<Task<(ReadinessReport Readiness, CoverageReport Coverage, GrowthReport Growth)>> Reports = new(LoadAsync);

    /// <summary>The first school's name, as a hostile roster might carry it: a spreadsheet formula, quotes and a comma.</summary>
    private const string FormulaSchool = "=HYPERLINK(\"x\") \"Lincoln\", K-8";

    [Fact]
    public async Task WriteReadiness_GeneratedDistrict_ParsedBackEqualsTheReport()
    {
        var (readiness, _, _) = await Reports.Value;
        var text = Write(w => ReportCsv.WriteReadiness(readiness, w));

        var lines = Parse(text, ReportCsv.ReadinessColumns);

        var rows = lines.GroupBy(l => (l["school_id"], l["grade"]))
            .Select(g => new ReadinessReportRow(
                SchoolId.From(Guid.Parse(g.Key.Item1)),
                GradeLevel.Parse(g.Key.Item2),
                N(g.First()["students"]),
                N(g.First()["ready"]),
                g.Where(l => l["skill_id"].Length > 0).Select(l => new SkillGapCount(SkillId.From(Guid.Parse(l["skill_id"])), N(l["not_ready"])) { SkillName = l["skill"] }).ToValueList())
            {
                SchoolName = Unescaped(g.First()["school"]),
            })
            .ToValueList();
        Assert.Equal(readiness, new ReadinessReport(SchoolYear.Parse(lines[0]["year"]), rows));
        Assert.Contains(readiness.Rows, r => r.HasWithheldCounts);
        Assert.Contains(lines, l => l["school"].StartsWith("'=HYPERLINK", StringComparison.Ordinal) && l["school"].EndsWith("K-8", StringComparison.Ordinal));
        Assert.Contains(lines, l => l["skill"] == "Effective Communicator");
    }

    [Fact]
    public async Task WriteCoverage_GeneratedDistrict_ParsedBackEqualsTheReport()
    {
        var (_, coverage, _) = await Reports.Value;
        var text = Write(w => ReportCsv.WriteCoverage(coverage, w));

        var lines = Parse(text, ReportCsv.CoverageColumns);

        ValueList<CoverageReportRow> Rows(string level) => lines.Where(l => l["level"] == level)
            .GroupBy(l => (l["school_id"], l["group"], l["grade"]))
            .Select(g => new CoverageReportRow(
                g.Key.Item1.Length == 0 ? null : SchoolId.From(Guid.Parse(g.Key.Item1)),
                GradeLevel.Parse(g.Key.Item3),
                N(g.First()["students"]),
                g.Select(l => new CoverageSkillCount(SkillId.From(Guid.Parse(l["skill_id"])), N(l["with_evidence"]), N(l["meeting_rule"])) { SkillName = l["skill"] }).ToValueList())
            {
                SchoolName = Unescaped(g.First()["school"]),
            })
            .ToValueList();
        var groups = lines.Where(l => l["level"] == "group").Select(l => (l["group"], l["grade"])).Distinct().Zip(Rows("group"), (k, r) => new CoverageGroupRow(k.Item1, r)).ToValueList();
        var parsed = new CoverageReport(SchoolYear.Parse(lines[0]["year"]), Rows("school")) { District = Rows("district"), Groups = groups };
        Assert.Equal(coverage, parsed);
        Assert.NotEmpty(coverage.Groups);
        var gap = coverage.LargestGaps(1)[0];
        var line = lines.First(l => l["level"] == "school" && l["school_id"] == gap.SchoolId.ToString() && l["grade"] == gap.Grade.ToString() && l["skill_id"] == gap.SkillId.ToString());
        Assert.Equal(gap.Gap, double.Parse(line["gap"], CultureInfo.InvariantCulture), 4);
    }

    [Fact]
    public async Task WriteGrowth_GeneratedDistrict_ParsedBackEqualsTheReport()
    {
        var (_, _, growth) = await Reports.Value;
        var text = Write(w => ReportCsv.WriteGrowth(growth, w));

        var lines = Parse(text, ReportCsv.GrowthColumns);

        GrowthShare Share(Dictionary<string, string> l) => new(
            SchoolYear.Parse(l["year"]),
            l["grade"].Length == 0 ? null : GradeLevel.Parse(l["grade"]),
            l["skill_id"].Length == 0 ? null : SkillId.From(Guid.Parse(l["skill_id"])),
            N(l["results"]),
            N(l["meeting"]))
        {
            SkillName = l["skill"],
        };
        var parsed = new GrowthReport(
            lines.Where(l => l["kind"] == "year").Select(Share).ToValueList(),
            lines.Where(l => l["kind"] == "cohort").GroupBy(l => (l["start_year"], l["start_grade"]))
                .Select(g => new GrowthCohort(SchoolYear.Parse(g.Key.Item1), GradeLevel.Parse(g.Key.Item2), g.Select(Share).ToValueList())).ToValueList());
        Assert.Equal(growth, parsed);
        Assert.NotEmpty(growth.Cohorts);
        Assert.NotEmpty(growth.ByYear);
    }

    [Fact]
    public async Task Charts_GeneratedDistrict_DecodeAsPngOf1200By800WithDrawing()
    {
        var (readiness, coverage, growth) = await Reports.Value;

        var charts = new[] { ReportCharts.Readiness(readiness), ReportCharts.Coverage(coverage), ReportCharts.Growth(growth) };
        if (Environment.GetEnvironmentVariable("BACKPACK_CHARTS_OUT") is { Length: > 0 } folder)
        {
            // To look at the charts: BACKPACK_CHARTS_OUT=/tmp/charts dotnet test ...
            Directory.CreateDirectory(folder);
            foreach (var (name, png) in new[] { "readiness", "coverage", "growth" }.Zip(charts))
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, name + ".png"), png);
            }
        }

        foreach (var png in charts)
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            Assert.Equal(ReportCharts.DefaultWidth, bitmap.Width);
            Assert.Equal(ReportCharts.DefaultHeight, bitmap.Height);

            // Something is drawn: many colors, and dark text pixels in the title band at the top.
            var colors = new HashSet<SKColor>();
            var darkInTitle = 0;
            for (var y = 0; y < bitmap.Height; y += 3)
            {
                for (var x = 0; x < bitmap.Width; x += 3)
                {
                    var c = bitmap.GetPixel(x, y);
                    colors.Add(c);
                    darkInTitle += y < 60 && c.Red < 90 && c.Green < 90 && c.Blue < 90 ? 1 : 0;
                }
            }

            Assert.True(colors.Count > 20, $"only {colors.Count} colors");
            Assert.True(darkInTitle > 30, $"only {darkInTitle} dark pixels where the title is");
        }

        Assert.Equal(640, SKBitmap.Decode(ReportCharts.Growth(growth, 640, 480)).Width);
    }

    private static string Write(Action<TextWriter> write)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        write(writer);
        return writer.ToString();
    }

    private static List<Dictionary<string, string>> Parse(string text, IReadOnlyList<string> columns)
    {
        using var csv = CsvReader.Create(new StringReader(text), new CsvReaderOptions(), false);
        var lines = new List<Dictionary<string, string>>();
        csv.ReadHeader();
        while (csv.Read())
        {
            lines.Add(columns.ToDictionary(c => c, c => csv.GetString(c)));
        }

        Assert.NotEmpty(lines);
        return lines;
    }

    /// <summary>A field as written before CsvHelper escaped a leading formula character with an apostrophe.</summary>
    private static string Unescaped(string field) => field.Length > 1 && field[0] == '\'' && "=+-@".Contains(field[1], StringComparison.Ordinal) ? field[1..] : field;

    private static int? N(string field) => field.Length == 0 ? null : int.Parse(field, CultureInfo.InvariantCulture);

    private static async Task<(ReadinessReport, CoverageReport, GrowthReport)> LoadAsync()
    {
        var services = new ServiceCollection();
        services.AddBackpack(o => o.DistrictId = "exports").UseInMemoryStore();
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<InMemoryBackpackStore>();
        await store.LoadAsync(District.Data);
        var first = (await store.ListSchoolsAsync()).Single(s => s.Id == District.Schools[0]);
        await store.SaveAsync(new Storage.ChangeSet().Put(first with { Name = FormulaSchool }));
        var reports = provider.GetRequiredService<ReportService>();
        var admin = Actor.ForDistrictAdmin(PersonId.New());
        var year = District.CurrentYear;
        return (
            await reports.GetReadinessReportAsync(admin, District.FrameworkId, year),
            await reports.GetCoverageReportAsync(admin, District.FrameworkId, year),
            await reports.GetGrowthReportAsync(admin, new SchoolYear(year.StartYear - 2), year));
    }
}
