using System.Text.Json;
using Backpack.Core.Access;
using Backpack.Core.Testing;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// <c>access matrix [--json]</c>: for a district privacy officer's review, every cell of the access table (role by
/// operation by relation) run through the real services under this district's options, on a small witness
/// district in memory (nothing is written to the district's database). JSON rows are
/// <c>{"role","operation","relation","decision"}</c>; the decision is <c>allow</c> or <c>deny</c>.
/// </summary>
internal static class AccessCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(bool json)
    {
        var now = new DateTimeOffset(2025, 10, 1, 15, 0, 0, TimeSpan.Zero);
        var outcomes = await AccessWitnessDistrict.EvaluateMatrixAsync(Commands.ConfigureDistrict, now);
        var broken = outcomes.Where(o => o.Error is not null).ToArray();
        if (json)
        {
            var rows = outcomes.Select(o => new Dictionary<string, string>
            {
                ["role"] = o.Role.ToString(),
                ["operation"] = o.Operation.ToString(),
                ["relation"] = o.Relation.ToString(),
                ["decision"] = o.Allowed ? "allow" : "deny",
            });
            Console.WriteLine(JsonSerializer.Serialize(rows, Json));
        }
        else
        {
            var table = new Table().Title("Who may run what, as the services decide (this district's options)")
                .AddColumn("operation");
            foreach (var role in AccessTable.Roles)
            {
                table.AddColumn(role.ToString());
            }

            foreach (var operation in AccessTable.Operations)
            {
                var cells = AccessTable.Roles.Select(role =>
                {
                    var allowed = outcomes.Where(o => o.Role == role && o.Operation == operation && o.Allowed).Select(o => Words(o.Relation)).ToArray();
                    return allowed.Length == 0 ? "[grey]-[/]" : Markup.Escape(string.Join(", ", allowed));
                });
                table.AddRow([operation.ToString(), .. cells]);
            }

            AnsiConsole.Write(table);
            var differ = outcomes.Count(o => o.Allowed != AccessTable.Allows(o.Role, o.Operation, o.Relation));
            AnsiConsole.MarkupLine($"{outcomes.Count} decisions ({outcomes.Count(o => o.Allowed)} allowed); {(differ == 0 ? "all as the access table in the README" : $"[red]{differ} differ from the access table[/] (a district option or a custom policy)")}. Every other relation is denied.");
        }

        foreach (var o in broken)
        {
            await Console.Error.WriteLineAsync($"{o.Role} {o.Operation} {o.Relation}: the witness call failed: {o.Error!.GetType().Name}");
        }

        return broken.Length == 0 ? 0 : 1;
    }

    private static string Words(AccessRelation relation) =>
        string.Concat(relation.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
