using Backpack.Core.Reporting;
using Microsoft.Extensions.DependencyInjection;
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
        var table = new Table().Title($"Readiness for a Defense of Learning, {demo.Year} (per skill: 2 collected artifacts with reasoning, 1 reflection)")
            .AddColumns("school", "grade", "students", "ready", "share ready", "most often missing");
        foreach (var row in readiness.Rows.OrderBy(r => demo.Schools[r.SchoolId], StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            var missing = row.NotReadyBySkill.OrderByDescending(s => s.Students).FirstOrDefault();
            table.AddRow(
                Markup.Escape(demo.Schools[row.SchoolId]),
                row.Grade.ToString(),
                row.Students.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                row.Ready.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                $"{row.ShareReady:P0}",
                missing is null || missing.Students == 0 ? "-" : $"{missing.Students} students");
        }

        table.AddRow("[bold]district[/]", string.Empty, $"[bold]{readiness.Students:N0}[/]", $"[bold]{readiness.Ready:N0}[/]", $"[bold]{(readiness.Students == 0 ? 0 : (double)readiness.Ready / readiness.Students):P0}[/]", string.Empty);
        AnsiConsole.Write(table);

        var levels = await reports.GetLevelDistributionAsync(demo.DistrictAdmin, demo.DefenseRubric, demo.Year);
        var rubric = await scope.ServiceProvider.GetRequiredService<Backpack.Core.Frameworks.FrameworkService>().GetRubricAsync(demo.DistrictAdmin, demo.DefenseRubric);
        var dist = new Table().Title($"Defense of Learning outcomes, {demo.Year}: share Ready or Excelling")
            .AddColumns("school", "grade", "criterion", "Emerging", "Developing", "Ready", "Excelling", "share meeting");
        foreach (var row in levels.Rows.OrderBy(r => demo.Schools[r.SchoolId], StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            dist.AddRow(
                new[] { Markup.Escape(demo.Schools[row.SchoolId]), row.Grade.ToString(), Markup.Escape(rubric.FindCriterion(row.CriterionId)?.Name ?? "?") }
                    .Concat(row.Levels.Select(l => l.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    .Append($"{row.ShareMeeting:P0}")
                    .ToArray());
        }

        AnsiConsole.Write(dist);
    }
}
