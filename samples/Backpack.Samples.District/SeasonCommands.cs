using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Backpack.Core.Planning;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// <c>plan season [--students N] [--json]</c>: plans a synthetic defense season (N defenses, 22,000 by default, over
/// up to 150 schools) with the season planner, counts hard-rule violations with the independent checker and
/// reports the spread of panel load. JSON: <c>defenses</c>, <c>scheduled</c>, <c>unscheduled</c>,
/// <c>violations</c>, <c>seconds</c>, <c>maxPanelistLoadPerDay</c>, <c>minPanelistLoadPerDay</c> and more.
/// </summary>
internal static class SeasonCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static int Run(int students, bool json)
    {
        var request = SyntheticSeason.Generate(new SyntheticSeasonOptions { Students = students, Schools = Math.Clamp((students + 146) / 147, 1, 150) });
        var watch = Stopwatch.StartNew();
        var plan = new SeasonPlanner().Plan(request);
        var seconds = watch.Elapsed.TotalSeconds;
        var check = SeasonChecker.Check(request, plan);
        var load = check.Load;
        if (json)
        {
            var result = new Dictionary<string, object>
            {
                ["defenses"] = request.Students.Count,
                ["schools"] = request.Schools.Count,
                ["panelists"] = request.Panelists.Count,
                ["scheduled"] = plan.Scheduled.Count,
                ["unscheduled"] = plan.Unscheduled.Count,
                ["unscheduledByReason"] = plan.Unscheduled.GroupBy(u => u.Reason).ToDictionary(g => g.Key.ToString(), g => g.Count()),
                ["violations"] = check.Violations.Count,
                ["seconds"] = Math.Round(seconds, 2),
                ["maxPanelistLoadPerDay"] = load.MaxPerDay,
                ["minPanelistLoadPerDay"] = load.MinPerDay,
                ["meanPanelistLoadPerDay"] = Math.Round(load.MeanPerDay, 3),
                ["stdDevPanelistLoadPerDay"] = Math.Round(load.StandardDeviationPerDay, 3),
                ["maxPanelistLoadPerSeason"] = load.MaxPerSeason,
                ["minPanelistLoadPerSeason"] = load.MinPerSeason,
                ["schoolDays"] = plan.Statistics.Subproblems,
                ["solverRuns"] = plan.Statistics.SolverRuns,
            };
            Console.WriteLine(JsonSerializer.Serialize(result, Json));
        }
        else
        {
            var table = new Table().Title("Defense season (synthetic)").AddColumn("what").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("defenses", $"{request.Students.Count:N0} over {request.Schools.Count} schools");
            table.AddRow("panelists", $"{request.Panelists.Count:N0}");
            table.AddRow("scheduled", $"{plan.Scheduled.Count:N0}");
            table.AddRow("unscheduled", plan.Unscheduled.Count == 0 ? "0" : string.Join(", ", plan.Unscheduled.GroupBy(u => u.Reason).Select(g => $"{g.Count():N0} {g.Key}")));
            table.AddRow("hard-rule violations (independent checker)", check.Violations.Count == 0 ? "[green]0[/]" : $"[red]{check.Violations.Count}[/]");
            table.AddRow("panels per panelist-day (min / max / mean / sd)", FormattableString.Invariant($"{load.MinPerDay} / {load.MaxPerDay} / {load.MeanPerDay:0.00} / {load.StandardDeviationPerDay:0.000}"));
            table.AddRow("panels per panelist over the season (min / max)", $"{load.MinPerSeason} / {load.MaxPerSeason}");
            table.AddRow("school days (solver used on)", $"{plan.Statistics.Subproblems} ({plan.Statistics.SolverRuns})");
            table.AddRow("seconds", seconds.ToString("0.00", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
        }

        return check.Violations.Count == 0 ? 0 : 1;
    }
}
