using Backpack.Core.DependencyInjection;
using Backpack.Core.Reporting;
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
        var withheld = $"<{minimum}";
        foreach (var row in readiness.Rows.OrderBy(r => demo.Schools[r.SchoolId], StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            var missing = row.NotReadyBySkill.Where(s => !s.IsWithheld).OrderByDescending(s => s.Students).FirstOrDefault();
            table.AddRow(
                Markup.Escape(demo.Schools[row.SchoolId]),
                row.Grade.ToString(),
                Count(row.Students, row.Students is null ? Markup.Escape(withheld) : "*"),
                Count(row.Ready, "*"),
                row.ShareReady is { } share ? $"{share:P0}" : "*",
                missing is null || missing.Students == 0 ? (row.NotReadyBySkill.Any(s => s.IsWithheld) ? "*" : "-") : $"{missing.Students} students");
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
            table.Caption($"{Markup.Escape(withheld)}: a group of fewer than {minimum} students, withheld; *: withheld so that no small group's count can be worked out from the others");
        }

        AnsiConsole.Write(table);

        var levels = await reports.GetLevelDistributionAsync(demo.DistrictAdmin, demo.DefenseRubric, demo.Year);
        var rubric = await scope.ServiceProvider.GetRequiredService<Backpack.Core.Frameworks.FrameworkService>().GetRubricAsync(demo.DefenseRubric);
        var dist = new Table().Title($"Defense of Learning outcomes, {demo.Year}: share Ready or Excelling")
            .AddColumns("school", "grade", "criterion", "Emerging", "Developing", "Ready", "Excelling", "share meeting");
        foreach (var row in levels.Rows.OrderBy(r => demo.Schools[r.SchoolId], StringComparer.Ordinal).ThenBy(r => r.Grade))
        {
            dist.AddRow(
                new[] { Markup.Escape(demo.Schools[row.SchoolId]), row.Grade.ToString(), Markup.Escape(rubric.FindCriterion(row.CriterionId)?.Name ?? "?") }
                    .Concat(row.Levels.Select(l => Count(l.Count, row.Total is null ? Markup.Escape(withheld) : "*")))
                    .Append(row.ShareMeeting is { } share ? $"{share:P0}" : "*")
                    .ToArray());
        }

        if (levels.Rows.Any(r => r.HasWithheldCounts))
        {
            dist.Caption($"{Markup.Escape(withheld)}: fewer than {minimum} results, withheld; *: withheld so that no small group's count can be worked out from the others");
        }

        AnsiConsole.Write(dist);
    }

    /// <summary>A count, or the mark of a withheld one.</summary>
    private static string Count(int? count, string withheld) =>
        count is { } n ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : withheld;
}
