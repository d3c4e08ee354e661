using System.Text.Json;
using System.Text.Json.Nodes;
using Backpack.Core;
using Backpack.Core.Access;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Storage;
using Backpack.Core.Testing;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// <c>passport export --student &lt;id|first&gt; --out DIR [--rule showcased|defense]</c>: a student's signed CLR 2.0 and
/// Open Badges 3.0 credentials; <c>passport verify FILE</c>: verifies a credential with the C# engine.
/// </summary>
internal static class PassportCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> ExportAsync(StoreArgs storeArgs, string which, DirectoryInfo outFolder, string ruleName)
    {
        var outDir = outFolder.FullName;
        // The demo's Defense rubric scores defense dimensions that are not linked to skills, so the sample's default is
        // the "showcased" rule; a district whose defense criteria name skills uses "defense" (the library's default).
        var rule = ruleName == "showcased" ? MetSkillRule.ShowcasedInMetDefense : MetSkillRule.DefenseOfLearning;

        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        Commands.AddStore(services.AddBackpack(Commands.ConfigureDistrict), storeArgs).AddPassport();
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IBackpackStore>();
        var demo = await DemoOutcome.LoadAsync(store);
        if (demo is null)
        {
            AnsiConsole.MarkupLine("[red]No demo district in the database.[/] Run the sample first: dotnet run --project samples/Backpack.Samples.District");
            return 1;
        }

        // The key lives beside the database, never in it; it is never printed.
        var keyFile = Path.Combine(Path.GetDirectoryName(storeArgs.DatabasePath)!, "district-key.json");
        var issuer = new PassportIssuer("Demo District", Ed25519IssuerKey.LoadOrCreateFile(keyFile));
        var options = new PassportOptions { Rule = rule, CaseBaseUri = new Uri("https://demo-district.example/ims/case/v1p1/") };
        var passports = scope.ServiceProvider.GetRequiredService<PassportService>();

        IEnumerable<StudentId> candidates;
        if (which == "first")
        {
            var ids = new SortedSet<StudentId>();
            foreach (var school in demo.Schools.Keys)
            {
                foreach (var s in await store.ListStudentsAsync(school, new DateOnly(2026, 5, 12)))
                {
                    ids.Add(s.Id);
                }
            }

            candidates = ids;
        }
        else if (Guid.TryParse(which, out var guid))
        {
            candidates = [new StudentId(guid)];
        }
        else
        {
            AnsiConsole.MarkupLine($"[red]--student takes a student id (a GUID) or 'first', not '{Markup.Escape(which)}'.[/]");
            return 2;
        }

        foreach (var id in candidates)
        {
            // The student asks for their own passport: the access policy allows "own work".
            var passport = await passports.IssueAsync(Actor.ForStudent(id), id, demo.Framework, issuer, options);
            if (passport is null)
            {
                if (which != "first")
                {
                    AnsiConsole.MarkupLine($"Student {id} has no closed Defense of Learning that meets the bar under the '{ruleName}' rule: no passport to export.");
                    return 1;
                }

                continue;
            }

            Directory.CreateDirectory(outDir);
            await File.WriteAllTextAsync(Path.Combine(outDir, "clr.json"), passport.Clr.ToJsonString(Indented));
            for (var i = 0; i < passport.Credentials.Count; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(outDir, $"ob-{i + 1}.json"), passport.Credentials[i].ToJsonString(Indented));
            }

            // Plain output: a did:key must not be read as an emoji shortcode.
            Console.WriteLine($"Student {id}: {passport.Credentials.Count} skill credential(s) signed by {issuer.Key.IssuerId} (rule '{ruleName}').");
            Console.WriteLine($"Wrote {Path.Combine(outDir, "clr.json")} and ob-1.json .. ob-{passport.Credentials.Count}.json.");
            return 0;
        }

        AnsiConsole.MarkupLine($"No student of the demo district has a closed Defense of Learning that meets the bar under the '{ruleName}' rule, so there is no passport to export.");
        if (ruleName == "defense")
        {
            AnsiConsole.MarkupLine("The demo's Defense rubric scores dimensions (growth, reflection, presentation) that are not linked to skills; "
                + "a district that wants every showcased skill of a Defense met on every criterion can use [bold]--rule showcased[/].");
        }

        return 1;
    }

    public static async Task<int> VerifyAsync(string file)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddBackpack(Commands.ConfigureDistrict).UseInMemoryStore().AddPassport();
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        CredentialVerificationResult result;
        try
        {
            result = JsonNode.Parse(await File.ReadAllTextAsync(file)) is JsonObject credential
                ? await scope.ServiceProvider.GetRequiredService<PassportService>().VerifyAsync(credential)
                : new CredentialVerificationResult(false, ["json: the file is not a JSON object"]);
        }
        catch (JsonException e)
        {
            result = new CredentialVerificationResult(false, ["json: " + e.Message]);
        }

        var output = new JsonObject { ["verified"] = result.Verified, ["errors"] = new JsonArray([.. result.Errors.Select(e => (JsonNode)e)]) };
        Console.WriteLine(output.ToJsonString());
        return result.Verified ? 0 : 1;
    }
}
