using Backpack.Core;
using Backpack.Core.Reporting;
using Backpack.Core.Reporting.Exports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// Prints the readiness, coverage (largest gaps) and Defense-outcome reports as tables; with an output folder, also
/// writes readiness, coverage and growth as CSV files and PNG charts there.
/// </summary>
internal static class ReportPrinter
{
    /// <summary>The readiness, coverage and Defense-outcome reports as one JSON object (names beside ids, withheld counts null).</summary>
    public static async Task PrintJsonAsync(IServiceProvider provider, DemoOutcome demo)
    {
        using var scope = provider.CreateScope();
        var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        var result = new System.Text.Json.Nodes.JsonObject
        {
            ["readiness"] = System.Text.Json.JsonSerializer.SerializeToNode(await reports.GetReadinessReportAsync(demo.DistrictAdmin, demo.Framework, demo.Year), options),
            ["coverage"] = System.Text.Json.JsonSerializer.SerializeToNode(await reports.GetCoverageReportAsync(demo.DistrictAdmin, demo.Framework, demo.Year), options),
            ["defenseOutcomes"] = System.Text.Json.JsonSerializer.SerializeToNode(await reports.GetDefenseOutcomesAsync(demo.DistrictAdmin, demo.DefenseRubric, demo.Year), options),
        };
        Console.WriteLine(result.ToJsonString());
    }

    public static async Task PrintAsync(IServiceProvider provider, DemoOutcome demo, string? outFolder = null)
    {
        using var scope = provider.CreateScope();
        var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
        var readiness = await reports.GetReadinessReportAsync(demo.DistrictAdmin, demo.Framework, demo.Year);
        var minimum = scope.ServiceProvider.GetRequiredService<IOptions<BackpackOptions>>().Value.MinimumCellSize;
        var table = new Table().Title($"Readiness for a Defense of Learning, {demo.Year} (per skill: 2 collected artifacts with reasoning, 1 reflection)")
            .AddColumns("school", "grade", "students", "ready", "share ready", "most often missing");
        foreach (var row in readiness.Rows.OrderBy(r => r.SchoolName, StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            var missing = row.NotReadyBySkill.OrderByDescending(s => s.Students).FirstOrDefault();
            table.AddRow(
                Markup.Escape(row.SchoolName),
                row.Grade.ToString(),
                Count(row.Students),
                Count(row.Ready),
                row.ShareReady is { } share ? $"{share:P0}" : "*",
                row.NotReadyBySkill.Any(s => s.IsWithheld) ? "*" : missing is null || missing.Students == 0 ? "-" : $"{Markup.Escape(missing.SkillName)} ({missing.Students} students)");
        }

        // The report's totals add up the shown counts only: no withheld count can be recovered from them.
        var complete = readiness.Rows.All(r => r.Students is not null && r.Ready is not null);
        table.AddRow(
            complete ? "[bold]district[/]" : "[bold]district (rows shown)[/]",
            string.Empty,
            $"[bold]{readiness.Students:N0}[/]",
            $"[bold]{readiness.Ready:N0}[/]",
            $"[bold]{(readiness.Students == 0 ? 0 : (double)readiness.Ready / readiness.Students):P0}[/]",
            string.Empty);
        if (readiness.Rows.Any(r => r.HasWithheldCounts))
        {
            table.Caption(Withheld(minimum, readiness.Rows.All(r => r.Students is null)));
        }

        AnsiConsole.Write(table);

        var levels = await reports.GetLevelDistributionAsync(demo.DistrictAdmin, demo.DefenseRubric, demo.Year);
        var dist = new Table().Title($"Defense of Learning outcomes, {demo.Year}: share Ready or Excelling")
            .AddColumns("school", "grade", "criterion", "Emerging", "Developing", "Ready", "Excelling", "share meeting");
        foreach (var row in levels.Rows.OrderBy(r => r.SchoolName, StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            dist.AddRow(
                new[] { Markup.Escape(row.SchoolName), row.Grade.ToString(), Markup.Escape(row.CriterionName) }
                    .Concat(row.Levels.Select(l => Count(l.Count)))
                    .Append(row.ShareMeeting is { } share ? $"{share:P0}" : "*")
                    .ToArray());
        }

        if (levels.Rows.Any(r => r.HasWithheldCounts))
        {
            dist.Caption(Withheld(minimum, levels.Rows.All(r => r.Total is null)));
        }

        AnsiConsole.Write(dist);

        var coverage = await reports.GetCoverageReportAsync(demo.DistrictAdmin, demo.Framework, demo.Year);
        var gaps = new Table().Title($"Evidence coverage, {demo.Year}: where students have the least chance to show a skill (share with evidence this year vs the district's in that grade)")
            .AddColumns("school", "grade", "skill", "share with evidence", "district share", "gap");
        foreach (var gap in coverage.LargestGaps(10))
        {
            gaps.AddRow(Markup.Escape(gap.SchoolName), gap.Grade.ToString(), Markup.Escape(gap.SkillName), $"{gap.Share:P0}", $"{gap.DistrictShare:P0}", $"{gap.Gap * 100:+0;-0;0} pts");
        }

        if (coverage.Rows.Any(r => r.Students is null))
        {
            gaps.Caption(Withheld(minimum, coverage.Rows.All(r => r.Students is null)));
        }

        AnsiConsole.Write(gaps);
        if (outFolder is null)
        {
            return;
        }

        var growth = await reports.GetGrowthReportAsync(demo.DistrictAdmin, new Backpack.Core.Students.SchoolYear(demo.Year.StartYear - 3), demo.Year);
        var folder = Directory.CreateDirectory(outFolder).FullName;
        await WriteAsync(Path.Combine(folder, "readiness.csv"), w => ReportCsv.WriteReadiness(readiness, w));
        await WriteAsync(Path.Combine(folder, "coverage.csv"), w => ReportCsv.WriteCoverage(coverage, w));
        await WriteAsync(Path.Combine(folder, "growth.csv"), w => ReportCsv.WriteGrowth(growth, w));
        await File.WriteAllBytesAsync(Path.Combine(folder, "readiness.png"), ReportCharts.Readiness(readiness));
        await File.WriteAllBytesAsync(Path.Combine(folder, "coverage.png"), ReportCharts.Coverage(coverage));
        await File.WriteAllBytesAsync(Path.Combine(folder, "growth.png"), ReportCharts.Growth(growth));
        AnsiConsole.MarkupLine($"Wrote readiness.csv, coverage.csv, growth.csv, readiness.png, coverage.png and growth.png (1200x800) to [bold]{Markup.Escape(folder)}[/]");
    }

    private static async Task WriteAsync(string path, Action<TextWriter> write)
    {
        var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        await using (writer.ConfigureAwait(false))
        {
            write(writer);
        }
    }

    /// <summary>A count, or * when withheld.</summary>
    private static string Count(int? count) =>
        count is { } n ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "*";

    /// <summary>What * means (the district's minimum cell size), and how to see counts in the small demo district.</summary>
    private static string Withheld(int minimum, bool everyGroupWithheld) =>
        $"*: withheld, a group of fewer than {minimum} students or a count from which one could be worked out (Backpack:MinimumCellSize)"
        + (everyGroupWithheld ? $"\nevery group of the demo district is smaller than {minimum}: try --fresh --students-per-grade 40" : string.Empty);
}
