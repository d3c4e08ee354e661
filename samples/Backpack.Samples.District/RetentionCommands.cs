using System.Globalization;
using Backpack.Core.Access;
using Backpack.Core.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// <c>retention run [--as-of DATE] [--dry-run]</c>: runs the district's retention as the retention job on the
/// usual store (<c>--db</c>, <c>--postgres</c>): students whose retention period after exit has passed are purged
/// (or, with <c>--dry-run</c>, listed). Prints ids and counts only, never names or student text.
/// </summary>
internal static class RetentionCommands
{
    public static async Task<int> RunAsync(StoreArgs storeArgs, DateOnly? asOf, bool dryRun, bool json)
    {
        await using var provider = Commands.BuildServices(new StoryClock(TimeProvider.System.GetUtcNow()), storeArgs);
        await using var scope = provider.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<RetentionService>().RunAsync(Actor.Retention, asOf, dryRun);
        if (json)
        {
            // Ids, dates and counts only, as on screen.
            var due = new System.Text.Json.Nodes.JsonArray();
            foreach (var d in report.Due)
            {
                var row = new System.Text.Json.Nodes.JsonObject
                {
                    ["student"] = d.StudentId.ToString(),
                    ["exited"] = d.ExitedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["due"] = d.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                };
                if (report.Purged.FirstOrDefault(p => p.StudentId == d.StudentId) is { } p)
                {
                    row["purged"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["enrollments"] = p.Enrollments, ["artifacts"] = p.Artifacts, ["evaluations"] = p.Evaluations, ["milestones"] = p.Milestones,
                        ["rosters"] = p.Rosters, ["checkpoints"] = p.Checkpoints, ["outbox"] = p.OutboxMessages, ["auditRedacted"] = p.AuditRecordsRedacted,
                    };
                }

                due.Add(row);
            }

            Console.WriteLine(new System.Text.Json.Nodes.JsonObject
            {
                ["asOf"] = report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["retentionDays"] = report.RetentionDays,
                ["dryRun"] = dryRun,
                ["due"] = due,
            }.ToJsonString());
            return 0;
        }

        AnsiConsole.MarkupLine($"Retention as of {report.AsOf:yyyy-MM-dd}: records kept {report.RetentionDays} days after exit; {report.Due.Count} student(s) past their date{(dryRun ? " (dry run: nothing purged)" : string.Empty)}.");
        var table = new Table().AddColumn("student id").AddColumn("exited").AddColumn("due");
        if (!dryRun)
        {
            table.AddColumn("enrollments").AddColumn("artifacts").AddColumn("evaluations").AddColumn("milestones").AddColumn("rosters").AddColumn("checkpoints").AddColumn("outbox").AddColumn("audit redacted");
        }

        foreach (var due in report.Due)
        {
            var cells = new List<string> { due.StudentId.ToString(), due.ExitedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), due.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
            if (report.Purged.FirstOrDefault(p => p.StudentId == due.StudentId) is { } p)
            {
                cells.AddRange(new[] { p.Enrollments, p.Artifacts, p.Evaluations, p.Milestones, p.Rosters, p.Checkpoints, p.OutboxMessages, p.AuditRecordsRedacted }.Select(n => n.ToString(CultureInfo.InvariantCulture)));
            }

            table.AddRow([.. cells]);
        }

        if (report.Due.Count > 0)
        {
            AnsiConsole.Write(table);
        }

        return 0;
    }
}
