using System.Globalization;
using Backpack.Core;
using Backpack.Core.Credentials.Passport;
using Backpack.Core.Credentials.Proofs;
using Backpack.Core.Lifecycle;
using Backpack.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Backpack.Samples.District;

/// <summary>
/// <c>handoff run --student &lt;id|first&gt; --out DIR [--email ADDR]</c>: the graduation or withdrawal handoff of a student
/// who has exited, as the demo district's administrator, on the usual store (<c>--db</c>, <c>--postgres</c>): writes
/// <c>DIR/backpack-{student id}.zip</c> (index.html to open offline, the signed passport beside it). Prints ids, counts and
/// file names only, never names, emails or student text. Run it again: it resumes and writes the same archive.
/// </summary>
internal static class HandoffCommands
{
    public static async Task<int> RunAsync(StoreArgs storeArgs, string which, DirectoryInfo outFolder, string? email)
    {
        var outDir = outFolder.FullName;
        StudentId? named = null;
        if (which != "first")
        {
            if (!Guid.TryParse(which, out var guid))
            {
                return Commands.Fail($"--student takes a student id (a GUID) or 'first', not '{which}'.");
            }

            named = new StudentId(guid);
        }

        // The passport's issuer and framework are set once the demo district is read (the settings are asked for when
        // the handoff service is first resolved). The key lives beside the database, never in it; it is never printed.
        PassportHandoffSettings? passport = null;
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        Commands.AddStore(services.AddBackpack(Commands.ConfigureDistrict), storeArgs)
            .AddPassport(_ => passport ?? throw new InvalidOperationException("The demo district was not read."));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        using var scope = provider.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IBackpackStore>();
        var demo = await DemoOutcome.LoadAsync(store);
        if (demo is null)
        {
            AnsiConsole.MarkupLine("[red]No demo district in the database.[/] Run the sample first: dotnet run --project samples/Backpack.Samples.District");
            return 1;
        }

        var keyFile = Path.Combine(Path.GetDirectoryName(storeArgs.DatabasePath)!, "district-key.json");
        passport = new PassportHandoffSettings(new PassportIssuer("Demo District", Ed25519IssuerKey.LoadOrCreateFile(keyFile)), demo.Framework)
        {
            // The demo's Defense rubric scores dimensions not linked to skills: see `passport export`.
            Options = new PassportOptions { Rule = MetSkillRule.ShowcasedInMetDefense, CaseBaseUri = new Uri("https://demo-district.example/ims/case/v1p1/") },
        };

        var today = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<BackpackOptions>>().Value.TodayAt(TimeProvider.System.GetUtcNow());
        // "first": the first student (by id) who has exited, preferring one with a closed Defense (so there is a passport).
        var student = named;
        if (student is null)
        {
            var exited = (await store.ListExitedStudentsAsync(today)).Select(s => s.Id).ToArray();
            foreach (var candidate in exited)
            {
                if ((await store.ListMilestonesAsync(candidate)).Any(m => m.Status == Backpack.Core.Milestones.MilestoneStatus.Closed))
                {
                    student = candidate;
                    break;
                }
            }

            student ??= exited.Length > 0 ? exited[0] : null;
        }

        if (student is not { } id)
        {
            AnsiConsole.MarkupLine("No student of the demo district has exited yet: a handoff is for a student who graduated or withdrew (an exit date and reason on their last enrollment).");
            return 1;
        }

        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, $"backpack-{id}.zip");
        var partial = file + ".partial";
        HandoffResult result;
        try
        {
            await using var archive = File.Create(partial);
            result = await scope.ServiceProvider.GetRequiredService<HandoffService>().RunAsync(demo.DistrictAdmin, id, new HandoffRequest { PersonalEmail = email }, archive);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        File.Move(partial, file, overwrite: true);
        var h = result.Handoff;
        Console.WriteLine($"Student {id}: {(h.ExitReason?.ToString() ?? "exited").ToLowerInvariant()} on {h.ExitedOn:yyyy-MM-dd}; handoff {(result.Resumed ? "resumed (first run " + h.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC)" : "started")}.");
        Console.WriteLine($"Wrote {file}: {string.Join(", ", result.Files)} ({result.Artifacts} artifacts, {result.Milestones} milestones; sha256 {result.ArchiveSha256[..16]}...).");
        Console.WriteLine(h.PersonalEmail is null
            ? "Sharing: none with a personal address (add --email ADDR; the district allows it in this sample)."
            : $"Sharing: the showcase folders with the personal address, as reader, until {h.SharedUntil:yyyy-MM-dd}: a host with AddGoogleDrive does it through the outbox (drive.handoffShare), and revokes teacher and panel sharing (drive.handoffRevoke). This command has no Drive.");
        Console.WriteLine("Unzip it and open index.html in any browser, offline.");
        return 0;
    }
}
