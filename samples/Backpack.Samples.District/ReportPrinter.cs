using Backpack.Core.Reporting;
using Backpack.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>Prints the readiness report and the Defense rubric's level distribution as tables.</summary>
internal static class ReportPrinter
{
    public static async Task PrintAsync(IServiceProvider provider, DemoOutcome demo)
    {
        using var scope = provider.CreateScope();
        var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
        var readiness = await reports.GetReadinessReportAsync(demo.DistrictAdmin, demo.Framework, demo.Year);
        var minimum = scope.ServiceProvider.GetRequiredService<IOptions<BackpackOptions>>().Value.MinimumCellSize;
        var table = new Table().Title($"Readiness for a Defense of Learning, {demo.Year} (per skill: 2 collected artifacts with reasoning, 1 reflection)")
            .AddColumns("school", "grade", "students", "ready", "share ready", "most often missing");
        foreach (var row in readiness.Rows.OrderBy(r => demo.Schools[r.SchoolId], StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            var missing = row.NotReadyBySkill.OrderByDescending(s => s.Students).FirstOrDefault();
            table.AddRow(
                Markup.Escape(demo.Schools[row.SchoolId]),
                row.Grade.ToString(),
                Count(row.Students),
                Count(row.Ready),
                row.ShareReady is { } share ? $"{share:P0}" : "*",
                row.NotReadyBySkill.Any(s => s.IsWithheld) ? "*" : missing is null || missing.Students == 0 ? "-" : $"{missing.Students} students");
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
        var rubric = await scope.ServiceProvider.GetRequiredService<Backpack.Core.Frameworks.FrameworkService>().GetRubricAsync(demo.DistrictAdmin, demo.DefenseRubric);
        var dist = new Table().Title($"Defense of Learning outcomes, {demo.Year}: share Ready or Excelling")
            .AddColumns("school", "grade", "criterion", "Emerging", "Developing", "Ready", "Excelling", "share meeting");
        foreach (var row in levels.Rows.OrderBy(r => demo.Schools[r.SchoolId], StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            dist.AddRow(
                new[] { Markup.Escape(demo.Schools[row.SchoolId]), row.Grade.ToString(), Markup.Escape(rubric.FindCriterion(row.CriterionId)?.Name ?? "?") }
                    .Concat(row.Levels.Select(l => Count(l.Count)))
                    .Append(row.ShareMeeting is { } share ? $"{share:P0}" : "*")
                    .ToArray());
        }

        if (levels.Rows.Any(r => r.HasWithheldCounts))
        {
            dist.Caption(Withheld(minimum, levels.Rows.All(r => r.Total is null)));
        }

        AnsiConsole.Write(dist);
    }

    /// <summary>A count, or * when withheld.</summary>
    private static string Count(int? count) =>
        count is { } n ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "*";

    /// <summary>What * means (the district's minimum cell size), and how to see counts in the small demo district.</summary>
    private static string Withheld(int minimum, bool everyGroupWithheld) =>
        $"*: withheld, a group of fewer than {minimum} students or a count from which one could be worked out (Backpack:MinimumCellSize)"
        + (everyGroupWithheld ? $"\nevery group of the demo district is smaller than {minimum}: try --fresh --students-per-grade 40" : string.Empty);
}
