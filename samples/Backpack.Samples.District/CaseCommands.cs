using System.Text.Json;
using Backpack.Core;
using Backpack.Core.Access;
using Backpack.Core.Frameworks;
using Backpack.Core.Case;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary><c>case import &lt;file&gt;</c> and <c>case export &lt;file&gt;</c>: a human summary, or <c>--json</c> for machines.</summary>
internal static class CaseCommands
{
    /// <summary><c>case import FILE</c>: imports a CFPackage into an in-memory store and summarises it.</summary>
    public static async Task<int> ImportAsync(FileInfo file, bool json)
    {
        await using var provider = Services();
        using var scope = provider.CreateScope();
        var frameworks = scope.ServiceProvider.GetRequiredService<FrameworkService>();
        var result = await frameworks.ImportCaseAsync(Actor.ForDistrictAdmin(PersonId.New()), await File.ReadAllTextAsync(file.FullName));
        Print(Summary.Of(result.Value, result.Warnings), json, $"Imported {file.Name}");
        return 0;
    }

    /// <summary><c>case export FILE</c>: the demo district's framework and rubrics as CASE 1.1, read back and summarised.</summary>
    public static async Task<int> ExportAsync(FileInfo file, bool json)
    {
        await using var provider = Services();
        using var scope = provider.CreateScope();
        var frameworks = scope.ServiceProvider.GetRequiredService<FrameworkService>();
        var admin = Actor.ForDistrictAdmin(PersonId.New());

        var demo = await DemoDistrict.CreateFrameworkOnlyAsync(scope.ServiceProvider, admin);
        var text = await frameworks.ExportCaseAsync(admin, demo.Framework, [demo.SkillsRubric, demo.DefenseRubric], new CaseExportOptions { BaseUri = new Uri("https://backpack.example.org/case/") });
        await File.WriteAllTextAsync(file.FullName, text);
        var back = CaseJson.Import(text);
        Print(Summary.Of(back.Value, back.Warnings), json, $"Exported the demo district's framework to {file.Name}");
        return 0;
    }

    private static ServiceProvider Services() =>
        Commands.BuildServices(new StoryClock(new DateTimeOffset(2025, 8, 20, 15, 0, 0, TimeSpan.Zero)), new StoreArgs(), inMemory: true);

    private static void Print(Summary s, bool json, string heading)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(s, SummaryJson.Default.Summary));
            return;
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(heading)}[/]");
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("framework", Markup.Escape(s.Title));
        table.AddRow("skills", s.Skills.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("items (skills and indicators)", s.Items.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("associations", s.Associations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("rubrics", s.Rubrics.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("warnings", s.Warnings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        foreach (var w in s.Warnings.Take(20))
        {
            AnsiConsole.MarkupLine($"  [yellow]warning[/] {Markup.Escape(w.Path)}: {Markup.Escape(w.Message)} [grey][[{Markup.Escape(w.Rule)}]][/]");
        }
    }
}

/// <summary>What a CASE command reports.</summary>
internal sealed record Summary(string Title, int Items, int Associations, int Rubrics, int Skills, IReadOnlyList<ValidationProblem> Warnings)
{
    /// <summary>Counts what the package holds: every skill and indicator is an item with one isChildOf association; other associations are kept as imported.</summary>
    public static Summary Of(FrameworkPackage p, IReadOnlyList<ValidationProblem> warnings)
    {
        var items = p.Framework.Skills.Count + p.Framework.Skills.Sum(s => s.Indicators.Count);
        return new Summary(p.Framework.Title, items, items + p.Framework.Associations.Count, p.Rubrics.Count, p.Framework.Skills.Count, warnings);
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Summary))]
internal sealed partial class SummaryJson : System.Text.Json.Serialization.JsonSerializerContext;
